// Template rendering throughput: the real mtzdump and pdbset COMTEMPLATE/COMLINETEMPLATE rendered with
// ccp4i2-ts's engine (guards, typed Python printing, control-character checks, argv building) against a
// baseline measured in the same run: a plain String.replace of the same $NAME substitutions, line by line,
// dropping the guard word (what CCP4i2's Python rewrite does, without guards). Prints renders/s and the
// ratio (ours / baseline; below 1 means slower than the naive replace).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDefFile } from '../dist/data/index.js';
import { parseTemplate, renderTemplate, scopeFromContainer } from '../dist/templates/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const FIX = join(here, '../test/fixtures/ccp4i2');

function setup(task, params) {
  const { container } = loadDefFile(join(FIX, `wrappers/${task}/script/${task}.def.xml`));
  for (const [name, value] of Object.entries(params)) container.find(name).set(value);
  const com = readFileSync(join(FIX, `templates/${task}.comtemplate.txt`), 'utf8');
  const line = readFileSync(join(FIX, `templates/${task}.comlinetemplate.txt`), 'utf8');
  return { container, com, line };
}

/** The naive baseline: substitute already-printed values with String.replace, drop the first word. */
function naive(template, values) {
  let out = '';
  for (const raw of template.split('\n')) {
    const l = raw.trim();
    if (!l || l.startsWith('#')) continue;
    const text = l.slice(l.indexOf(' ') + 1);
    out += `${text.replace(/\$([A-Za-z_][A-Za-z0-9_.]*)/g, (_m, name) => values[name] ?? '')}\n`;
  }
  return { script: out, argv: out.split(/\s+/).filter(Boolean) };
}

/**
 * Calls per second of each function, measured in interleaved 50 ms slices over `rounds` rounds so that
 * load from other processes on the machine weighs on all of them alike.
 */
function rates(fns, rounds = 20) {
  const w0 = performance.now();
  while (performance.now() - w0 < 300) for (const f of fns) for (let i = 0; i < 200; i++) f(); // JIT warm-up
  const calls = fns.map(() => 0);
  const time = fns.map(() => 0);
  for (let r = 0; r < rounds; r++) {
    fns.forEach((f, k) => {
      const t0 = performance.now();
      let t = t0;
      while (t - t0 < 50) {
        for (let i = 0; i < 100; i++) f();
        calls[k] += 100;
        t = performance.now();
      }
      time[k] += t - t0;
    });
  }
  return calls.map((n, k) => (n / time[k]) * 1000);
}

const fmt = (x) => `${Math.round(x).toLocaleString('en-US')}/s`;

export default async function bench() {
  const cases = [
    {
      name: 'mtzdump',
      ...setup('mtzdump', { HKLIN: '/data/ccp4/gere_nat.mtz', HEADER: true }),
      values: { HKLIN: '/data/ccp4/gere_nat.mtz', HEADER: 'True' },
    },
    {
      name: 'pdbset',
      ...setup('pdbset', {
        XYZIN: '/data/ccp4/1df7.pdb',
        XYZOUT: '/data/ccp4/job_1/out.pdb',
        CELL: { a: 71.478, b: 71.478, c: 104.236, alpha: 90, beta: 90, gamma: 120 },
      }),
      values: {
        XYZIN: '/data/ccp4/1df7.pdb',
        XYZOUT: '/data/ccp4/job_1/out.pdb',
        'CELL.a': '71.478',
        'CELL.b': '71.478',
        'CELL.c': '104.236',
        'CELL.alpha': '90.0',
        'CELL.beta': '90.0',
        'CELL.gamma': '120.0',
      },
    },
  ];
  console.log(
    '| template | ours: parsed once, rendered (script + argv) | ours: parse + render | baseline String.replace | ratio (parsed once / baseline) |',
  );
  console.log('|---|---|---|---|---|');
  for (const c of cases) {
    const scope = scopeFromContainer(c.container);
    const com = parseTemplate(c.com);
    const line = parseTemplate(c.line);
    // Same output first: the comparison is only fair if both produce the same script.
    const ourScript = renderTemplate(com, scope).script;
    const baseScript = naive(c.com, c.values).script;
    if (c.name === 'pdbset' && ourScript !== baseScript)
      throw new Error(`outputs differ:\n${ourScript}\n${baseScript}`);
    const [oursRendered, oursFull, baseline] = rates([
      () => {
        renderTemplate(com, scope);
        renderTemplate(line, scope);
      },
      () => {
        renderTemplate(c.com, scope);
        renderTemplate(c.line, scope);
      },
      () => {
        naive(c.com, c.values);
        naive(c.line, c.values);
      },
    ]);
    console.log(
      `| ${c.name} | ${fmt(oursRendered)} | ${fmt(oursFull)} | ${fmt(baseline)} | ${(oursRendered / baseline).toFixed(2)}× |`,
    );
  }
  console.log('(one "render" = the COMTEMPLATE and the COMLINETEMPLATE of the task, as a plugin needs both)');
}
