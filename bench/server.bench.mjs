// The web server (docs/server.md), each figure beside a baseline of the same run:
// (a) latency from a job's status change committed to the database by another process (connection) to
//     the `job` event reaching an SSE client, against a plain HTTP round trip (GET /api/health);
// (b) a project of 2,000 jobs: time to the rendered job list in Chromium, against the empty project page;
//     and the gzipped JS+CSS bundle;
// (c) 50 SSE clients (25 reading, 25 stalled) following a job that writes 100 MB of log: the server's
//     peak RSS, against the same server idle.
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { JobDatabase } from '../dist/db/index.js';
import { sendSignal } from '../dist/process/signal.js';

const here = new URL('.', import.meta.url).pathname;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function startServer(root) {
  const child = spawn(
    process.execPath,
    [join(here, 'server-child.mjs'), join(root, 'db.sqlite'), join(root, 'projects')],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (d) => {
      const { url, pid } = JSON.parse(String(d).split('\n')[0]);
      resolve({
        base: url.replace(/\/$/, ''),
        pid,
        child,
        stop: () =>
          new Promise((r) => {
            child.once('exit', r);
            sendSignal(pid, 'SIGTERM');
          }),
      });
    });
  });
}

function memory(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)[1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** A raw SSE connection; `stalled` ones never read (the socket fills: the server must not buffer). */
function sse(url, onEvent, stalled = false) {
  return new Promise((resolve) => {
    const req = get(url, (res) => {
      if (stalled) res.pause();
      else {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          buf += c;
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const ev = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (ev && data) onEvent(ev, data);
          }
        });
      }
      resolve({ close: () => req.destroy() });
    });
    req.on('error', () => {});
  });
}

async function post(base, path, body) {
  const r = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return r.json();
}

/** A Pending job row (as another process would write it), with its directory. */
function makeJob(root, project, number) {
  const db = JobDatabase.open(join(root, 'db.sqlite'));
  try {
    const directory = join(project.directory, 'CCP4_JOBS', `job_${number}`);
    mkdirSync(directory, { recursive: true });
    return db.jobs.create({
      projectId: project.id,
      taskName: 'demo_copycell',
      number: String(number),
      directory,
    });
  } finally {
    db.close();
  }
}

async function latency(root) {
  const s = await startServer(root);
  try {
    const p = await post(s.base, '/api/projects', { name: 'latency' });
    const job = makeJob(root, p, 1);
    const db = JobDatabase.open(join(root, 'db.sqlite'));
    let waiting;
    const client = await sse(`${s.base}/api/projects/${p.id}/events`, (ev, data) => {
      if (ev === 'job' && waiting && JSON.parse(data).status === waiting.status)
        waiting.resolve(performance.now());
    });
    await sleep(300);
    const rtt = [];
    const push = [];
    for (let i = 0; i < 60; i++) {
      let t0 = performance.now();
      await (await fetch(`${s.base}/api/health`)).json();
      rtt.push(performance.now() - t0);
      const status = i % 2 === 0 ? 2 : 1;
      const got = new Promise((resolve) => (waiting = { status, resolve }));
      t0 = performance.now();
      db.jobs.update(job.id, { status });
      push.push((await got) - t0);
      await sleep(Math.random() * 30);
    }
    client.close();
    db.close();
    const a = median(push);
    const b = median(rtt);
    console.log(`(a) HTTP round trip GET /api/health:          median ${b.toFixed(2)} ms (60)`);
    console.log(
      `    db status change -> SSE event (other conn): median ${a.toFixed(2)} ms, max ${Math.max(...push).toFixed(1)} ms (60; poll 25 ms)`,
    );
    console.log(`    ratio push/round trip: ${(a / b).toFixed(2)}  (target: push under 50 ms)`);
  } finally {
    await s.stop();
  }
}

