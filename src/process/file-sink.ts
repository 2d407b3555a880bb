import { write, writev } from 'node:fs';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';

const writevAsync = promisify(writev);
const writeAsync = promisify(write);

/**
 * Writes a program's output to a file as it arrives, in order, with bounded memory: when more than
 * `highWater` bytes wait to be written, the sources are paused (so the program blocks on its pipe) until
 * the disk catches up. Several sources may share one sink (stdout and stderr into the same file).
 * A write error (disk full...) is kept, and later output is discarded so the program is never stalled.
 */
export class FileSink {
  readonly #queue: Buffer[] = [];
  #queued = 0;
  #writing = false;
  #error: Error | undefined;
  readonly #paused = new Set<Readable>();
  #idle: (() => void)[] = [];

  constructor(
    readonly fd: number,
    readonly highWater = 1 << 20,
  ) {}

  get error(): Error | undefined {
    return this.#error;
  }

  write(chunk: Buffer, source: Readable): void {
    if (this.#error) return;
    this.#queue.push(chunk);
    this.#queued += chunk.length;
    if (this.#queued > this.highWater && !this.#paused.has(source)) {
      this.#paused.add(source);
      source.pause();
    }
    if (!this.#writing) void this.#loop();
  }

  /** Resolves when everything queued so far is on disk (or failed). */
  flush(): Promise<void> {
    if (!this.#writing && this.#queue.length === 0) return Promise.resolve();
    return new Promise((r) => this.#idle.push(r));
  }

  async #loop(): Promise<void> {
    this.#writing = true;
    while (this.#queue.length > 0 && !this.#error) {
      const batch = this.#queue.splice(0);
      const total = batch.reduce((n, b) => n + b.length, 0);
      try {
        let written = (await writevAsync(this.fd, batch)).bytesWritten;
        // A short write (rare on regular files): write the rest.
        if (written < total) {
          const rest = Buffer.concat(batch).subarray(written);
          let off = 0;
          while (off < rest.length)
            off += (await writeAsync(this.fd, rest, off, rest.length - off, null)).bytesWritten;
          written = total;
        }
      } catch (e) {
        this.#error = e as Error;
        this.#queue.length = 0;
      }
      this.#queued -= total;
      if (this.#error || this.#queued <= this.highWater / 2) {
        for (const s of this.#paused) s.resume();
        this.#paused.clear();
      }
    }
    this.#queued = 0;
    this.#writing = false;
    for (const r of this.#idle.splice(0)) r();
  }
}
