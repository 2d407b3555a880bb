import { describe, expect, it } from 'vitest';
import { JobService, LocalExecutor } from '../../src/index.js';
import { SlurmExecutor } from '../../src/jobs/executors/slurm.js';
import { tempDb } from '../db/helpers.js';

// Every job service reaches the built-in executors by name, made on first use (no SLURM needed here:
// making the slurm executor runs nothing).
describe('JobService executors', () => {
  it('makes local and slurm on first use, once; an unknown name is a coded error naming the known ones', async () => {
    const service = new JobService({ db: tempDb() });
    expect([...service.executors.keys()]).toEqual([]);
    const slurm = await service.executor('slurm');
    expect(slurm).toBeInstanceOf(SlurmExecutor);
    expect(await service.executor('slurm')).toBe(slurm);
    const [a, b] = await Promise.all([service.executor('local'), service.executor('local')]);
    expect(a).toBeInstanceOf(LocalExecutor);
    expect(b).toBe(a);
    await expect(service.executor('pbs')).rejects.toMatchObject({
      className: 'JobDatabase',
      code: 11,
      message: expect.stringMatching(/no executor 'pbs' \(known: local, slurm\)/),
    });
    service.close();
  });

  it('keeps an executor given to it over the built-in one of that name', async () => {
    const mine = new LocalExecutor({ graceMs: 5 });
    const service = new JobService({ db: tempDb(), executors: [mine] });
    expect(await service.executor('local')).toBe(mine);
  });
});
