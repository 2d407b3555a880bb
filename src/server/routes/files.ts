import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { confinedFile } from '../confine.js';
import type { ServerContext } from '../context.js';
import { serverError } from '../errors.js';
import { idParam } from './projects.js';

/** A project file by id: download, confined to its project's directory (real paths, no symlink escape). */
export const fileRoutes: FastifyPluginAsync<{ ctx: ServerContext }> = async (app, { ctx }) => {
  app.get<{ Params: { fid: string } }>(
    '/files/:fid/download',
    { schema: { params: idParam('fid') } },
    async (req, reply) => {
      const rec = ctx.db.files.get(req.params.fid);
      if (!rec) throw serverError(2, `no file '${req.params.fid}'`);
      const project = ctx.project(rec.projectId);
      const f = confinedFile(project.directory, rec.path);
      const name = basename(rec.path).replace(/[^A-Za-z0-9._+-]/g, '_');
      reply.header('content-disposition', `attachment; filename="${name}"`);
      reply.type('application/octet-stream').header('content-length', f.size);
      return reply.send(createReadStream(f.path));
    },
  );
};
