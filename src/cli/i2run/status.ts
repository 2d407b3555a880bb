/** Where the status goes: a terminal gets one line redrawn in place, anything else plain lines. */
export interface StatusStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface StatusOptions {
  task: string;
  job: string;
  stream: StatusStream;
  /** Redraw period on a terminal (ms). */
  redrawMs?: number;
  /** Minimum interval between plain progress lines (ms). */
  plainIntervalMs?: number;
  now?: () => number;
}

/**
 * The live status of a running job: task, job, elapsed time and the last line a program wrote. On a
 * terminal it is one line redrawn in place (`\r` + erase line); otherwise a plain line when the job
 * starts, then at most one progress line per interval (the log itself is in the job's log.txt), so
 * 100 MB of program output does not become 100 MB of i2run output.
 */
export class StatusLine {
  readonly #o: Required<Omit<StatusOptions, 'now'>> & { now: () => number };
  readonly #start: number;
  #last = '';
  #lastJob = '';
  #dirty = false;
  #lastPlain = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;
  #drawn = false;

  constructor(o: StatusOptions) {
    this.#o = { redrawMs: 200, plainIntervalMs: 5000, now: Date.now, ...o };
    this.#start = this.#o.now();
  }

  get tty(): boolean {
    return this.#o.stream.isTTY === true;
  }

  start(directory: string): void {
    if (this.tty) {
      this.#timer = setInterval(() => this.#draw(), this.#o.redrawMs);
      this.#timer.unref();
      this.#draw();
    } else this.#o.stream.write(`i2run: ${this.#o.task} job ${this.#o.job} running in ${directory}\n`);
  }

  /** A line of program output (from the job or one of its sub-jobs). */
  line(text: string, job: string): void {
    const t = text.trim();
    if (t === '') return;
    this.#last = t;
    this.#lastJob = job;
    this.#dirty = true;
    if (!this.tty && this.#o.now() - this.#lastPlain >= this.#o.plainIntervalMs) this.#plain();
  }

  /** A message of i2run itself (cancelling...): on its own line. */
  note(text: string): void {
    if (this.tty && this.#drawn) this.#o.stream.write('\r\x1b[2K');
    this.#o.stream.write(`i2run: ${text}\n`);
    if (this.tty) this.#draw();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.tty && this.#drawn) this.#o.stream.write('\r\x1b[2K');
    this.#drawn = false;
  }

  #elapsed(): string {
    return `${((this.#o.now() - this.#start) / 1000).toFixed(1)}s`;
  }

  #text(): string {
    const head = `${this.#o.task} job ${this.#o.job} ${this.#elapsed()}`;
    return this.#last
      ? `${head} | ${this.#lastJob ? `${this.#lastJob}: ` : ''}${this.#last}`
      : `${head} | running`;
  }

  #draw(): void {
    const cols = this.#o.stream.columns;
    const width = Math.max(20, (cols && cols > 0 ? cols : 80) - 1);
    // Control characters from a program must not move the cursor.
    let t = this.#text().replace(/[\x00-\x1f\x7f]/g, ' ');
    if (t.length > width) t = `${t.slice(0, width - 1)}…`;
    this.#o.stream.write(`\r\x1b[2K${t}`);
    this.#drawn = true;
  }

  #plain(): void {
    if (!this.#dirty) return;
    this.#dirty = false;
    this.#lastPlain = this.#o.now();
    this.#o.stream.write(`i2run: ${this.#text()}\n`);
  }
}
