// FAKE: stands in for CCP4's mtzdump, which is not installable here. It takes the real program's
// command line (`mtzdump HKLIN file.mtz`) and keywords on stdin (HEADER, NREF n, END ...), and prints the
// REAL header listing that CCP4's library printed for that file, recorded in
// test/fixtures/ccp4i2/mtzdump-headers/<stem>.txt. It cannot list reflections.
// Environment: FAKE_MTZDUMP_LISTINGS (another listing folder), FAKE_MTZDUMP_LISTING (one file to print
// whatever the HKLIN, for tests of logs a parser cannot read).
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { banner, fail, keywordRecords, logicalNames, readStdin } from './ccp4-program.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const names = logicalNames(process.argv.slice(2));
const hklin = names.get('HKLIN');
process.stdout.write(banner('MTZDUMP'));
if (!hklin) fail('no HKLIN on the command line');

let header = false;
for (const r of keywordRecords(readStdin())) {
  process.stdout.write(` Data line--- ${r.line}\n`);
  if (r.key === 'HEAD') header = true;
  else if (r.key === 'NREF') {
    if (r.words.length !== 2 || !/^-?\d+$/.test(r.words[1])) fail(`NREF needs one integer: ${r.line}`);
  } else if (r.key !== 'END') fail(`Keyword error: unrecognised keyword ${r.words[0]}`);
}

if (!existsSync(hklin)) fail(`Error in opening input file ${hklin}: no such file`);
const magic = Buffer.alloc(4);
const fd = openSync(hklin, 'r');
readSync(fd, magic, 0, 4, 0);
closeSync(fd);
if (magic.toString('latin1') !== 'MTZ ') fail(`${hklin} is not an MTZ file`);

const listing =
  process.env.FAKE_MTZDUMP_LISTING ??
  join(
    process.env.FAKE_MTZDUMP_LISTINGS ?? join(here, '../fixtures/ccp4i2/mtzdump-headers'),
    `${basename(hklin, '.mtz')}.txt`,
  );
if (!existsSync(listing)) fail(`FAKE mtzdump has no recorded listing ${listing} for ${hklin}`, 3);

process.stdout.write('\n Header Information from MTZ file.....\n\n');
process.stdout.write(readFileSync(listing, 'latin1'));
if (!header) process.stdout.write('\n FAKE: reflection listing not available in the stand-in\n');
process.stdout.write('\n MTZDUMP:   Normal termination\n');
