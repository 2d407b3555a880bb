import { StringDecoder } from 'node:string_decoder';

/** One line a program wrote, without its line terminator. */
export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
  /** A piece of a line longer than maxLineLength; the rest follows in the next line(s). */
  incomplete?: boolean;
  /** Lines an async-iterator follower missed just before this one because it fell too far behind. */
  skipped?: number;
}

/**
 * Splits one output stream into lines as chunks arrive, with bounded memory: a line longer than
 * `maxLength` characters is delivered in pieces instead of being accumulated.
 */
export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8');
  #pending = '';
  #discarding = false;

  constructor(
    readonly stream: 'stdout' | 'stderr',
    readonly maxLength: number,
    readonly emit: (line: OutputLine) => void,
  ) {}

  /** Forget the current partial line: followers joining mid-line start at the next whole line. */
  resync(): void {
    this.#pending = '';
    this.#discarding = true;
  }

  push(chunk: Buffer): void {
    let text = this.#decoder.write(chunk);
    if (this.#discarding) {
      const nl = text.indexOf('\n');
      if (nl < 0) return;
      text = text.slice(nl + 1);
      this.#discarding = false;
    }
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      let line = this.#pending + text.slice(start, nl);
      this.#pending = '';
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.#emitBounded(line, false);
      start = nl + 1;
    }
    this.#pending += text.slice(start);
    if (this.#pending.length > this.maxLength) {
      // Keep the remainder short; pieces are marked incomplete.
      const cut = this.#pending.length - (this.#pending.length % this.maxLength || this.maxLength);
      this.#emitBounded(this.#pending.slice(0, cut), true);
      this.#pending = this.#pending.slice(cut);
    }
  }

  /** End of stream: deliver a last line that had no terminator. */
  end(): void {
    let rest = this.#pending + this.#decoder.end();
    this.#pending = '';
    if (rest.endsWith('\r')) rest = rest.slice(0, -1);
    if (rest.length > 0 && !this.#discarding) this.#emitBounded(rest, false);
  }

  #emitBounded(line: string, incomplete: boolean): void {
    const max = this.maxLength;
    let i = 0;
    while (line.length - i > max) {
      this.emit({ stream: this.stream, text: line.slice(i, i + max), incomplete: true });
      i += max;
    }
    this.emit(
      incomplete
        ? { stream: this.stream, text: line.slice(i), incomplete: true }
        : { stream: this.stream, text: line.slice(i) },
    );
  }
}

interface Subscriber {
  queue: OutputLine[];
  head: number;
  skipped: number;
  wake?: () => void;
}

/**
 * Fans lines out to async-iterator followers. Each follower has its own bounded queue: a follower that
 * falls more than `bufferSize` lines behind loses the oldest ones (reported in `skipped`) rather than
 * stalling the program or growing without bound.
 */
export class LineFeed {
  readonly #subs = new Set<Subscriber>();
  #closed = false;

  constructor(readonly bufferSize: number) {}

  get followers(): number {
    return this.#subs.size;
  }

  push(line: OutputLine): void {
    for (const s of this.#subs) {
      if (s.queue.length - s.head >= this.bufferSize) {
        s.head++;
        s.skipped++;
      }
      s.queue.push(line);
      if (s.head > 1024 && s.head * 2 > s.queue.length) {
        s.queue = s.queue.slice(s.head);
        s.head = 0;
      }
      s.wake?.();
    }
  }

  close(): void {
    this.#closed = true;
    for (const s of this.#subs) s.wake?.();
  }

  /** Lines from now until the program's output ends. Breaking out of the loop unsubscribes. */
  subscribe(): AsyncIterableIterator<OutputLine> {
    const sub: Subscriber = { queue: [], head: 0, skipped: 0 };
    if (!this.#closed) this.#subs.add(sub);
    const done = (): IteratorResult<OutputLine> => {
      this.#subs.delete(sub);
      sub.queue = [];
      sub.head = 0;
      return { done: true, value: undefined };
    };
    const iterator: AsyncIterableIterator<OutputLine> = {
      next: async () => {
        for (;;) {
          if (sub.head < sub.queue.length) {
            let line = sub.queue[sub.head++]!;
            if (sub.skipped > 0) {
              line = { ...line, skipped: sub.skipped };
              sub.skipped = 0;
            }
            return { done: false, value: line };
          }
          if (this.#closed || !this.#subs.has(sub)) return done();
          await new Promise<void>((r) => {
            sub.wake = r;
          });
          sub.wake = undefined;
        }
      },
      return: async () => done(),
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}
