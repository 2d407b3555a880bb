// Ctrl-C without orphans. Programs run detached (their own session and process group, so that a whole
// tree can be stopped), which also means a terminal's Ctrl-C, hang-up or a `kill` of Node reaches Node
// alone. Left to Node's default action, Node would die and the programs would run on. So while anything
// runs, and only if the application has no handler of its own for the signal, the first SIGINT, SIGTERM
// or SIGHUP stops everything that runs (plugin jobs end INTERRUPTED with their files written), then
// re-raises the signal so that Node ends as it would have. An application with its own handler (i2run)
// decides for itself; it cancels its jobs through cancel() or an AbortSignal. And if Node exits anyway
// while programs run (process.exit(), an uncaught exception), their processes are killed on the way out.

/** Something running that can be stopped: a program run, or a plugin job. */
export interface Interruptible {
  cancel(): void;
  /** Settles once it has stopped and its results are written. */
  readonly done: Promise<unknown>;
  /** Last resort when Node exits while this runs: kill at once, synchronously (no clean-up possible). */
  killNow?(): void;
}

export const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type InterruptSignal = (typeof INTERRUPT_SIGNALS)[number];

const active = new Set<Interruptible>();
let installed = false;
let stopping: InterruptSignal | undefined;

function onSignal(signal: InterruptSignal): void {
  // The application listens to this signal too: it decides what happens.
  if (process.listenerCount(signal) > 1) return;
  // A second signal while stopping: stopping takes at most the grace period before SIGKILL.
  if (stopping) return;
  stopping = signal;
  const all = [...active];
  for (const a of all) a.cancel();
  void Promise.allSettled(all.map((a) => a.done)).then(() => {
    uninstall();
    process.kill(process.pid, signal);
  });
}

function onExit(): void {
  for (const a of active) a.killNow?.();
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const s of INTERRUPT_SIGNALS) process.on(s, onSignal);
  process.on('exit', onExit);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const s of INTERRUPT_SIGNALS) process.off(s, onSignal);
  process.off('exit', onExit);
}

/**
 * Registers something running until `done` settles: a terminating signal that the application does not
 * handle itself stops it first. Returns the function that unregisters it.
 */
export function stopOnInterrupt(item: Interruptible): () => void {
  active.add(item);
  install();
  if (stopping) item.cancel();
  // The handlers stay installed when nothing runs (installing and removing four listeners per job was
  // measurable per-job cost); a signal then finds nothing to stop and is re-raised at once, as before.
  return () => {
    active.delete(item);
  };
}

/** Whether a terminating signal is stopping everything (new work is cancelled at once). */
export function interruptInProgress(): boolean {
  return stopping !== undefined;
}
