import type { Command } from 'commander';

interface RenderOpts {
  def: string;
  root?: string;
  params?: string;
  set: string[];
  argv?: boolean;
  json?: boolean;
}

/**
 * `ccp4i2 template render TEMPLATE_FILE --def DEF.xml [--root DIR] [--params PARAMS.xml] [--set NAME=VALUE ...]
 * [--argv] [--json]`: renders a COMTEMPLATE (stdin script) or COMLINETEMPLATE (argv, one per line) with
 * a task's parameters. Exit 0, or 1 with the error report on stderr when any error was found.
 */
export function register(program: Command): void {
  const template = program
    .command('template')
    .description('CCP4i2 command templates (COMTEMPLATE, COMLINETEMPLATE)');
  template
    .command('render')
    .description('render a template file with the parameters of a task definition')
    .argument('<template>', 'template file (COMTEMPLATE or COMLINETEMPLATE text)')
    .requiredOption('--def <file>', 'the task .def.xml')
    .option('--root <dir>', 'CCP4I2_TOP for def includes and file paths (default: env CCP4I2_TOP)')
    .option('--params <file>', 'a .params.xml to load over the defaults')
    .option(
      '--set <name=value>',
      'set a parameter (dotted names like CELL.a; empty value unsets); repeatable',
      collect,
      [],
    )
    .option('--argv', 'print the command line, one argument per line')
    .option('--json', 'print JSON: with --argv an array of arguments, else {script, argv, errors}')
    .action(async (file: string, opts: RenderOpts) => {
      const data = await import('../../data/index.js');
      const { CErrorReport, formatEntry } = await import('../../report/index.js');
      const { isCcp4Error } = await import('../../errors/ccp4-error.js');
      const t = await import('../../templates/index.js');

      const report = new CErrorReport();
      let result: import('../../templates/index.js').RenderResult;
      try {
        const { container, report: defReport } = data.loadDefFile(opts.def, { root: opts.root });
        report.extend(defReport);
        if (opts.root) container.fileContext = { ccp4i2Top: opts.root };
        if (opts.params) report.extend(data.loadParamsFile(container, opts.params).report);
        for (const assignment of opts.set) applySet(container, assignment, report);
        result = t.renderTemplate(t.loadTemplateFile(file), t.scopeFromContainer(container), {
          warnUnset: true,
          target: opts.argv ? 'argv' : 'script',
        });
        report.extend(result.errors);
      } catch (e) {
        // Unreadable def, params or template file: report it like any other error (exit 1).
        if (!isCcp4Error(e)) throw e;
        report.appendError(e);
        process.stderr.write(`${report.entries.map(formatEntry).join('\n')}\n`);
        process.exitCode = 1;
        return;
      }

      if (opts.json && opts.argv) process.stdout.write(`${JSON.stringify(result.argv)}\n`);
      else if (opts.json) {
        const errors = report.entries.map((e) => ({ ...e }));
        process.stdout.write(
          `${JSON.stringify({ script: result.script, argv: result.argv, errors }, null, 1)}\n`,
        );
      } else if (opts.argv) process.stdout.write(result.argv.map((a) => `${a}\n`).join(''));
      else process.stdout.write(result.script);

      if (report.length > 0) process.stderr.write(`${report.entries.map(formatEntry).join('\n')}\n`);
      if (report.hasErrors()) process.exitCode = 1;
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

type Container = import('../../data/index.js').CContainer;
type Report = import('../../report/index.js').CErrorReport;

/** `NAME=VALUE`: NAME found as a template would find it (find(), then dotted members). */
function applySet(container: Container, assignment: string, report: Report): void {
  const eq = assignment.indexOf('=');
  const name = eq < 0 ? assignment : assignment.slice(0, eq);
  const fail = (details: string): void => {
    report.append('CComTemplate', 201, { details: `--set ${assignment}: ${details}`, objectPath: name });
  };
  if (eq <= 0) {
    fail('expected NAME=VALUE');
    return;
  }
  const [first, ...rest] = name.split('.');
  let obj = container.find(first);
  for (const part of rest) obj = obj?.content(part);
  if (!obj) {
    fail(`no parameter '${name}' in ${container.taskName ?? 'the task'}`);
    return;
  }
  const value = assignment.slice(eq + 1);
  try {
    if (value === '') obj.unSet();
    else obj.set(value);
  } catch (e) {
    report.appendError(e);
  }
}
