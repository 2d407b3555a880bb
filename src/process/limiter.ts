import { availableParallelism } from 'node:os';
import { ProcessErrorCode, processError } from './errors.js';

interface Waiter {
  grant: (release: () => void) => void;
  reject: (e: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** Raised to a queued caller whose AbortSignal fired before a slot became free. */
export class QueueAbortedError extends Error {
  constructor() {
    super('cancelled while waiting for a free process slot');
    this.name = 'AbortError';
  }
}

/**
 * A FIFO counting semaphore bounding how many programs run at once. Callers beyond the limit wait in
 * order; a waiter whose AbortSignal fires leaves the queue at once.
 */
export class ConcurrencyLimiter {
  #max: number;
  #running = 0;
  readonly #queue: Waiter[] = [];

  constructor(max: number) {
    this.#max = ConcurrencyLimiter.#check(max);
  }

  static #check(max: number): number {
    if (!Number.isInteger(max) || max < 1)
      throw processError(
        ProcessErrorCode.INVALID_OPTION,
        `concurrency limit must be an integer >= 1, got ${String(max)}`,
        { objectPath: 'maxConcurrency' },
      );
    return max;
  }

  get max(): number {
    return this.#max;
  }

  /** Changes the limit; raising it starts queued callers at once, lowering it lets running ones finish. */
  set max(value: number) {
    this.#max = ConcurrencyLimiter.#check(value);
    this.#drain();
  }

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Waits for a slot; resolves with its release function (idempotent). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new QueueAbortedError());
    if (this.#running < this.#max && this.#queue.length === 0) {
      this.#running++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((grant, reject) => {
      const w: Waiter = { grant, reject, signal };
      if (signal) {
        w.onAbort = () => {
          const i = this.#queue.indexOf(w);
          if (i >= 0) this.#queue.splice(i, 1);
          reject(new QueueAbortedError());
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.#queue.push(w);
    });
  }

  #releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#running--;
      this.#drain();
    };
  }

  #drain(): void {
    while (this.#running < this.#max && this.#queue.length > 0) {
      const w = this.#queue.shift()!;
      if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
      this.#running++;
      w.grant(this.#releaser());
    }
  }
}

let globalLimiter: ConcurrencyLimiter | undefined;

/** The limiter every run uses unless given another: os.availableParallelism() slots by default. */
export function defaultLimiter(): ConcurrencyLimiter {
  globalLimiter ??= new ConcurrencyLimiter(availableParallelism());
  return globalLimiter;
}

/** Sets the global concurrency limit (e.g. from a command-line option). */
export function setMaxConcurrentPrograms(max: number): void {
  defaultLimiter().max = max;
}
