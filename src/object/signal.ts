import { CErrorReport } from '../report/error-report.js';

export type Slot<T> = (value: T) => unknown;

/** Something that owns connections and drops them when it is destroyed (HierarchicalObject). */
export interface ConnectionOwner {
  adoptConnection(dispose: () => void): void;
  releaseConnection(dispose: () => void): void;
}

export interface ConnectOptions {
  /** Disconnect after the first emission. */
  once?: boolean;
  /** The connection is dropped when this owner is destroyed. */
  owner?: ConnectionOwner;
}

interface Connection<T> {
  slot: Slot<T>;
  once: boolean;
  owner?: ConnectionOwner;
  dispose: () => void;
}

/**
 * A typed signal. Slots run in connection order; a throwing slot is recorded in the returned
 * CErrorReport (code 1 of class `Signal`) and the remaining slots still run.
 */
export class Signal<T = void> {
  private connections: Connection<T>[] = [];
  /** Called with each slot failure (default: none). Global hook for logging. */
  static onSlotError: ((error: unknown, signal: string) => void) | undefined;

  constructor(readonly name = 'signal') {}

  connect(slot: Slot<T>, opts: ConnectOptions = {}): () => void {
    const c: Connection<T> = { slot, once: opts.once ?? false, owner: opts.owner, dispose: () => {} };
    c.dispose = () => {
      const i = this.connections.indexOf(c);
      if (i >= 0) this.connections.splice(i, 1);
      if (c.owner) {
        const o = c.owner;
        c.owner = undefined;
        o.releaseConnection(c.dispose);
      }
    };
    this.connections.push(c);
    opts.owner?.adoptConnection(c.dispose);
    return c.dispose;
  }

  once(slot: Slot<T>, opts: Omit<ConnectOptions, 'once'> = {}): () => void {
    return this.connect(slot, { ...opts, once: true });
  }

  /** Disconnects one slot (every connection of it), or every slot when none is given. */
  disconnect(slot?: Slot<T>): void {
    for (const c of [...this.connections]) if (slot === undefined || c.slot === slot) c.dispose();
  }

  get connectionCount(): number {
    return this.connections.length;
  }

  emit(value: T): CErrorReport {
    const report = new CErrorReport();
    for (const c of this.snapshot()) {
      try {
        c.slot(value);
      } catch (e) {
        this.recordFailure(report, e);
      }
    }
    return report;
  }

  /** Runs slots in order, awaiting each one's promise; failures are recorded as in `emit`. */
  async emitAsync(value: T): Promise<CErrorReport> {
    const report = new CErrorReport();
    for (const c of this.snapshot()) {
      try {
        await c.slot(value);
      } catch (e) {
        this.recordFailure(report, e);
      }
    }
    return report;
  }

  private snapshot(): Connection<T>[] {
    const list = [...this.connections];
    for (const c of list) if (c.once) c.dispose();
    return list;
  }

  private recordFailure(report: CErrorReport, e: unknown): void {
    report.append('Signal', 1, {
      details: `${this.name}: ${e instanceof Error ? e.message : String(e)}`,
    });
    Signal.onSlotError?.(e, this.name);
  }
}
