import { statSync } from 'node:fs';
import { type CContainer, CDataFile } from '../data/index.js';
import type { ReportOutput } from './model.js';

/** Every output file parameter that is set: its name, CData class (its type), path, and whether it exists. */
export function reportOutputs(outputData: CContainer | undefined): ReportOutput[] {
  const out: ReportOutput[] = [];
  if (!outputData) return out;
  for (const node of outputData.walk()) {
    if (!(node instanceof CDataFile) || !node.isSet()) continue;
    const path = node.getFullPath();
    let size: number | undefined;
    try {
      size = path ? statSync(path).size : undefined;
    } catch {
      size = undefined;
    }
    const annotation = node.annotation;
    out.push({
      name: node.pathFrom(outputData),
      className: node.className,
      path,
      exists: size !== undefined,
      ...(size !== undefined ? { size } : {}),
      ...(annotation ? { annotation } : {}),
    });
  }
  return out;
}
