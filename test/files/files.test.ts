import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ccp4Error } from '../../src/errors/ccp4-error.js';
import {
  checkDirectoryPath,
  makeDirectories,
  openRegularSync,
  outputTarget,
  readHeadSync,
  readRegularFile,
  readRegularFileSync,
  writeFileAtomicSync,
  writeStreamAtomic,
} from '../../src/files/index.js';
import { fullDevice, mkfifo, scratch, tinyTmpfs, unixSocket } from './helpers.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Ccp4Error);
    return `${(e as Ccp4Error).className} ${(e as Ccp4Error).code}: ${(e as Ccp4Error).message}`;
  }
  throw new Error('no error');
}

describe('reading: only regular files, never blocking', () => {
  it('a FIFO, a device, a directory and a socket are FileAccess 1 naming what they are', async () => {
    const d = scratch();
    const fifo = mkfifo(join(d, 'pipe.pdb'));
    const sock = await unixSocket(join(d, 'sock'));
    try {
      // Without O_NONBLOCK each of these FIFO reads would block forever (no writer ever comes).
      expect(codeOf(() => readHeadSync(fifo, 10))).toMatch(/^FileAccess 1: .*a FIFO, not a regular file/);
      expect(codeOf(() => readRegularFileSync(fifo))).toMatch(/^FileAccess 1: .*a FIFO/);
      expect(codeOf(() => openRegularSync('/dev/zero'))).toMatch(/^FileAccess 1: .*a character device/);
      expect(codeOf(() => readRegularFileSync(d))).toMatch(/^FileAccess 1: .*a directory/);
      expect(codeOf(() => readRegularFileSync(join(d, 'sock')))).toMatch(/^FileAccess 1: .*a socket/);
      await expect(readRegularFile(fifo)).rejects.toThrow(/a FIFO, not a regular file/);
      expect(codeOf(() => readRegularFileSync(join(d, 'none')))).toMatch(
        /^FileAccess 2: cannot read: ENOENT/,
      );
    } finally {
      sock.close();
    }
  });

  it('regular files are read whole, or their head; a size cap is FileAccess 2', async () => {
    const d = scratch();
    const f = join(d, 'a.txt');
    writeFileSync(f, 'hello world');
    expect(readRegularFileSync(f).toString()).toBe('hello world');
    expect((await readRegularFile(f)).toString()).toBe('hello world');
    expect(readHeadSync(f, 5).toString()).toBe('hello');
    expect(codeOf(() => readRegularFileSync(f, 4))).toMatch(/^FileAccess 2: .*11 bytes is more than the 4/);
  });
});

