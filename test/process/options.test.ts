import { describe, expect, it } from 'vitest';
import { Ccp4Error } from '../../src/errors/ccp4-error.js';
import { type RunOptions, startProgram } from '../../src/process/index.js';
import { resolveRunOptions } from '../../src/process/options.js';

function reject(options: unknown): Ccp4Error {
  try {
    startProgram(options as RunOptions);
  } catch (e) {
    expect(e).toBeInstanceOf(Ccp4Error);
    return e as Ccp4Error;
  }
  throw new Error('options were accepted');
}

describe('option validation', () => {
  it.each([
    [{ cwd: '/tmp' }, 'options.program', "option 'program' must be a non-empty string, got undefined"],
    [
      { program: '', cwd: '/tmp' },
      'options.program',
      'option \'program\' must be a non-empty string, got ""',
    ],
    [{ program: 'true' }, 'options.cwd', "option 'cwd' must be a non-empty string, got undefined"],
    [
      { program: 'true', cwd: '/tmp', args: 'x' },
      'options.args',
      'option \'args\' must be an array of strings, got "x"',
    ],
    [
      { program: 'true', cwd: '/tmp', args: ['a', 3] },
      'options.args',
      "option 'args' item 1 must be a string, got 3",
    ],
    [
      { program: 'true', cwd: '/tmp', args: ['a\0b'] },
      'options.args',
      "option 'args' item 0 must not contain a NUL character",
    ],
    [
      { program: 'true', cwd: '/tmp', timeout: -1 },
      'options.timeout',
      "option 'timeout' must be a number of milliseconds between 0 and 2147483647, got -1",
    ],
    [
      { program: 'true', cwd: '/tmp', timeout: Number.NaN },
      'options.timeout',
      "option 'timeout' must be a number of milliseconds between 0 and 2147483647, got NaN",
    ],
    [
      { program: 'true', cwd: '/tmp', timeout: '5' },
      'options.timeout',
      'option \'timeout\' must be a number of milliseconds between 0 and 2147483647, got "5"',
    ],
    [
      { program: 'true', cwd: '/tmp', forceKillAfterDelay: 2 ** 40 },
      'options.forceKillAfterDelay',
      "option 'forceKillAfterDelay' must be a number of milliseconds between 0 and 2147483647, got 1099511627776",
    ],
    [
      { program: 'true', cwd: '/tmp', env: { A: 1 } },
      'options.env',
      "option 'env' variable A must be a string, got 1",
    ],
    [
      { program: 'true', cwd: '/tmp', env: { 'A=B': 'x' } },
      'options.env',
      'option \'env\' variable "A=B" has an invalid name or value',
    ],
    [
      { program: 'true', cwd: '/tmp', cancelSignal: {} },
      'options.cancelSignal',
      "option 'cancelSignal' must be an AbortSignal, got a object",
    ],
    [
      { program: 'true', cwd: '/tmp', onLine: 'x' },
      'options.onLine',
      'option \'onLine\' must be a function, got "x"',
    ],
    [
      { program: 'true', cwd: '/tmp', searchPath: ['rel/dir'] },
      'options.searchPath',
      'option \'searchPath\' directory "rel/dir" must be absolute',
    ],
    [
      { program: 'true', cwd: '/tmp', maxLineLength: 0 },
      'options.maxLineLength',
      "option 'maxLineLength' must be an integer >= 1, got 0",
    ],
    [
      { program: 'true', cwd: '/tmp', appendOutput: 'yes' },
      'options.appendOutput',
      'option \'appendOutput\' must be true or false, got "yes"',
    ],
    [
      { program: 'true', cwd: '/tmp', limiter: 4 },
      'options.limiter',
      "option 'limiter' must be a ConcurrencyLimiter or null, got 4",
    ],
    [{ program: 'true', cwd: '/tmp', timout: 5 }, 'options.timout', "option 'timout' is not a known option"],
  ])('rejects %j', (options, objectPath, message) => {
    const e = reject(options);
    expect(e.code).toBe(101);
    expect(e.className).toBe('ProcessRunner');
    expect(e.objectPath).toBe(objectPath);
    expect(e.message).toBe(message);
  });

  it('resolves defaults and makes file paths absolute in the job directory', () => {
    const o = resolveRunOptions({ program: 'mtzdump', cwd: '/jobs/job_1', inputFile: 'com.txt' });
    expect(o).toMatchObject({
      args: [],
      cwd: '/jobs/job_1',
      inputFile: '/jobs/job_1/com.txt',
      logFile: '/jobs/job_1/log.txt',
      stderrFile: '/jobs/job_1/stderr.txt',
      timeout: 0,
      forceKillAfterDelay: 3000,
      extendEnv: true,
      ccp4Env: true,
    });
  });
});
