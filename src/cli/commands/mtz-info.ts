// The modules themselves, not formats/mtz/index.js: that would load the writer too (and the files layer).
import { formatMtzInfo, type MtzInfo, mtzInfo } from '../../formats/mtz/info.js';
import { readMtzHeader } from '../../formats/mtz/read.js';
import { columnStatsFromFile } from '../../formats/mtz/stats.js';

/** Options of `ccp4i2 mtz info`. */
export interface MtzInfoOptions {
  json?: boolean;
  stats?: boolean;
}

/** `ccp4i2 mtz info FILE`: run by the commander action and by the fast path (fast-path.ts) alike. */
export function mtzInfoCommand(file: string, opts: MtzInfoOptions): void {
  let info: MtzInfo;
  if (opts.stats) {
    // streamed: the data are never held whole, so huge files cost no memory
    const { header, stats } = columnStatsFromFile(file, { originalHkl: true });
    info = mtzInfo(header, stats);
  } else {
    info = mtzInfo(readMtzHeader(file));
  }
  process.stdout.write(opts.json ? `${JSON.stringify(info, null, 1)}\n` : formatMtzInfo(info));
}
