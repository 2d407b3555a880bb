import type { Signal } from './signal.js';

/** Payload of CPluginScript's `finished` signal. */
export interface FinishedPayload {
  finishStatus: number;
  jobId?: string | number | null;
}

export interface ConnectSignalOptions {
  /**
   * What the handler takes: 'status' → the finishStatus integer (legacy handlers declared `int`),
   * 'payload' → `{finishStatus, jobId}`. Declared by the caller; never guessed from the handler.
   */
  wants: 'status' | 'payload';
  once?: boolean;
}

/**
 * CCP4i2's legacy `connectSignal(origin, 'finished', handler)`. `origin` is any object with a
 * `finished: Signal<FinishedPayload>` (CPluginScript). Returns the disposer.
 */
export function connectSignal(
  origin: { finished: Signal<FinishedPayload> },
  signalName: 'finished',
  handler: ((status: number) => unknown) | ((payload: FinishedPayload) => unknown),
  opts: ConnectSignalOptions,
): () => void {
  const signal = origin[signalName];
  const wants = opts.wants;
  const slot =
    wants === 'status'
      ? (p: FinishedPayload) => (handler as (s: number) => unknown)(p.finishStatus)
      : (p: FinishedPayload) => (handler as (p: FinishedPayload) => unknown)(p);
  return signal.connect(slot, { once: opts.once });
}
