import { existsSync } from 'node:fs';
import { join } from 'node:path';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync } from 'fastify';
import type { PlainValue } from '../../data/index.js';
import { makeDirectories } from '../../files/index.js';
import type { ServerContext } from '../context.js';
import { serverError } from '../errors.js';
import { type RunRequest, runRequestProperties } from '../executors.js';
import { jobDetail } from '../job-detail.js';
import { SseStream } from '../sse.js';
import { assignAndValidate, instantiate, requireLoadable } from '../tasks.js';
import { importUpload } from '../upload.js';
import { fileView, projectView } from '../views.js';
import { valuesSchema } from './tasks.js';

export interface ProjectRoutesOptions {
  ctx: ServerContext;
  /** Largest upload in bytes (default 2 GiB). */
  uploadLimit?: number;
}

export const idParam = (name: string) =>
  ({
    type: 'object',
    required: [name],
    properties: { [name]: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,100}$' } },
  }) as const;

const pid = idParam('pid');

/** Query of an event stream: EventSource cannot send headers, so a first resume id and the token may come here. */
export const eventsQuery = {
  type: 'object',
  properties: { lastEventId: { type: 'string', maxLength: 40 }, token: { type: 'string' } },
} as const;

/** Projects: list, create, show; their jobs (list, create), live job feed, and files (list, upload). */
export const projectRoutes: FastifyPluginAsync<ProjectRoutesOptions> = async (app, { ctx, uploadLimit }) => {
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: uploadLimit ?? 2 * 1024 ** 3, files: 1, fields: 20, fieldSize: 4096, parts: 25 },
  });

  app.get('/projects', async () => ({
    projects: ctx.db.projects.list().map((p) => ({ ...projectView(p), missing: !existsSync(p.directory) })),
  }));

  app.post<{ Body: { name: string } }>(
    '/projects',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,100}$' } },
        },
      },
    },
    async (req, reply) => {
      const { name } = req.body;
      if (name === '.' || name === '..') throw serverError(1, `bad project name '${name}'`);
      if (ctx.db.projects.get(name)) throw serverError(8, `project '${name}' already exists`);
      const dir = join(ctx.projectsDir, name);
      try {
        // checked, one level at a time: a projects directory under /proc made Node's recursive mkdir spin
        makeDirectories(dir);
      } catch (e) {
        throw serverError(8, `cannot create the project directory: ${(e as Error).message}`, { file: dir });
      }
      const p = ctx.db.projects.create(name, dir);
      reply.status(201);
      return projectView(p);
    },
  );

  app.get<{ Params: { pid: string } }>('/projects/:pid', { schema: { params: pid } }, async (req) => {
    const p = ctx.project(req.params.pid);
    return { ...projectView(p), missing: !existsSync(p.directory) };
  });

  app.get<{ Params: { pid: string } }>('/projects/:pid/jobs', { schema: { params: pid } }, async (req) => {
    const p = ctx.project(req.params.pid);
    return { jobs: ctx.feeds.source.jobs(p.id) };
  });

  app.post<{
    Params: { pid: string };
    Body: {
      taskName: string;
      params?: Record<string, PlainValue>;
      title?: string;
      run?: boolean;
    } & RunRequest;
  }>(
    '/projects/:pid/jobs',
    {
      schema: {
        params: pid,
        body: {
          type: 'object',
          required: ['taskName'],
          additionalProperties: false,
          properties: {
            taskName: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,100}$' },
            params: valuesSchema,
            title: { type: 'string', maxLength: 500 },
            run: { type: 'boolean' },
            ...runRequestProperties,
          },
        },
      },
    },
    async (req, reply) => {
      const project = ctx.project(req.params.pid);
      const { taskName, title, run, executor, slurm } = req.body;
      const values = req.body.params ?? {};
      if (!run && (executor !== undefined || slurm !== undefined))
        throw serverError(1, 'executor and slurm options go with run: true (or POST /jobs/:jid/run)');
      // Where it runs, checked before anything is made (a bad SLURM option is a 400 naming it).
      const how = run ? ctx.executors.check({ executor, slurm }) : undefined;
      // Checked on a scratch instance first: an invalid request leaves no job behind.
      const probe = instantiate(ctx.service.registry, taskName);
      requireLoadable(probe, taskName);
      const check = assignAndValidate(probe.container, values);
      if (!check.valid) {
        const e = serverError(10, `the parameters of ${taskName} are invalid`);
        throw Object.assign(e, { entries: check.entries });
      }
      let job = ctx.service.createJob({
        project,
        taskName,
        title,
        configure: (plugin) => {
          assignAndValidate(plugin.container, values);
        },
      });
      if (how) job = await ctx.start(job, how);
      ctx.changed();
      reply.status(201);
      return jobDetail(ctx, job);
    },
  );

  app.get<{ Params: { pid: string }; Querystring: { lastEventId?: string } }>(
    '/projects/:pid/events',
    {
      schema: {
        params: pid,
        querystring: eventsQuery,
      },
    },
    async (req, reply) => {
      const p = ctx.project(req.params.pid);
      const stream = new SseStream(req, reply);
      await ctx.feeds.serve(stream, p.id);
    },
  );

  app.get<{ Params: { pid: string } }>('/projects/:pid/files', { schema: { params: pid } }, async (req) => {
    const p = ctx.project(req.params.pid);
    const numbers = new Map(ctx.db.jobs.list({ projectId: p.id }).map((j) => [j.id, j.number]));
    const files = ctx.db.files.list({ projectId: p.id }).map((f) => {
      const v = fileView(ctx.db, p, f, numbers);
      const usedBy = ctx.db.files
        .uses({ fileId: f.id })
        .filter((u) => u.role === 'in')
        .map((u) => ({ jobId: u.jobId, jobNumber: numbers.get(u.jobId) ?? '?', paramName: u.paramName }));
      return { ...v, usedBy };
    });
    return { files: files.reverse() };
  });

  app.post<{ Params: { pid: string } }>(
    '/projects/:pid/files',
    { schema: { params: pid } },
    async (req, reply) => {
      const p = ctx.project(req.params.pid);
      const rec = await importUpload(ctx, p, req);
      reply.status(201);
      return fileView(ctx.db, p, rec);
    },
  );
};
