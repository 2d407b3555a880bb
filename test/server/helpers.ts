import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll } from 'vitest';
import { TaskRegistry, taskRegistry } from '../../src/plugins/index.js';
import { type ListenOptions, listen, type RunningServer } from '../../src/server/index.js';

export const FIXTURE_TASKS = resolve(__dirname, '../fixtures/server/tasks');

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

export function tempDir(prefix = 'ccp4i2-server-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** The built-in tasks plus test/fixtures/server/tasks. */
export async function testRegistry(): Promise<TaskRegistry> {
  const reg = new TaskRegistry();
  for (const n of taskRegistry.names()) reg.register(taskRegistry.require(n));
  await reg.addTaskDirectory(FIXTURE_TASKS);
  return reg;
}

// biome-ignore lint/suspicious/noExplicitAny: test responses are checked field by field
type Json = any;

export interface TestServer extends RunningServer {
  base: string;
  /** The server's database file. */
  dbFile: string;
  json(
    path: string,
    init?: Omit<RequestInit, 'body'> & { body?: unknown },
  ): Promise<{ status: number; body: Json }>;
}

/**
 * A real server on a free loopback port with its own database file and projects directory (never the
 * user's), closed after the file's tests.
 */
export async function startServer(opts: ListenOptions = {}): Promise<TestServer> {
  const dir = tempDir();
  const s = await listen({
    port: 0,
    uiDirectory: false,
    registry: await testRegistry(),
    taskDirs: [FIXTURE_TASKS],
    db: join(dir, 'db.sqlite'),
    projectsDir: join(dir, 'projects'),
    ...opts,
  });
  cleanups.push(() => s.close());
  const base = s.url.replace(/\/(\?.*)?$/, '');
  const json: TestServer['json'] = async (path, init = {}) => {
    const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
    let body = init.body as RequestInit['body'];
    if (init.body !== undefined && typeof init.body !== 'string' && !(init.body instanceof FormData)) {
      body = JSON.stringify(init.body);
      headers['content-type'] = 'application/json';
    }
    if (s.token && !headers.authorization) headers.authorization = `Bearer ${s.token}`;
    const r = await fetch(base + path, { ...init, headers, body });
    const text = await r.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: r.status, body: parsed };
  };
  return Object.assign(s, { base, json, dbFile: opts.db ?? join(dir, 'db.sqlite') });
}

/** Polls `f` until it gives a value (not undefined or false), or fails naming `what`. */
export async function until<T>(
  what: string,
  f: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
