import type { Command } from 'commander';

/**
 * `ccp4i2 def show FILE.def.xml [--root DIR] [--json]`: loads a task definition and prints its
 * container tree (or, with --json, one object per content: path, className, qualifiers, subItem).
 * Problems in the file go to stderr; exit 1 when any is an error, 2 when the file cannot be read.
 */
export function register(program: Command): void {
  const def = program.command('def').description('CCP4i2 task definitions (.def.xml)');
  def
    .command('show')
    .description('print the container tree of a .def.xml file')
    .argument('<file>', 'task definition (.def.xml)')
    .option('--root <dir>', 'CCP4I2_TOP for <file> includes (default: env CCP4I2_TOP)')
    .option('--json', 'print a JSON array with one object per content')
    .action(async (file: string, opts: { root?: string; json?: boolean }) => {
      const { loadDefFile, CContainer, CList } = await import('../../data/index.js');
      const { formatEntry } = await import('../../report/index.js');
      const { container, report, taskName } = loadDefFile(file, { root: opts.root });
      if (opts.json) {
        const out: unknown[] = [];
        for (const node of container.walk()) {
          if (node === container || node instanceof CContainer) continue;
          const d = node as InstanceType<typeof CList>;
          if (!(d.parent instanceof CContainer)) continue; // members of files, cells, list items
          const o: Record<string, unknown> = {
            path: d.pathFrom(container),
            className: d.className,
            qualifiers: d.ownQualifiers(),
          };
          if (d instanceof CList && d.hasOwnSubItem()) o.subItem = d.subItem;
          out.push(o);
        }
        process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
      } else {
        const lines = [`${taskName}`];
        const walk = (c: InstanceType<typeof CContainer>, depth: number) => {
          for (const x of c.contents()) {
            const pad = '  '.repeat(depth);
            if (x instanceof CContainer) {
              lines.push(`${pad}${x.name}/`);
              walk(x, depth + 1);
            } else {
              const q = Object.entries(x.ownQualifiers())
                .filter(([k]) =>
                  ['default', 'min', 'max', 'allowUndefined', 'mustExist', 'enumerators'].includes(k),
                )
                .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
              const sub = x instanceof CList ? `<${x.subItem.className}>` : '';
              lines.push(`${pad}${x.name}  ${x.className}${sub}${q.length ? `  ${q.join(' ')}` : ''}`);
            }
          }
        };
        walk(container, 1);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (report.length > 0) process.stderr.write(`${report.entries.map(formatEntry).join('\n')}\n`);
      if (report.hasErrors()) process.exitCode = 1;
    });
}
