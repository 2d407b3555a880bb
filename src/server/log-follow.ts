import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { fileChanges } from './file-changes.js';
import type { SseStream } from './sse.js';

export interface FollowOptions {
  /** Byte offset to resume from (the client's Last-Event-ID); absent: start with the tail. */
  from?: number;
  /** How much of the end a new client gets, and a client that fell behind jumps to (default 256 KiB). */
  tailBytes?: number;
  /** A client further behind than this gets the tail and a notice instead (default 4 MiB). */
  maxBehindBytes?: number;
  /** Largest event (default 64 KiB): the most one client holds in memory at a time. */
  chunkBytes?: number;
  /** True once the job has ended: the last partial line is sent and following stops at the end. */
  finished: () => boolean;
}

/** Event ids of log events: `L<byte offset after this chunk>`. */
export function logOffset(lastEventId: string | undefined): number | undefined {
  const m = /^L(\d{1,15})$/.exec(lastEventId ?? '');
  return m ? Number(m[1]) : undefined;
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function readAt(file: string, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  let fd: number;
  try {
    // a log replaced by a FIFO must not block the server: open without waiting, read regular files only
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return buf.subarray(0, 0);
  }
  try {
    if (!fstatSync(fd).isFile()) return buf.subarray(0, 0);
    const n = readSync(fd, buf, 0, len, pos);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** The offset just after the first newline at or after `pos` (so a tail starts on a whole line). */
function lineStart(file: string, pos: number, limit: number): number {
  if (pos === 0) return 0;
  const b = readAt(file, pos - 1, Math.min(limit, 64 * 1024));
  const i = b.indexOf(10);
  return i < 0 ? pos : pos + i;
}

/**
 * Streams a growing log file to one SSE client as `log` events of whole lines, each with the byte offset
 * after it as event id, so a reconnect resumes exactly there (nothing lost, nothing repeated). Reads happen
 * only when the client's socket has drained: a slow client costs at most one chunk of memory, and one
 * that falls more than `maxBehindBytes` behind jumps to the tail with a `notice` event saying what it skipped.
 */
export async function followLog(stream: SseStream, file: string, opts: FollowOptions): Promise<void> {
  const tail = opts.tailBytes ?? 256 * 1024;
  const maxBehind = Math.max(opts.maxBehindBytes ?? 4 * 1024 * 1024, tail);
  const chunk = opts.chunkBytes ?? 64 * 1024;
  const changes = fileChanges(file);
  try {
    let size = sizeOf(file);
    let pos: number;
    if (opts.from !== undefined && opts.from <= size) pos = opts.from;
    else {
      pos = size > tail ? lineStart(file, size - tail, size) : 0;
      if (opts.from !== undefined && opts.from > size) stream.send('reset', { reason: 'log was rewritten' });
      if (pos > 0)
        stream.send('notice', {
          message: `showing the end of the log: ${pos} earlier bytes are in log.txt (Files tab)`,
          skipped: pos,
        });
    }
    while (stream.open) {
      size = sizeOf(file);
      if (size < pos) {
        // Truncated or replaced: start again from its beginning.
        stream.send('reset', { reason: 'log was rewritten' });
        pos = 0;
      }
      if (size - pos > maxBehind) {
        const to = lineStart(file, size - tail, size);
        stream.send('notice', {
          message: `the log grew faster than it could be sent: skipped ${to - pos} bytes (full log in the Files tab)`,
          skipped: to - pos,
        });
        pos = to;
      }
      const done = opts.finished();
      if (size > pos) {
        const b = readAt(file, pos, Math.min(chunk, size - pos));
        const nl = b.lastIndexOf(10);
        // Whole lines only, unless the job ended or one line is longer than a chunk.
        const take = nl >= 0 ? nl + 1 : done || b.length === chunk ? b.length : 0;
        if (take > 0) {
          pos += take;
          stream.send('log', { text: b.subarray(0, take).toString('utf8') }, `L${pos}`);
          if (stream.congested) await Promise.race([stream.drained(), stream.closed]);
          continue;
        }
      }
      if (done && pos >= size) {
        stream.send('log-end', { size: pos });
        await stream.closed;
        return;
      }
      await Promise.race([changes.next(500), stream.closed]);
    }
  } finally {
    changes.release();
  }
}
