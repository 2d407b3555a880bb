import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from './helpers.js';

const EXAMPLES = join(__dirname, '../../examples');

describe('API: tasks', () => {
  it('lists the registry with titles and categories', async () => {
    const s = await startServer();
    const r = await s.json('/api/tasks');
    expect(r.status).toBe(200);
    const byName = Object.fromEntries(r.body.tasks.map((t: { name: string }) => [t.name, t]));
    expect(byName.demo_copycell).toEqual({
      name: 'demo_copycell',
      title: 'Demo copy cell',
      category: 'test',
      source: 'builtin',
    });
    expect(byName.gemmi_cell.category).toBe('utility');
    expect(byName.test_form.source).toBe('task directory');
  });

  it("gives a task's parameter tree with its qualifiers, file classes and content flags", async () => {
    const s = await startServer();
    const r = await s.json('/api/tasks/test_form');
    expect(r.status).toBe(200);
    const [inputData, control] = r.body.params;
    expect(inputData.path).toBe('inputData');
    const hklin = inputData.children[0];
    expect(hklin).toMatchObject({ path: 'inputData.HKLIN', className: 'CObsDataFile', kind: 'file' });
    expect(hklin.qualifiers).toMatchObject({ guiLabel: 'Reflections', mustExist: true });
    expect(hklin.qualifiers.requiredContentFlag).toEqual([1, 3]);
    expect(hklin.file.classes).toContain('CMtzDataFile');
    expect(hklin.file.contentFlags.map((f: { flag: number }) => f.flag)).toEqual([1, 2, 3, 4]);
    const [ncyc, mode, weight, anom] = control.children;
    expect(ncyc).toMatchObject({ kind: 'int', value: 10 });
    expect(ncyc.qualifiers).toMatchObject({
      default: 10,
      min: 1,
      max: 50,
      guiLabel: 'Cycles',
      toolTip: 'Number of refinement cycles',
    });
    expect(mode.qualifiers).toMatchObject({
      enumerators: ['fast', 'slow'],
      menuText: ['Fast', 'Slow <b>careful</b>'],
      onlyEnumerators: true,
    });
    expect(weight.kind).toBe('float');
    expect(anom).toMatchObject({ kind: 'boolean', value: false });
  });

  it('validates values as i2run does: every bad field reported at once, by path', async () => {
    const s = await startServer();
    const bad = await s.json('/api/tasks/test_form/validate', {
      method: 'POST',
      body: {
        params: {
          'controlParameters.NCYC': 99,
          'controlParameters.MODE': 'medium',
          'controlParameters.WEIGHT': 'heavy',
          'inputData.HKLIN': '/no/such/file.mtz',
          'inputData.NOPE': 1,
        },
      },
    });
    expect(bad.status).toBe(200);
    expect(bad.body.valid).toBe(false);
    const byPath = new Map<string, number[]>();
    for (const e of bad.body.entries) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e.code]);
    expect([...byPath.keys()].sort()).toEqual([
      'controlParameters.MODE',
      'controlParameters.NCYC',
      'controlParameters.WEIGHT',
      'inputData.HKLIN',
      'inputData.NOPE',
    ]);
    const good = await s.json('/api/tasks/demo_copycell/validate', {
      method: 'POST',
      body: {
        params: {
          'inputData.HKLIN': join(EXAMPLES, 'merged_intensities_native.mtz'),
          'inputData.XYZIN': join(EXAMPLES, 'gamma_model.pdb'),
        },
      },
    });
    expect(good.body).toEqual({ valid: true, entries: [] });
  });

  it('unknown task: 404; a def file with errors: 422 naming the file; bad bodies: 400', async () => {
    const s = await startServer();
    const unknown = await s.json('/api/tasks/no_such_task');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ class: 'CPluginScript', code: 108 });
    const broken = await s.json('/api/tasks/broken_def');
    expect(broken.status).toBe(422);
    expect(broken.body.error.class).toBe('CServer');
    expect(broken.body.error.file).toMatch(/broken_def\.def\.xml$/);
    const v = await s.json('/api/tasks/broken_def/validate', { method: 'POST', body: {} });
    expect(v.status).toBe(422);
    const badName = await s.json('/api/tasks/..%2F..%2Fetc');
    expect(badName.status).toBe(400);
    const malformed = await s.json('/api/tasks/demo_copycell/validate', {
      method: 'POST',
      body: '{"params": {',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ class: 'CServer', code: 1 });
    const extra = await s.json('/api/tasks/demo_copycell/validate', { method: 'POST', body: { what: 1 } });
    expect(extra.status).toBe(400);
    const notObject = await s.json('/api/tasks/demo_copycell/validate', { method: 'POST', body: [1, 2] });
    expect(notObject.status).toBe(400);
    const noRoute = await s.json('/api/nothing/here');
    expect(noRoute.status).toBe(404);
    expect(noRoute.body.error).toMatchObject({ class: 'CServer', code: 2 });
    const big = await s.json('/api/tasks/demo_copycell/validate', {
      method: 'POST',
      body: { params: { 'inputData.HKLIN': 'x'.repeat(2 * 1024 * 1024) } },
    });
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ class: 'CServer', code: 5 });
    // The server is still answering after all that.
    expect((await s.json('/api/health')).body).toEqual({ ok: true });
  });
});
