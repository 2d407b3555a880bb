import { CContainer, type CData, CDataFile, type PlainValue } from '../data/index.js';

/**
 * The parameters a job was given, as `path → value` (what the form sends back): set leaves of every
 * container but outputData and guiAdmin; files as their full path. A clone posts these back, so it never
 * carries the old job's output paths.
 */
export function setValues(task: CContainer): Record<string, PlainValue> {
  const out: Record<string, PlainValue> = {};
  const walk = (c: CContainer) => {
    for (const x of c.contents()) {
      if (x instanceof CContainer) walk(x);
      else if (x.isSet()) out[x.pathFrom(task)] = plain(x);
    }
  };
  for (const c of task.contents()) if (c instanceof CContainer && !isFixed(c.name)) walk(c);
  return out;
}

/** Outputs are named by the job; guiAdmin holds the title. */
function isFixed(name: string): boolean {
  return name === 'outputData' || name === 'guiAdmin';
}

function plain(d: CData): PlainValue {
  if (d instanceof CDataFile) return d.getFullPath() ?? d.get();
  return d.get();
}

/** A word as a POSIX shell reads it (for the copied command line only; nothing here runs a shell). */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The i2run command that runs the same job from a terminal: each set parameter by its last name (its
 * full path when that name is in two containers), files by full path, structures as `member=value`.
 */
export function i2runCommand(taskName: string, task: CContainer, projectDirectory?: string): string {
  const values = setValues(task);
  const paths = Object.keys(values);
  const leaves = new Map<string, number>();
  const count = (c: CContainer) => {
    for (const x of c.contents()) {
      if (x instanceof CContainer) count(x);
      else leaves.set(x.name, (leaves.get(x.name) ?? 0) + 1);
    }
  };
  count(task);
  const words = ['i2run', taskName];
  for (const path of paths) {
    const name = path.split('.').at(-1)!;
    const option = `--${(leaves.get(name) ?? 0) > 1 ? path : name}`;
    const v = values[path];
    if (Array.isArray(v)) for (const item of v) words.push(option, ...valueWords(item));
    else words.push(option, ...valueWords(v));
  }
  if (projectDirectory) words.push('--project_path', projectDirectory);
  return words.map(shellWord).join(' ');
}

function valueWords(v: PlainValue): string[] {
  if (v === null) return [];
  if (typeof v === 'object' && !Array.isArray(v))
    return Object.entries(v)
      .filter(([, x]) => x !== null && typeof x !== 'object')
      .map(([k, x]) => `${k}=${String(x)}`);
  if (Array.isArray(v)) return v.map((x) => String(x));
  if (typeof v === 'boolean') return [v ? 'True' : 'False'];
  return [String(v)];
}
