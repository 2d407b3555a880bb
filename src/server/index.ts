// The web server: API, event streams and the built browser UI. See docs/server.md.
export { buildServer, type ServerOptions } from './app.js';
export { SERVER_CLASS, SERVER_ERROR_CODES, serverError } from './errors.js';
export { type ListenOptions, listen, type RunningServer } from './listen.js';
