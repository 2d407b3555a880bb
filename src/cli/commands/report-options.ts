import { InvalidArgumentError } from 'commander';
import type { TextGraphStyle } from '../../reports/index.js';

const STYLES = ['braille', 'sparkline', 'ascii', 'none'];

export function parsePlot(v: string): TextGraphStyle {
  if (!STYLES.includes(v)) throw new InvalidArgumentError(`one of ${STYLES.join(', ')}`);
  return v as TextGraphStyle;
}

export function parseRows(v: string): number {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('a number of rows (0: all)');
  return Number(v);
}

/** Braille plots on a UTF-8 terminal, sparklines when UTF-8 goes to a file or pipe, ASCII otherwise. */
export function defaultPlot(): TextGraphStyle {
  const locale = process.env.LC_ALL || process.env.LC_CTYPE || process.env.LANG || '';
  if (!/utf-?8/i.test(locale)) return 'ascii';
  return process.stdout.isTTY ? 'braille' : 'sparkline';
}

/** Writes to stdout, waiting when the pipe is full; a reader that went away (`| head`) is not an error. */
export async function printOut(text: string): Promise<void> {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  if (!process.stdout.write(text)) await new Promise((r) => process.stdout.once('drain', r));
}
