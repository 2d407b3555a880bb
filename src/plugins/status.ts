/**
 * CCP4i2's plugin status codes, with legacy CCP4i2's numbering (the Python rewrite renumbered them and
 * lost INTERRUPTED and MARK_TO_DELETE). RUNNING is a state, never a finish status.
 */
export const PluginStatus = {
  SUCCEEDED: 0,
  FAILED: 1,
  INTERRUPTED: 2,
  MARK_TO_DELETE: 3,
  UNSATISFACTORY: 4,
  RUNNING: 5,
} as const;

export type PluginStatus = (typeof PluginStatus)[keyof typeof PluginStatus];

/** The statuses a run can finish with (what `finished` carries and `process()` resolves to). */
export type FinishStatus = Exclude<PluginStatus, typeof PluginStatus.RUNNING>;

const NAMES: Record<number, string> = {
  0: 'SUCCEEDED',
  1: 'FAILED',
  2: 'INTERRUPTED',
  3: 'MARK_TO_DELETE',
  4: 'UNSATISFACTORY',
  5: 'RUNNING',
};

export function statusName(status: number | null | undefined): string {
  return status === null || status === undefined ? 'NOT_STARTED' : (NAMES[status] ?? `UNKNOWN(${status})`);
}

export function isFinishStatus(value: unknown): value is FinishStatus {
  return value === 0 || value === 1 || value === 2 || value === 3 || value === 4;
}
