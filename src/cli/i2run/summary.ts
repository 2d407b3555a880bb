import { type CContainer, type CData, CDataFile, CDataStruct, CList } from '../../data/index.js';
import { taskParameters } from './parameters.js';

/** A value for people: files as full paths, structures as member=value, lists item by item. */
export function formatValue(node: CData): string {
  if (node instanceof CDataFile) return node.getFullPath() ?? '(unresolvable path)';
  if (node instanceof CList) return node.items().map(formatValue).join('; ');
  if (node instanceof CDataStruct)
    return node
      .contents()
      .filter((c) => c.isSet())
      .map((c) => `${c.name}=${formatValue(c)}`)
      .join(' ');
  const v = node.get();
  return v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** `[name, value]` for every output parameter that is set, in the def file's order. */
export function outputValues(outputData: CContainer | undefined): [string, string][] {
  if (!outputData) return [];
  return taskParameters(outputData)
    .filter((p) => p.node.isSet())
    .map((p) => [p.path, formatValue(p.node)]);
}

/** The end-of-job report printed on stdout. */
export function summaryText(o: {
  jobDirectory: string;
  status: string;
  outputs: [string, string][];
  notes?: [string, string][];
  diagnostic?: string;
}): string {
  const lines = [`job directory: ${o.jobDirectory}`, `status: ${o.status}`];
  for (const [n, v] of o.notes ?? []) lines.push(`${n}: ${v}`);
  if (o.outputs.length > 0) {
    lines.push('outputs:');
    const w = Math.max(...o.outputs.map(([n]) => n.length));
    for (const [n, v] of o.outputs) lines.push(`  ${n.padEnd(w)}  ${v}`);
  }
  if (o.diagnostic) lines.push(`diagnostic: ${o.diagnostic}`);
  return `${lines.join('\n')}\n`;
}
