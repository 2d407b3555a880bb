import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { type FileRecord, fileFacts, type ProjectRecord } from '../db/index.js';
import { claimFreeName, makeDirectories, writeStreamAtomic } from '../files/index.js';
import { IMPORTED_DIR } from '../jobs/index.js';
import type { ServerContext } from './context.js';
import { serverError } from './errors.js';

const CLASS_RE = /^C[A-Za-z0-9]{1,60}$/;

/** A file name safe in a directory: the base name, odd characters as `_`, never hidden, at most 120 chars. */
export function safeFileName(name: string): string {
  let n = basename(name.replace(/\\/g, '/')).replace(/[^A-Za-z0-9._+-]/g, '_');
  n = n.replace(/^[.]+/, '_').slice(-120);
  return n === '' || n === '_' ? 'upload' : n;
}

/**
 * Imports one uploaded file into the project's CCP4_IMPORTED_FILES (CCP4i2's FileImport: original name,
 * checksum): written whole under a fresh name or not at all; too large (the multipart limit) → 413 and
 * nothing left behind. Fields before the file: `className` (CMtzDataFile...), `annotation`.
 */
export async function importUpload(
  ctx: ServerContext,
  project: ProjectRecord,
  req: FastifyRequest,
): Promise<FileRecord> {
  if (!req.isMultipart()) throw serverError(7, 'an upload must be multipart/form-data with a file field');
  const fields: Record<string, string> = {};
  let file: MultipartFile | undefined;
  let record: FileRecord | undefined;
  for await (const part of req.parts()) {
    if (part.type === 'field') {
      if (typeof part.value === 'string') fields[part.fieldname] = part.value;
      continue;
    }
    if (record) throw serverError(7, 'one file per upload');
    file = part;
    const className = fields.className || null;
    if (className !== null && !CLASS_RE.test(className)) throw serverError(7, `bad className '${className}'`);
    const dir = join(project.directory, IMPORTED_DIR);
    try {
      makeDirectories(dir);
    } catch (e) {
      throw serverError(7, `cannot create ${IMPORTED_DIR}: ${(e as Error).message}`, {
        file: dir,
      });
    }
    // the name is claimed (created empty, exclusively) before the upload streams in: two uploads of one
    // name at once get two files, never one overwriting the other under both records
    const target = claimFreeName(dir, safeFileName(part.filename || 'upload'));
    try {
      await writeStreamAtomic(target, part.file);
    } catch (e) {
      await rm(target, { force: true });
      throw e;
    }
    if (part.file.truncated) {
      await rm(target, { force: true });
      throw serverError(5, `the upload is larger than the limit; nothing was kept`);
    }
    const facts = fileFacts(target);
    record = ctx.db.files.addImport(
      {
        projectId: project.id,
        jobId: null,
        paramName: null,
        className,
        subType: null,
        contentFlag: null,
        annotation: fields.annotation?.slice(0, 500) || part.filename || null,
        path: target,
        size: facts?.size ?? null,
        checksum: facts?.checksum ?? null,
      },
      part.filename || basename(target),
      null,
    );
  }
  if (!file || !record) throw serverError(7, 'the upload has no file');
  return record;
}
