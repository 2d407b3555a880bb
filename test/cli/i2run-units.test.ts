import { describe, expect, it } from 'vitest';
import { splitArgs } from '../../src/cli/i2run/argv.js';
import { parseColumnLabels } from '../../src/cli/i2run/assign.js';
import { taskParameters } from '../../src/cli/i2run/parameters.js';
import { StatusLine } from '../../src/cli/i2run/status.js';
import { loadDefString } from '../../src/data/index.js';

describe('i2run argument splitting', () => {
  it('groups values up to the next --word and picks out i2run options anywhere', () => {
    const a = splitArgs([
      '--A',
      '1',
      '2',
      '--project_path',
      'p',
      '--B=x=y',
      '--dry-run',
      '--C',
      '-5',
      '--params=f.xml',
    ]);
    expect(a.params).toEqual([
      { name: 'A', values: ['1', '2'], index: 0 },
      { name: 'B', values: ['x=y'], index: 5 },
      { name: 'C', values: ['-5'], index: 7 },
    ]);
    expect(a).toMatchObject({ projectPath: 'p', paramsFile: 'f.xml', dryRun: true, help: false });
  });

  it('refuses stray words and i2run options without exactly one value', () => {
    expect(() => splitArgs(['x'])).toThrow(/unexpected argument 'x'/);
    expect(() => splitArgs(['--project_name'])).toThrow(/exactly one value/);
    expect(() => splitArgs(['--project_name', 'a', 'b'])).toThrow(/exactly one value/);
    expect(() => splitArgs(['--=1'])).toThrow(/bad option/);
  });
});

describe('i2run column labels', () => {
  it("reads CCP4i2's /*/*/[A,B] and the shorter forms", () => {
    expect(parseColumnLabels('/*/*/[FP,SIGFP]', '--F')).toEqual(['FP', 'SIGFP']);
    expect(parseColumnLabels('[F, SIGF]', '--F')).toEqual(['F', 'SIGF']);
    expect(parseColumnLabels('I,SIGI', '--F')).toEqual(['I', 'SIGI']);
    expect(() => parseColumnLabels('/*/*/[]', '--F')).toThrow(/bad columnLabels/);
    expect(() => parseColumnLabels('a]b[', '--F')).toThrow(/bad columnLabels/);
  });
});

describe('i2run parameter names', () => {
  it('gives each parameter its shortest unique dotted suffix', () => {
    const { container } = loadDefString(
      `<ccp4i2><ccp4i2_header><pluginName>t</pluginName></ccp4i2_header><ccp4i2_body>
      <container id="inputData"><content id="A"><className>CInt</className></content>
        <container id="sub"><content id="B"><className>CInt</className></content></container></container>
      <container id="controlParameters"><content id="B"><className>CInt</className></content></container>
      </ccp4i2_body></ccp4i2>`,
      't.def.xml',
    );
    expect(taskParameters(container).map((p) => [p.path, p.shortName])).toEqual([
      ['inputData.A', 'A'],
      ['inputData.sub.B', 'sub.B'],
      ['controlParameters.B', 'controlParameters.B'],
    ]);
  });
});

describe('i2run status line', () => {
  const stream = (isTTY: boolean) => {
    const out: string[] = [];
    return { out, s: { isTTY, columns: 40, write: (x: string) => out.push(x) } };
  };

  it('plain mode: a start line, then at most one progress line per interval', () => {
    let now = 0;
    const { out, s } = stream(false);
    const st = new StatusLine({ task: 't', job: '3', stream: s, plainIntervalMs: 1000, now: () => now });
    st.start('/j');
    for (let i = 0; i < 150; i++) {
      now += 10;
      st.line(`line ${i}`, '');
    }
    st.stop();
    expect(out).toEqual([
      'i2run: t job 3 running in /j\n',
      'i2run: t job 3 0.0s | line 0\n',
      'i2run: t job 3 1.0s | line 100\n',
    ]);
  });

  it('terminal mode: redrawn in place, control characters neutralised, cut to the width', () => {
    const { out, s } = stream(true);
    const st = new StatusLine({ task: 'task', job: '1', stream: s, now: () => 0 });
    st.start('/j');
    st.line('\x1b[31mred\x1b[0m and a very long line that goes past forty columns', 'sub_1');
    st.note('hello');
    st.stop();
    for (const f of out.filter((x) => x.startsWith('\r\x1b[2K') && x.length > 5)) {
      const text = f.slice(5);
      expect(text.length).toBeLessThanOrEqual(39);
      expect(text).not.toMatch(/\x1b/);
    }
    expect(out).toContain('i2run: hello\n');
    expect(out.at(-1)).toBe('\r\x1b[2K');
  });
});
