import { randomBytes } from 'node:crypto';
import type { SseStream } from './sse.js';

/** A job as the browser shows it in a list (the `job` event and the list route). */
export interface JobView {
  id: string;
  projectId: string;
  number: string;
  parentId: string | null;
  taskName: string;
  title: string | null;
  status: number;
  statusName: string;
  created: string;
  started: string | null;
  finished: string | null;
  values: Record<string, string | number>;
  /** Where it runs (`local`, `slurm`) and its id there (a SLURM job id; a pid for local). */
  executor: string;
  externalId: string | null;
  /** While Queued/Running: what the executor last said (SLURM's state and reason); else null. */
  executorState: string | null;
}

/** Where the feed reads jobs from: a change counter that is cheap to read, and a project's jobs. */
export interface JobSource {
  /** Changes whenever any process commits to the database (`PRAGMA data_version` on a reader). */
  version(): number;
  jobs(projectId: string): JobView[];
}

export type FeedEvent = { seq: number; event: 'job' | 'deleted'; data: unknown };

const RING = 4096;

/**
 * One project's job-status events. Each change found by diffing the project's jobs against the last
 * look gets a sequence number; the last RING events are kept so that a client reconnecting with
 * Last-Event-ID `<epoch>:<seq>` gets exactly the events it missed. A client from another server run
 * (other epoch) or too far behind gets a `snapshot` of the whole list instead: never a gap, never a
 * repeat.
 */
class ProjectFeed {
  /** Changes whenever the feed is made anew, so ids of a previous feed never match. */
  readonly epoch = randomBytes(4).toString('hex');
  seq = 0;
  readonly ring: FeedEvent[] = [];
  readonly listeners = new Set<(e: FeedEvent) => void>();
  #last = new Map<string, string>();
  #primed = false;
  /** Set while the feed has no listeners: when it fires, the feed is dropped. */
  idle: NodeJS.Timeout | undefined;

  constructor(
    readonly projectId: string,
    private readonly source: JobSource,
  ) {}

  /** Diffs the project's jobs against the last look; emits one event per change. */
  refresh(): JobView[] {
    const jobs = this.source.jobs(this.projectId);
    const seen = new Map<string, string>();
    const changed: JobView[] = [];
    for (const j of jobs) {
      const sig = JSON.stringify(j);
      seen.set(j.id, sig);
      if (this.#last.get(j.id) !== sig) changed.push(j);
    }
    const gone = [...this.#last.keys()].filter((id) => !seen.has(id));
    this.#last = seen;
    if (!this.#primed) {
      this.#primed = true;
      return jobs;
    }
    for (const j of changed) this.#emit('job', j);
    if (gone.length) this.#emit('deleted', { ids: gone });
    return jobs;
  }

  #emit(event: FeedEvent['event'], data: unknown): void {
    const e = { seq: ++this.seq, event, data };
    this.ring.push(e);
    if (this.ring.length > RING) this.ring.splice(0, this.ring.length - RING);
    for (const l of this.listeners) l(e);
  }
}

export class ProjectFeeds {
  readonly #feeds = new Map<string, ProjectFeed>();
  #version: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    readonly source: JobSource,
    /** How often the database's change counter is read (a microsecond each). */
    private readonly intervalMs = 25,
    /** How long a project's events are kept after its last client left (ms). */
    private readonly keepMs = 60_000,
  ) {
    this.#version = source.version();
  }

  /** Looks now (after a write of this server, so its clients need not wait for the next tick). */
  poke(): void {
    this.#tick(true);
  }

  #tick(force = false): void {
    let v: number;
    try {
      v = this.source.version();
    } catch {
      return; // busy or closing: next tick
    }
    if (!force && v === this.#version) return;
    this.#version = v;
    for (const f of this.#feeds.values()) {
      try {
        f.refresh();
      } catch {
        // SQLITE_BUSY while another process writes: the next tick sees the change again.
        this.#version = -1;
      }
    }
  }

  #feed(projectId: string): ProjectFeed {
    let f = this.#feeds.get(projectId);
    if (f?.idle) {
      clearTimeout(f.idle);
      f.idle = undefined;
    }
    if (!f) {
      f = new ProjectFeed(projectId, this.source);
      f.refresh();
      this.#feeds.set(projectId, f);
      if (!this.#timer) {
        this.#timer = setInterval(() => this.#tick(), this.intervalMs);
        this.#timer.unref();
      }
    }
    return f;
  }

  /** Calls `fn` with each event of the project's feed until the returned function is called. */
  subscribe(projectId: string, fn: (e: FeedEvent) => void): () => void {
    const feed = this.#feed(projectId);
    feed.listeners.add(fn);
    return () => this.#release(projectId, feed, fn);
  }

  #release(projectId: string, feed: ProjectFeed, fn: (e: FeedEvent) => void): void {
    feed.listeners.delete(fn);
    if (feed.listeners.size > 0 || feed.idle) return;
    // Kept a while without listeners, so that a client reconnecting (a reload, a network blip) resumes
    // from its Last-Event-ID instead of getting a snapshot.
    feed.idle = setTimeout(() => {
      feed.idle = undefined;
      if (feed.listeners.size > 0 || this.#feeds.get(projectId) !== feed) return;
      this.#feeds.delete(projectId);
      if (this.#feeds.size === 0 && this.#timer) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    }, this.keepMs);
    feed.idle.unref();
  }

  /**
   * Serves one SSE client until it disconnects: missed events or a snapshot, then live events. A client
   * whose socket stays full while more than `maxQueued` events wait is disconnected; its browser
   * reconnects with Last-Event-ID and catches up from the ring (or a snapshot).
   */
  async serve(
    stream: SseStream,
    projectId: string,
    filter: (job: JobView) => boolean = () => true,
    maxQueued = 1000,
  ): Promise<void> {
    const feed = this.#feed(projectId);
    const queue: FeedEvent[] = [];
    let wake: (() => void) | undefined;
    const listener = (e: FeedEvent) => {
      queue.push(e);
      wake?.();
    };
    feed.listeners.add(listener);
    try {
      const m = /^([0-9a-f]{8}):(\d{1,15})$/.exec(stream.lastEventId ?? '');
      const since = m && m[1] === feed.epoch ? Number(m[2]) : undefined;
      const oldest = feed.ring[0]?.seq ?? feed.seq + 1;
      if (since !== undefined && since <= feed.seq && since >= oldest - 1) {
        for (const e of feed.ring) if (e.seq > since) queue.push(e);
      } else if (since === undefined || since !== feed.seq) {
        const jobs = feed.refresh().filter(filter);
        stream.send('snapshot', { jobs }, `${feed.epoch}:${feed.seq}`);
        queue.length = 0;
      }
      while (stream.open) {
        while (queue.length > 0 && stream.open) {
          const e = queue.shift()!;
          const data =
            e.event === 'job'
              ? filter(e.data as JobView)
                ? e.data
                : undefined
              : { ids: (e.data as { ids: string[] }).ids };
          if (data !== undefined) stream.send(e.event, data, `${feed.epoch}:${e.seq}`);
          if (stream.congested) {
            if (queue.length > maxQueued) {
              stream.close();
              return;
            }
            await Promise.race([stream.drained(), stream.closed]);
          }
        }
        await Promise.race([new Promise<void>((r) => (wake = r)), stream.closed]);
        wake = undefined;
      }
    } finally {
      this.#release(projectId, feed, listener);
    }
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const f of this.#feeds.values()) clearTimeout(f.idle);
    this.#feeds.clear();
  }
}
