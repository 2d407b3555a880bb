import { spawnSync } from 'node:child_process';

const PYTHON = '/usr/bin/python3';

/**
 * Whether Debian's python3-gemmi is importable by /usr/bin/python3 (a pyenv python3 on PATH would not
 * see it). Skips with a message when absent; under CI=true .ci/run must have installed it.
 */
export function requirePythonGemmi(): boolean {
  const r = spawnSync(PYTHON, ['-c', 'import gemmi'], { stdio: 'ignore' });
  const ok = r.error === undefined && r.status === 0;
  if (!ok) {
    if (process.env.CI === 'true')
      throw new Error('python3-gemmi is required under CI=true (apt-get install python3-gemmi)');
    console.warn('skipping tests that need python3-gemmi: /usr/bin/python3 cannot import gemmi');
  }
  return ok;
}

/** Runs a Python snippet that reads JSON `args` from stdin and prints one JSON value. */
export function gemmiPython<T>(script: string, args: unknown): T {
  const r = spawnSync(PYTHON, ['-c', `import gemmi, json, sys\nargs = json.load(sys.stdin)\n${script}`], {
    input: JSON.stringify(args),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`python3 gemmi failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** gemmi's fractionalisation matrix of each cell [a, b, c, alpha, beta, gamma]. */
export function gemmiFractionalisation(cells: number[][]): number[][][] {
  return gemmiPython<number[][][]>(
    'print(json.dumps([gemmi.UnitCell(*c).frac.mat.tolist() for c in args]))',
    cells,
  );
}

/** Cell, space group and fractionalisation gemmi reads from a coordinate file. */
export function gemmiReadStructure(path: string): { cell: number[]; sg: string; frac: number[][] } {
  return gemmiPython(
    'st = gemmi.read_structure(args)\nc = st.cell\nprint(json.dumps({"cell": [c.a, c.b, c.c, c.alpha, c.beta, c.gamma], "sg": st.spacegroup_hm, "frac": c.frac.mat.tolist()}))',
    path,
  );
}
