/**
 * Names and titles of the built-in tasks, without loading their classes: `i2run --help` lists tasks from
 * here so that its start-up does not load the whole plugin layer. test/plugins/catalog.test.ts checks
 * that it matches the registered classes (BUILTIN_TASKS).
 */
export const BUILTIN_CATALOG: readonly { taskName: string; title: string }[] = [
  { taskName: 'cell_writer', title: 'Write a cell into a coordinate file' },
  { taskName: 'demo_copycell', title: 'Demo copy cell' },
  { taskName: 'gemmi_cell', title: 'Read the cell of an MTZ file (gemmi)' },
  { taskName: 'mtz_cell', title: 'Read the cell of an MTZ file (in-process)' },
  { taskName: 'mtzdump', title: 'MTZDump' },
  { taskName: 'pdbset', title: 'PDBSet' },
];
