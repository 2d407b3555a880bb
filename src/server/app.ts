import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { TaskRegistry, taskRegistry } from '../plugins/index.js';
import { ServerContext } from './context.js';
import { errorBody, httpStatusOf, serverError, toCcp4Error } from './errors.js';
import type { ExecutorsOptions } from './executors.js';
import { fileRoutes } from './routes/files.js';
import { jobRoutes } from './routes/jobs.js';
import { projectRoutes } from './routes/projects.js';
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
  /** Extra route plugins registered under /api. */
  apiPlugins?: Array<(app: FastifyInstance) => Promise<void>>;
  /** Where projects created in the browser are made (default ~/CCP4I2_PROJECTS/NAME). */
  projectsDir?: string;
  /** Extra task directories (loaded into the registry when none is given, and by each job's runner). */
  taskDirs?: string[];
  /** Largest upload in bytes (default 2 GiB). */
  uploadLimit?: number;
  /** How often the database's change counter is read, in ms (default 25). */
  pollMs?: number;
  /** Executors offered (default local, plus slurm when sbatch is found), the default one, slurm's options. */
  executors?: ExecutorsOptions;
  /** How often the server refreshes its Queued/Running SLURM jobs, in ms (default 5000: one squeue). */
  slurmPollMs?: number;
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
    // URLs the router cannot take (bad %-escapes, an over-long id): the same coded body as every error.
    frameworkErrors: (err, _req, reply) => {
      const status = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
      (reply as FastifyReply).status(status).send(errorBody(serverError(1, err.message)));
    },
  });
  const loopbackHosts = opts.loopbackHosts ?? [];
  installSecurity(app, { token: opts.token, loopbackHosts });

  app.setErrorHandler((err, _req, reply) => {
    const e = toCcp4Error(err);
    const { entries, job } = err as { entries?: unknown[]; job?: unknown };
    reply.status(httpStatusOf(e)).send(errorBody(e, entries, job));
  });

  let registry = opts.registry;
  if (!registry) {
    registry = new TaskRegistry();
    for (const n of taskRegistry.names()) registry.register(taskRegistry.require(n));
    for (const d of opts.taskDirs ?? []) await registry.addTaskDirectory(d);
  }
  const ctx = new ServerContext({
    registry,
    db: opts.db,
    projectsDir: opts.projectsDir,
    taskDirs: opts.taskDirs,
    pollMs: opts.pollMs,
    executors: opts.executors,
    slurmPollMs: opts.slurmPollMs,
  });
  app.addHook('onClose', async () => ctx.close(opts.cancelJobsOnExit ?? false));
  await app.register(
    async (api) => {
      api.get('/health', async () => ({ ok: true }));
      api.get('/executors', async () => ({
        executors: [...ctx.executors.available],
        default: ctx.executors.defaultExecutor,
      }));
      await api.register(taskRoutes, { registry });
      await api.register(projectRoutes, { ctx, uploadLimit: opts.uploadLimit });
      await api.register(jobRoutes, { ctx });
      await api.register(fileRoutes, { ctx });
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
