import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BATCH_FILES } from './batch-script.js';

/** What the batch script recorded in slurm.status. */
export interface JobStatusFile {
  state: 'running' | 'ended';
  job?: string;
  node?: string;
  /** Epoch seconds. */
  start?: number;
  end?: number;
  /** The command's exit code, when it exited. */
  exitCode?: number;
  /** The signal number that killed the command, when it was killed. */
  signal?: number;
  /** The signal the batch script itself received (TERM: scancel, time limit, node shutdown). */
  received?: string;
  /** The script's own failure (e.g. slurm.argv unreadable). */
  error?: string;
}

const INT = /^\d+$/;

/** Parses the status file's text; undefined when it is empty or not a status file (never throws). */
export function parseStatusFile(text: string): JobStatusFile | undefined {
  const kv = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) kv.set(line.slice(0, i), line.slice(i + 1));
  }
  const state = kv.get('state');
  if (state !== 'running' && state !== 'ended') return undefined;
  const num = (k: string) => {
    const v = kv.get(k);
    return v !== undefined && INT.test(v) ? Number(v) : undefined;
  };
  const text_ = (k: string) => kv.get(k) || undefined;
  return {
    state,
    job: text_('job'),
    node: text_('node'),
    start: num('start'),
    end: num('end'),
    exitCode: num('exit'),
    signal: num('signal'),
    received: text_('received'),
    error: text_('error'),
  };
}

/** Reads `jobDirectory/slurm.status`; undefined when absent or unreadable. */
export function readStatusFile(jobDirectory: string): JobStatusFile | undefined {
  try {
    return parseStatusFile(readFileSync(join(jobDirectory, BATCH_FILES.status), 'utf8'));
  } catch {
    return undefined;
  }
}
