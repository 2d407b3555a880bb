import { Ccp4Error } from '../../src/errors/ccp4-error.js';

/** The Ccp4Error `f` throws; anything else thrown (or nothing) fails the test. */
export function errorOf(f: () => unknown): Ccp4Error {
  try {
    f();
  } catch (e) {
    if (e instanceof Ccp4Error) return e;
    throw e;
  }
  throw new Error('expected a Ccp4Error');
}
