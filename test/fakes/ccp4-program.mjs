// FAKE support code: the command-line and keyword conventions of CCP4's programs, shared by the stand-ins
// in bin/ (CCP4 itself is not installable here). Not part of ccp4i2-ts.
import { readFileSync } from 'node:fs';

/** `PROG LOGICAL1 path1 LOGICAL2 path2 ...`: logical names are case-insensitive, as in libccp4. */
export function logicalNames(argv) {
  if (argv.length % 2 !== 0) fail(`odd number of command-line arguments: ${argv.join(' ')}`);
  const names = new Map();
  for (let i = 0; i < argv.length; i += 2) names.set(argv[i].toUpperCase(), argv[i + 1]);
  return names;
}

/**
 * Keyword records from stdin as CCP4's parser reads them: `#`/`!` comments, `-` or `&` continuation,
 * keywords matched on their first 4 letters, reading stopped by END.
 */
export function keywordRecords(text) {
  const records = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#!].*$/, '').trimEnd();
    if (/[-&]$/.test(line)) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full === '') continue;
    const words = full.split(/\s+/);
    const key = words[0].slice(0, 4).toUpperCase();
    records.push({ key, words, line: full });
    if (key === 'END') break;
  }
  return records;
}

export function readStdin() {
  try {
    return readFileSync(0, 'latin1');
  } catch {
    return '';
  }
}

export function banner(program) {
  const bar = ' ###############################################################';
  return [
    bar,
    bar,
    bar,
    ` ### FAKE ${program}: test stand-in for CCP4's ${program}, not the real program ##`,
    bar,
    '',
  ].join('\n');
}

/** CCP4 programs report keyword and file errors on stdout and stop with a non-zero status. */
export function fail(message, status = 1) {
  process.stdout.write(`\n *** FAKE: ${message}\n`);
  process.stderr.write(`${message}\n`);
  process.exit(status);
}
