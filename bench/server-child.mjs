// A ccp4i2 server in a process of its own, so that the server benchmark measures its memory alone
// (/proc/PID/status). Prints one JSON line {url, pid}; stops on SIGTERM.
import { listen } from '../dist/server/index.js';

const [db, projectsDir] = process.argv.slice(2);
const s = await listen({ port: 0, db, projectsDir });
process.stdout.write(`${JSON.stringify({ url: s.url, pid: process.pid })}\n`);
process.once('SIGTERM', () => s.close().then(() => process.exit(0)));