async function renderList(root) {
  const { chromium } = await import('playwright-core');
  if (!existsSync('/usr/bin/chromium')) {
    console.log('(b) skipped: /usr/bin/chromium is not installed');
    return;
  }
  const s = await startServer(root);
  const profile = mkdtempSync(join(tmpdir(), 'ccp4i2-bench-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  try {
    const big = await post(s.base, '/api/projects', { name: 'big' });
    const empty = await post(s.base, '/api/projects', { name: 'empty' });
    const db = JobDatabase.open(join(root, 'db.sqlite'));
    db.transaction('bench jobs', () => {
      for (let n = 1; n <= 2000; n++) {
        const j = db.jobs.create({
          projectId: big.id,
          taskName: 'demo_copycell',
          number: String(n),
          directory: `/nonexistent/job_${n}`,
          status: 6,
        });
        db.jobs.update(j.id, { started: j.created, finished: new Date(Date.now() + 1500).toISOString() });
        db.jobs.setValue(j.id, 'CELL.a', 34.089 + n / 1000);
      }
    });
    db.close();
    const page = await ctx.newPage();
    const time = async (pid, selector) => {
      const t0 = performance.now();
      await page.goto(`${s.base}/projects/${pid}`);
      await page.locator(selector).first().waitFor({ timeout: 60_000 });
      return performance.now() - t0;
    };
    await time(empty.id, 'text=No jobs yet.'); // warm (bundle cached as a user's second visit)
    const base = [];
    const full = [];
    for (let i = 0; i < 5; i++) {
      base.push(await time(empty.id, 'text=No jobs yet.'));
      full.push(await time(big.id, 'tr[data-job="1"]'));
    }
    const rows = await page.locator('table.jobs tbody tr').count();
    console.log(`(b) empty project page to rendered:          median ${median(base).toFixed(0)} ms (5)`);
    console.log(
      `    2,000-job project to rendered list:       median ${median(full).toFixed(0)} ms (${rows} rows; target under 1 s)`,
    );
    console.log(`    ratio: ${(median(full) / median(base)).toFixed(2)}`);
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
    await s.stop();
  }
  const assets = join(here, '../dist/ui/assets');
  let raw = 0;
  let gz = 0;
  for (const f of readdirSync(assets).filter((f) => /\.(js|css)$/.test(f))) {
    const b = readFileSync(join(assets, f));
    raw += b.length;
    gz += gzipSync(b, { level: 9 }).length;
  }
  console.log(
    `    bundle JS+CSS: ${(raw / 1024).toFixed(1)} KiB, gzipped ${(gz / 1024).toFixed(1)} KiB (target under 250 KB)`,
  );
}

async function manyClients(root) {
  const s = await startServer(root);
  try {
    const p = await post(s.base, '/api/projects', { name: 'biglog' });
    const job = makeJob(root, p, 1);
    const log = join(job.directory, 'log.txt');
    appendFileSync(log, '');
    await sleep(500);
    const idle = memory(s.pid);
    let received = 0;
    let notices = 0;
    const clients = [];
    for (let i = 0; i < 50; i++)
      clients.push(
        await sse(
          `${s.base}/api/jobs/${job.id}/events`,
          (ev, data) => {
            if (ev === 'log') received += data.length;
            if (ev === 'notice') notices++;
          },
          i % 2 === 1,
        ),
      );
    const line = `${'loggraph-like output line of a busy program '.repeat(2).slice(0, 99)}\n`;
    const chunk = line.repeat(10_000); // 1 MB
    let peakRss = 0;
    const t0 = performance.now();
    for (let mb = 0; mb < 100; mb++) {
      appendFileSync(log, chunk);
      if (mb % 5 === 0) peakRss = Math.max(peakRss, memory(s.pid).rss);
      await sleep(5);
    }
    const wrote = performance.now() - t0;
    await sleep(1000);
    const end = memory(s.pid);
    peakRss = Math.max(peakRss, end.rss);
    for (const c of clients) c.close();
    console.log(`(c) server idle:                             RSS ${idle.rss.toFixed(0)} MB`);
    console.log(
      `    50 SSE clients (25 stalled), 100 MB log written in ${(wrote / 1000).toFixed(1)} s: RSS max ${peakRss.toFixed(0)} MB, peak (VmHWM) ${end.peak.toFixed(0)} MB`,
    );
    console.log(
      `    ratio peak/idle: ${(end.peak / idle.rss).toFixed(2)}; the 25 reading clients got ${(received / 25 / 1e6).toFixed(1)} MB each (bounded tails), ${notices} notices`,
    );
  } finally {
    await s.stop();
  }
}

export default async function bench() {
  for (const part of [latency, renderList, manyClients]) {
    const root = mkdtempSync(join(tmpdir(), 'ccp4i2-bench-server-'));
    try {
      await part(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
}
