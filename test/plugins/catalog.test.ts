import { describe, expect, it } from 'vitest';
import { BUILTIN_TASKS } from '../../src/plugins/tasks/builtin.js';
import { BUILTIN_CATALOG } from '../../src/plugins/tasks/catalog.js';

describe('built-in task catalog', () => {
  it('lists exactly the registered built-in tasks with their titles', () => {
    const fromClasses = BUILTIN_TASKS.map((c) => ({ taskName: c.TASKNAME!, title: c.TASKTITLE ?? '' })).sort(
      (a, b) => a.taskName.localeCompare(b.taskName),
    );
    expect([...BUILTIN_CATALOG]).toEqual(fromClasses);
  });
});