describe('writing: whole or not at all, onto a regular file or nothing', () => {
  it('refuses a device, a FIFO, a directory and a socket, and leaves them as they were', async () => {
    const d = scratch();
    const fifo = mkfifo(join(d, 'out.pdb'));
    const sock = await unixSocket(join(d, 'sock'));
    const device = fullDevice(scratch());
    try {
      expect(codeOf(() => writeFileAtomicSync(device, 'x'))).toMatch(/^FileAccess 1: .*character device/);
      expect(statSync(device).isCharacterDevice()).toBe(true);
      expect(codeOf(() => writeFileAtomicSync(fifo, 'x'))).toMatch(/^FileAccess 1: .*a FIFO/);
      expect(statSync(fifo).isFIFO()).toBe(true);
      expect(codeOf(() => writeFileAtomicSync(d, 'x'))).toMatch(/^FileAccess 1: .*a directory/);
      expect(codeOf(() => writeFileAtomicSync(join(d, 'sock'), 'x'))).toMatch(/^FileAccess 1: .*a socket/);
      await expect(writeStreamAtomic(fifo, [Buffer.from('x')])).rejects.toThrow(/a FIFO/);
      expect(readdirSync(d).sort()).toEqual(['out.pdb', 'sock']);
    } finally {
      sock.close();
    }
  });

  it('a symbolic link is refused (FileAccess 4) unless followSymlinks: then its target is written', () => {
    const d = scratch();
    writeFileSync(join(d, 'target.pdb'), 'old');
    symlinkSync('target.pdb', join(d, 'link.pdb'));
    symlinkSync('link.pdb', join(d, 'link2.pdb'));
    symlinkSync('nowhere.pdb', join(d, 'dangling.pdb'));
    expect(codeOf(() => writeFileAtomicSync(join(d, 'link.pdb'), 'new'))).toMatch(
      /^FileAccess 4: .*symbolic link \(to target.pdb\)/,
    );
    expect(readFileSync(join(d, 'target.pdb'), 'utf8')).toBe('old');
    expect(writeFileAtomicSync(join(d, 'link2.pdb'), 'new', { followSymlinks: true })).toBe(
      join(d, 'target.pdb'),
    );
    expect(readFileSync(join(d, 'target.pdb'), 'utf8')).toBe('new');
    expect(statSync(join(d, 'link.pdb')).isFile()).toBe(true); // still a link to the file
    writeFileAtomicSync(join(d, 'dangling.pdb'), 'created', { followSymlinks: true });
    expect(readFileSync(join(d, 'nowhere.pdb'), 'utf8')).toBe('created');
    symlinkSync(fullDevice(scratch()), join(d, 'full.pdb'));
    expect(codeOf(() => outputTarget(join(d, 'full.pdb'), { followSymlinks: true }))).toMatch(
      /^FileAccess 1: .*character device/,
    );
  });

  it('replaces a regular file atomically, without temporary files left', async () => {
    const d = scratch();
    const f = join(d, 'x.txt');
    writeFileSync(f, 'old');
    writeFileAtomicSync(f, 'new');
    await writeStreamAtomic(join(d, 'y.txt'), [Buffer.from('a'), Buffer.from('b')]);
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(readFileSync(join(d, 'y.txt'), 'utf8')).toBe('ab');
    expect(readdirSync(d).sort()).toEqual(['x.txt', 'y.txt']);
  });

  it('pieces from an async source, in order; a source that fails leaves the old file and no temporary file', async () => {
    const d = scratch();
    const f = join(d, 'z.pdb');
    async function* lines(fail: boolean) {
      for (let i = 0; i < 1000; i++) {
        if (fail && i === 500) throw new Error('the source failed at line 500');
        yield Buffer.from(`${i}\n`);
      }
    }
    await writeStreamAtomic(f, lines(false));
    const want = Array.from({ length: 1000 }, (_, i) => `${i}\n`).join('');
    expect(readFileSync(f, 'utf8')).toBe(want);
    await expect(writeStreamAtomic(f, lines(true))).rejects.toThrow(/the source failed at line 500/);
    expect(readFileSync(f, 'utf8')).toBe(want);
    expect(readdirSync(d)).toEqual(['z.pdb']);
  });

  it('on a full disk: FileAccess 3 ENOSPC, the old file untouched, no temporary file left', async () => {
    const fs = tinyTmpfs('64k');
    if (!fs) return;
    try {
      const f = join(fs.dir, 'params.xml');
      writeFileSync(f, 'old content');
      const big = Buffer.alloc(256 * 1024, 'x');
      expect(codeOf(() => writeFileAtomicSync(f, big))).toMatch(/^FileAccess 3: cannot write: ENOSPC/);
      await expect(writeStreamAtomic(f, [big])).rejects.toThrow(/ENOSPC/);
      expect(readFileSync(f, 'utf8')).toBe('old content');
      expect(readdirSync(fs.dir)).toEqual(['params.xml']);
    } finally {
      fs.unmount();
    }
  });
});

describe('directories: checked before mkdir', () => {
  it('refuses /proc and /sys, a file in the way and a read-only parent; creates the rest', () => {
    expect(codeOf(() => makeDirectories('/proc/x/y'))).toMatch(
      /^FileAccess 6: .*in \/proc, a kernel file system/,
    );
    expect(codeOf(() => makeDirectories('/sys/x'))).toMatch(/^FileAccess 6: .*\/sys/);
    const d = scratch();
    writeFileSync(join(d, 'file'), '');
    expect(codeOf(() => makeDirectories(join(d, 'file/sub')))).toMatch(
      /^FileAccess 6: .*file is not a directory/,
    );
    symlinkSync('/proc/self', join(d, 'proclink'));
    expect(codeOf(() => checkDirectoryPath(join(d, 'proclink/new')))).toMatch(/kernel file system/);
    makeDirectories(join(d, 'a/b/c'));
    expect(statSync(join(d, 'a/b/c')).isDirectory()).toBe(true);
    makeDirectories(join(d, 'a/b/c')); // exists: fine
    mkdirSync(join(d, 'ro'), { mode: 0o555 });
    // root may write anywhere: the check uses access(), which agrees with what mkdir would do.
    if (process.getuid?.() !== 0)
      expect(codeOf(() => makeDirectories(join(d, 'ro/x')))).toMatch(/is not writable/);
    expect(existsSync(join(d, 'file/sub'))).toBe(false);
  });
});
