import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Environment variable naming the database file (`--db FILE` wins over it). */
export const DB_ENV = 'CCP4I2_DB';

/** The database file: the option, else $CCP4I2_DB, else `~/.ccp4i2-ts/db.sqlite` (one per user, as CCP4i2). */
export function databasePath(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = option ?? env[DB_ENV];
  if (given !== undefined && given !== '') return resolve(given);
  return join(homedir(), '.ccp4i2-ts', 'db.sqlite');
}
