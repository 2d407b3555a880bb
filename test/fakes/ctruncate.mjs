// FAKE: stands in for CCP4's ctruncate, which is not installable here. It takes the real program's
// command line (-hklin, -hklout, -colin '/*/*/[I,SIGI]' or -colano '/*/*/[I+,SIGI+,I-,SIGI-]', -xmlout,
// -nres, -no-aniso, -amplitudes, -seqin) and writes what ctruncate writes: HKLOUT with the input columns
// plus F,SIGF (and F(+),SIGF(+),F(-),SIGF(-) with -colano), converted by ccp4i2-ts's own French–Wilson
// code from dist/ (run `npm run build` first); a log whose body is a REAL ctruncate log
// (test/fixtures/logs/nt5073v16_xBAZ2BAx8281_SAD_truncate.log, loggraph tables included) after a
// "USER SUPPLIED INPUT" section naming this run's arguments; and an XML summary shaped after ctruncate's
// XMLOUT, whose twinning figures are read from that log.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { banner, fail } from './ccp4-program.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const FLAGS = new Set(['-no-aniso', '-amplitudes']);
const VALUED = new Set(['-hklin', '-hklout', '-colin', '-colano', '-xmlout', '-nres', '-seqin']);

const args = new Map();
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (FLAGS.has(a)) args.set(a, true);
  else if (VALUED.has(a)) {
    if (i + 1 >= argv.length) fail(`${a} needs a value`);
    args.set(a, argv[++i]);
  } else fail(`unknown argument ${a}`);
}
process.stdout.write(banner('ctruncate'));
process.stdout.write('\nUSER SUPPLIED INPUT:\n\n');
for (const [k, v] of args) process.stdout.write(`${k.slice(1)} \t${v === true ? '' : v}\n`);

const hklin = args.get('-hklin');
const hklout = args.get('-hklout');
if (!hklin) fail('no -hklin');
if (!hklout) fail('no -hklout');
if (!existsSync(hklin)) fail(`cannot open ${hklin}`);
const colano = args.get('-colano');
const colin = args.get('-colin');
if (!colano && !colin) fail('neither -colin nor -colano');
const labels = (spec) => {
  const m = /^\/\*\/\*\/\[([^\]]+)\]$/.exec(spec);
  if (!m) fail(`column selection ${spec} is not /*/*/[A,B,...]`);
  return m[1].split(',');
};
const nres = args.get('-nres');
if (nres !== undefined && !/^[1-9]\d*$/.test(nres)) fail(`-nres ${nres}: not a positive integer`);
if (args.has('-seqin') && !existsSync(args.get('-seqin'))) fail(`cannot open ${args.get('-seqin')}`);

const dist = join(here, '../../dist/index.js');
if (!existsSync(dist)) fail(`FAKE ctruncate needs the built ${dist}: run npm run build`, 3);
const { readMtz, writeMtz, createMtz, convertMtzData } = await import(pathToFileURL(dist).href);

const mtz = readMtz(hklin);
const amplitudes = args.has('-amplitudes');
const want = colano ? labels(colano) : labels(colin);
const types = colano ? (amplitudes ? 'GLGL' : 'KMKM') : amplitudes ? 'FQ' : 'JQ';
if (want.length !== types.length) fail(`${colano ? '-colano' : '-colin'} needs ${types.length} columns`);
want.forEach((l, i) => {
  if (!mtz.hasColumn(l)) fail(`no column ${l} in ${hklin}`);
  if (mtz.column(l).type !== types[i])
    fail(`column ${l} has type ${mtz.column(l).type}, expected ${types[i]}`);
});

const fmean = convertMtzData(mtz, 'FMEAN', { columns: want }).mtz;
const extra = [
  ['F', fmean.column('F')],
  ['SIGF', fmean.column('SIGF')],
];
if (colano) {
  const fpair = convertMtzData(mtz, 'FPAIR', { columns: want }).mtz;
  for (const [from, to] of [
    ['Fplus', 'F(+)'],
    ['SIGFplus', 'SIGF(+)'],
    ['Fminus', 'F(-)'],
    ['SIGFminus', 'SIGF(-)'],
  ])
    extra.push([to, fpair.column(from)]);
}
const picked = mtz.columns.filter((c) => c.type === 'H' || want.includes(c.label));
const ds = mtz.column(want[0]).datasetId;
writeMtz(
  createMtz({
    title: mtz.title,
    cell: mtz.cell,
    spaceGroup: mtz.spaceGroup,
    datasets: mtz.datasets,
    history: [...mtz.history, 'From FAKE ctruncate (ccp4i2-ts test stand-in)'],
    columns: [
      ...picked.map((c) => ({ label: c.label, type: c.type, datasetId: c.datasetId, data: c.data })),
      ...extra.map(([label, c]) => ({ label, type: c.type, datasetId: ds, data: c.data })),
    ],
  }),
  hklout,
);

const real = readFileSync(join(here, '../fixtures/logs/nt5073v16_xBAZ2BAx8281_SAD_truncate.log'), 'latin1');
const body = real.slice(real.indexOf('CRYSTAL INFO:'));
process.stdout.write(`\n${body}`);
const num = (re) => re.exec(real)?.[1] ?? '';
const xmlout = args.get('-xmlout');
if (xmlout) {
  const [a, b, c, alpha, beta, gamma] = mtz.cell;
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  writeFileSync(
    xmlout,
    `<?xml version="1.0" encoding="UTF-8"?>
<CTRUNCATE version="FAKE">
  <ReflectionFile stream="HKLIN" name="${esc(hklin)}">
    <cell><a>${a}</a><b>${b}</b><c>${c}</c><alpha>${alpha}</alpha><beta>${beta}</beta><gamma>${gamma}</gamma></cell>
    <SpacegroupName>${esc(mtz.spaceGroup.name)}</SpacegroupName>
    <NumberReflections>${mtz.nref}</NumberReflections>
    <Columns>${esc(want.join(','))}</Columns>
  </ReflectionFile>
  <ReflectionFile stream="HKLOUT" name="${esc(hklout)}"/>
  <Anomalous>${colano ? 'true' : 'false'}</Anomalous>
  <Twinning>
    <LTest><LStatistic>${num(/L statistic =\s+(\S+)/)}</LStatistic><Untwinned>0.5</Untwinned><PerfectTwin>0.375</PerfectTwin></LTest>
    <TwinFraction method="L-test">${num(/Twin fraction estimate from L-test:\s+(\S+)/)}</TwinFraction>
    <TwinFraction method="moments">${num(/Twin fraction estimate from moments:\s+(\S+)/)}</TwinFraction>
  </Twinning>
</CTRUNCATE>
`,
  );
}
process.stdout.write('\nNormal termination\n');
