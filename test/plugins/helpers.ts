import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { readDiagnosticXml } from '../../src/report/index.js';
import { expectNoSurvivors } from '../process/helpers.js';

const dirs: string[] = [];

export function tempDir(): string {
  const d = realpathSync(mkdtempSync(join(tmpdir(), 'ccp4i2-plugins-')));
  dirs.push(d);
  return d;
}

// After each test, /proc must show no process running in any directory the test made.
afterEach(() => {
  const done = dirs.splice(0);
  try {
    expectNoSurvivors(done);
  } finally {
    for (const d of done) rmSync(d, { recursive: true, force: true });
  }
});

/** Writes an executable shell script (a stand-in program written by the test). */
export function program(dir: string, name: string, body: string, shell = '/bin/sh'): string {
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  writeFileSync(p, `#!${shell}\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

/** A minimal CCP4i2 .def.xml: `containers` maps container name to [name, className, qualifiers xml][]. */
export function defFile(
  dir: string,
  task: string,
  containers: Record<string, [string, string, string?][]>,
): string {
  const body = Object.entries(containers)
    .map(
      ([c, items]) =>
        `<container id="${c}">${items
          .map(
            ([n, cls, q]) =>
              `<content id="${n}"><className>${cls}</className>${q ? `<qualifiers>${q}</qualifiers>` : ''}</content>`,
          )
          .join('')}</container>`,
    )
    .join('\n');
  mkdirSync(dir, { recursive: true });
  const p = join(dir, `${task}.def.xml`);
  writeFileSync(
    p,
    `<?xml version='1.0'?>\n<ccp4i2><ccp4i2_header><function>DEF</function><pluginName>${task}</pluginName></ccp4i2_header><ccp4i2_body>${body}</ccp4i2_body></ccp4i2>\n`,
  );
  return p;
}

export function read(path: string): string {
  return readFileSync(path, 'utf8');
}

/** The codes in a job's diagnostic.xml, as `Class:code`. */
export function diagnosticCodes(jobDir: string): string[] {
  const p = join(jobDir, 'diagnostic.xml');
  if (!existsSync(p)) return [];
  return readDiagnosticXml(p).entries.map((e) => `${e.className}:${e.code}`);
}

export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat[stat.lastIndexOf(')') + 2];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
