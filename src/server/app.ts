import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { type TaskRegistry, taskRegistry } from '../plugins/index.js';
import { errorBody, httpStatusOf, serverError, toCcp4Error } from './errors.js';
import { taskRoutes } from './routes/tasks.js';
import { installSecurity } from './security.js';
import { defaultUiDirectory } from './ui-files.js';

export interface ServerOptions {
  registry?: TaskRegistry;
  /** Required by every request when set (any non-loopback bind). */
  token?: string;
  /** Host:port values accepted without a token (set by `listen`). */
  loopbackHosts?: string[];
  /** Built UI directory; default dist/ui. `false`: API only. */
  uiDirectory?: string | false;
  /** Largest JSON body (default 1 MiB). */
  bodyLimit?: number;
  /** Projects database file (default: $CCP4I2_DB or ~/.ccp4i2-ts/db.sqlite). */
  db?: string;
  /** On close, cancel the running jobs this server started (default: they keep running). */
  cancelJobsOnExit?: boolean;
  /** Extra route plugins registered under /api (the projects and jobs routes). */
  apiPlugins?: Array<(app: FastifyInstance) => Promise<void>>;
}

/**
 * The web server: API routes as encapsulated plugins under /api, the built UI at /, one error policy
 * (every failure is a coded `{error:{class,code,message}}` with a 4xx or 5xx status, never a stack trace).
 */
export async function buildServer(opts: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    // Parameter values and ids are validated by schemas; unknown body properties are refused, not dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    return503OnClosing: true,
    forceCloseConnections: true,
  });
  const loopbackHosts = opts.loopbackHosts ?? [];
  installSecurity(app, { token: opts.token, loopbackHosts });

  app.setErrorHandler((err, _req, reply) => {
    const e = toCcp4Error(err);
    const entries = (err as { entries?: unknown[] }).entries;
    reply.status(httpStatusOf(e)).send(errorBody(e, entries));
  });

  const registry = opts.registry ?? taskRegistry;
  await app.register(
    async (api) => {
      api.get('/health', async () => ({ ok: true }));
      await api.register(taskRoutes, { registry });
      for (const p of opts.apiPlugins ?? []) await api.register(p);
    },
    { prefix: '/api' },
  );

  const uiDir = opts.uiDirectory === false ? undefined : (opts.uiDirectory ?? defaultUiDirectory());
  if (uiDir) await app.register(fastifyStatic, { root: uiDir, index: 'index.html', wildcard: false });

  app.setNotFoundHandler((req, reply) => {
    // Client-side routes (/projects/x/jobs/3) get the app; unknown API paths a coded 404.
    if (uiDir && req.method === 'GET' && !req.url.startsWith('/api/'))
      return reply.type('text/html').sendFile('index.html');
    const e = serverError(2, `no route ${req.method} ${req.url.split('?')[0]}`);
    return reply.status(404).send(errorBody(e));
  });
  return app;
}
