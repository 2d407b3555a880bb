import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { type DbOptions, dbOptions, output, resolveProject, table, withDatabase } from './job-context.js';

/** `ccp4i2 projects list | create | show | set | import | delete` (docs/database.md). */
export function register(program: Command): void {
  const projects = program.command('projects').description('projects in the jobs database');

  dbOptions(
    projects.command('list').description('every project: name, directory (or "missing"), jobs'),
    false,
  ).action((opts: DbOptions) =>
    withDatabase(opts, (db) => {
      const rows = db.projects.list().map((p) => ({
        ...p,
        missing: !existsSync(p.directory),
        jobs: db.jobs.count({ projectId: p.id, parentId: null }),
      }));
      output(opts, rows, () =>
        table(
          ['NAME', 'JOBS', 'DIRECTORY'],
          rows.map((p) => [p.name, String(p.jobs), p.missing ? `${p.directory} (missing)` : p.directory]),
        ),
      );
    }),
  );

  dbOptions(projects.command('create'), false)
    .description('register a new project (its directory is created)')
    .argument('<name>', 'the project name (letters, digits, _ . -)')
    .option('--directory <dir>', 'the project directory (default: ./NAME)')
    .action((name: string, opts: DbOptions & { directory?: string }) =>
      withDatabase(opts, async (db) => {
        const { makeDirectories } = await import('../../files/directory.js');
        const dir = resolve(opts.directory ?? name);
        const p = db.projects.create(name, dir);
        makeDirectories(dir);
        output(opts, p, () => `project ${p.name} created in ${p.directory}\n`);
      }),
    );

  dbOptions(projects.command('show'), false)
    .description('a project: directory, jobs by status')
    .argument('<name>', 'the project')
    .action((name: string, opts: DbOptions) =>
      withDatabase(opts, async (db) => {
        const { jobStatusName } = await import('../../db/core.js');
        const p = await resolveProject(db, name);
        const jobs = db.jobs.list({ projectId: p.id, parentId: null });
        const byStatus: Record<string, number> = {};
        for (const j of jobs)
          byStatus[jobStatusName(j.status)] = (byStatus[jobStatusName(j.status)] ?? 0) + 1;
        const { runDefaults } = await import('../../jobs/index.js');
        const { defaultsText } = await import('./project-defaults.js');
        const defaults = runDefaults(db, p.id);
        const data = {
          ...p,
          missing: !existsSync(p.directory),
          jobs: jobs.length,
          byStatus,
          runDefaults: defaults,
        };
        output(opts, data, () =>
          [
            `project ${p.name}`,
            `directory: ${p.directory}${data.missing ? ' (missing)' : ''}`,
            `created: ${p.created}`,
            `jobs: ${jobs.length}${
              jobs.length
                ? ` (${Object.entries(byStatus)
                    .map(([k, v]) => `${v} ${k}`)
                    .join(', ')})`
                : ''
            }`,
            `run defaults: ${defaultsText(defaults)}`,
            '',
          ].join('\n'),
        );
      }),
    );

  dbOptions(projects.command('set'), false)
    .description(
      "a project's run defaults: the executor its jobs use when a run names none, and SLURM options (a run's own win)",
    )
    .argument('<name>', 'the project')
    .option('--executor <name>', 'local or slurm')
    .option('--slurm-partition <p>', 'SLURM partition')
    .option('--slurm-time <t>', 'time limit: minutes or h:mm:ss / d-hh:mm:ss')
    .option('--slurm-cpus <n>', 'CPUs per task')
    .option('--slurm-mem <m>', 'memory: MB or with a unit (4G)')
    .option('--slurm-account <a>', 'account charged')
    .option(
      '--slurm-arg <arg...>',
      'further sbatch options in long form (--qos=high); replaces the stored ones',
    )
    .option('--unset <name...>', 'remove defaults: executor, slurm (all), slurm-partition, slurm-time...')
    .action((name: string, opts: DbOptions & import('./project-defaults.js').SetOptions) =>
      withDatabase(opts, async (db) => {
        const { defaultsText, setProjectDefaults } = await import('./project-defaults.js');
        const p = db.projects.require(name);
        const d = await setProjectDefaults(db, p, opts);
        output(opts, d, () => `project ${p.name} run defaults: ${defaultsText(d)}\n`);
      }),
    );

  dbOptions(projects.command('import'), false)
    .description("rebuild a project's records from its job directories (a lost database, a copied project)")
    .argument('<dir>', 'the project directory (holding CCP4_JOBS)')
    .option('--name <name>', 'the project name (default: the directory name)')
    .action((dir: string, opts: DbOptions & { name?: string }) =>
      withDatabase(opts, async (db) => {
        const { importProject } = await import('../../jobs/index.js');
        const { loadRegistry } = await import('../i2run/tasks.js');
        const r = importProject(db, dir, await loadRegistry(), opts.name);
        output(opts, r, () =>
          [
            `project ${r.project.name} (${r.project.directory}): ${r.imported.length} jobs recorded`,
            ...r.skipped.map((s) => `  skipped ${s.directory}: ${s.reason}`),
            '',
          ].join('\n'),
        );
      }),
    );

  dbOptions(projects.command('delete'), false)
    .description("remove a project's records (its files stay unless --files)")
    .argument('<name>', 'the project')
    .option('--files', 'also delete the project directory')
    .action((name: string, opts: DbOptions & { files?: boolean }) =>
      withDatabase(opts, async (db) => {
        const p = db.projects.require(name);
        db.projects.delete(p.id);
        if (opts.files) rmSync(p.directory, { recursive: true, force: true });
        output(
          opts,
          { deleted: p.name, directory: p.directory, files: !!opts.files },
          () =>
            `project ${p.name} deleted${opts.files ? ` with its directory ${p.directory}` : ` (its directory ${p.directory} is left)`}\n`,
        );
      }),
    );
}
