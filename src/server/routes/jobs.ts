import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { isTerminal, JobStatus } from '../../db/index.js';
import { confinedFile } from '../confine.js';
import type { ServerContext } from '../context.js';
import { serverError } from '../errors.js';
import { type RunRequest, runRequestProperties } from '../executors.js';
import { fileChanges } from '../file-changes.js';
import { deleteJobs, jobsToDelete } from '../job-delete.js';
import { jobDetail, jobI2run, jobReport } from '../job-detail.js';
import { setValues } from '../job-params.js';
import { followLog, logOffset } from '../log-follow.js';
import type { JobView } from '../project-feed.js';
import { SseStream } from '../sse.js';
import { assignAndValidate } from '../tasks.js';
import { fileView } from '../views.js';
import { eventsQuery, idParam } from './projects.js';

export interface JobRoutesOptions {
  ctx: ServerContext;
}

const jid = idParam('jid');
const LOG = 'log.txt';

function contentDisposition(name: string): string {
  return `attachment; filename="${name.replace(/[^A-Za-z0-9._+-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** One job: detail, run, cancel, clone, validate, delete, i2run command, report, log, files, live events. */
export const jobRoutes: FastifyPluginAsync<JobRoutesOptions> = async (app, { ctx }) => {
  app.get<{ Params: { jid: string } }>('/jobs/:jid', { schema: { params: jid } }, async (req) =>
    jobDetail(ctx, ctx.job(req.params.jid)),
  );

  app.post<{ Params: { jid: string }; Body: RunRequest | undefined }>(
    '/jobs/:jid/run',
    {
      schema: {
        params: jid,
        body: { type: 'object', additionalProperties: false, properties: runRequestProperties },
      },
      // A run with no body at all (curl -X POST) is a run with the defaults.
      preValidation: async (req) => {
        req.body ??= {};
      },
    },
    async (req) => {
      const job = ctx.job(req.params.jid);
      if (job.status !== JobStatus.PENDING)
        throw serverError(8, `job ${job.number} is not Pending: it cannot be run`);
      const started = await ctx.start(job, ctx.executors.check(req.body ?? {}));
      ctx.changed();
      return jobDetail(ctx, started);
    },
  );

  app.post<{ Params: { jid: string } }>('/jobs/:jid/cancel', { schema: { params: jid } }, async (req) => {
    const job = ctx.job(req.params.jid);
    if (isTerminal(job.status)) throw serverError(8, `job ${job.number} has already ended`);
    const after = await ctx.cancel(job);
    ctx.changed();
    return jobDetail(ctx, after);
  });

  app.post<{ Params: { jid: string } }>(
    '/jobs/:jid/clone',
    { schema: { params: jid } },
    async (req, reply) => {
      const job = ctx.job(req.params.jid);
      const project = ctx.service.project(job);
      const values = setValues(ctx.service.makePlugin(job, project).container);
      const clone = ctx.service.createJob({
        project,
        taskName: job.taskName,
        title: job.title ?? undefined,
        configure: (plugin) => {
          assignAndValidate(plugin.container, values as never);
        },
      });
      ctx.changed();
      reply.status(201);
      return jobDetail(ctx, clone);
    },
  );

  app.post<{ Params: { jid: string } }>('/jobs/:jid/validate', { schema: { params: jid } }, async (req) => {
    const job = ctx.job(req.params.jid);
    const plugin = ctx.service.makePlugin(job, ctx.service.project(job));
    return assignAndValidate(plugin.container, {});
  });

  app.delete<{ Params: { jid: string }; Querystring: { dependants?: 'true' | 'false' } }>(
    '/jobs/:jid',
    {
      schema: {
        params: jid,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { dependants: { type: 'string', enum: ['true', 'false'] } },
        },
      },
    },
    async (req) => {
      const job = ctx.job(req.params.jid);
      return { deleted: deleteJobs(ctx, jobsToDelete(ctx, job, req.query.dependants === 'true')) };
    },
  );

  app.get<{ Params: { jid: string } }>('/jobs/:jid/i2run', { schema: { params: jid } }, async (req) => ({
    command: jobI2run(ctx, ctx.job(req.params.jid)),
  }));

  app.get<{ Params: { jid: string } }>('/jobs/:jid/report', { schema: { params: jid } }, async (req) => {
    const job = ctx.job(req.params.jid);
    const r = jobReport(job);
    if (!r) throw serverError(2, `job ${job.number} has no report yet`);
    return r;
  });

  app.get<{ Params: { jid: string } }>('/jobs/:jid/log', { schema: { params: jid } }, async (req, reply) => {
    const job = ctx.job(req.params.jid);
    const f = confinedFile(job.directory, LOG);
    reply.type('text/plain; charset=utf-8').header('content-length', f.size);
    return reply.send(createReadStream(f.path, { start: 0, end: Math.max(0, f.size - 1) }));
  });

  app.get<{ Params: { jid: string } }>('/jobs/:jid/files', { schema: { params: jid } }, async (req) => {
    const job = ctx.job(req.params.jid);
    const project = ctx.service.project(job);
    const files = ctx.db.files.list({ jobId: job.id }).map((f) => {
      const role = ctx.db.files.uses({ jobId: job.id }).find((u) => u.fileId === f.id);
      return { ...fileView(ctx.db, project, f), role: role?.role ?? null, useParam: role?.paramName ?? null };
    });
    // Everything else in the job directory (log.txt, params.xml, report.json...), by name.
    const directory: { name: string; size: number }[] = [];
    if (existsSync(job.directory))
      for (const name of readdirSync(job.directory).sort()) {
        const st = statSync(join(job.directory, name), { throwIfNoEntry: false });
        if (st?.isFile()) directory.push({ name, size: st.size });
      }
    return { files, directory };
  });

  app.get<{ Params: { jid: string }; Querystring: { path: string } }>(
    '/jobs/:jid/download',
    {
      schema: {
        params: jid,
        querystring: {
          type: 'object',
          required: ['path'],
          properties: { path: { type: 'string', minLength: 1, maxLength: 1000 }, token: { type: 'string' } },
        },
      },
    },
    async (req, reply) => {
      const job = ctx.job(req.params.jid);
      const f = confinedFile(job.directory, req.query.path);
      reply.header('content-disposition', contentDisposition(req.query.path.split('/').at(-1)!));
      reply.type('application/octet-stream').header('content-length', f.size);
      return reply.send(createReadStream(f.path));
    },
  );

  app.get<{ Params: { jid: string } }>(
    '/jobs/:jid/events',
    {
      schema: {
        params: jid,
        querystring: eventsQuery,
      },
    },
    async (req, reply) => {
      let job = ctx.job(req.params.jid);
      const stream = new SseStream(req, reply);
      // State first (the job and its latest report); then the log from where the client stopped.
      stream.send('job', jobDetail(ctx, job));
      let status: number = job.status;
      const unsubscribe = ctx.feeds.subscribe(job.projectId, (e) => {
        if (e.event === 'job' && (e.data as JobView).id === job.id) {
          status = (e.data as JobView).status;
          stream.send('job', e.data);
        } else if (e.event === 'deleted' && (e.data as { ids: string[] }).ids.includes(job.id)) {
          stream.send('deleted', { id: job.id });
          stream.close();
        }
      });
      const reportFile = join(job.directory, 'report.json');
      const reports = fileChanges(reportFile);
      let reportStamp = '';
      const sendReport = () => {
        const st = statSync(reportFile, { throwIfNoEntry: false });
        const stamp = st ? `${st.mtimeMs}:${st.size}` : '';
        if (stamp === reportStamp || !stamp) return;
        const r = jobReport(job);
        if (!r) return;
        reportStamp = stamp;
        stream.send('report', r);
      };
      sendReport();
      const watchReports = (async () => {
        while (stream.open) {
          await Promise.race([reports.next(1000), stream.closed]);
          if (stream.open) sendReport();
        }
      })();
      try {
        await followLog(stream, join(job.directory, LOG), {
          from: logOffset(stream.lastEventId),
          finished: () => {
            if (isTerminal(status)) return true;
            // The feed may not run for this project (no list open): read the row now and then.
            job = ctx.db.jobs.get(job.id) ?? job;
            status = job.status;
            return isTerminal(status);
          },
        });
        sendReport();
        await stream.closed;
      } finally {
        unsubscribe();
        reports.release();
        stream.close();
        await watchReports;
      }
    },
  );
};
