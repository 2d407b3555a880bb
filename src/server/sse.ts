import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface SseOptions {
  /** Comment line sent this often so proxies and idle timers keep the connection (default 15 s). */
  heartbeatMs?: number;
  /** Reconnection delay suggested to the browser (default 1 s). */
  retryMs?: number;
}

/**
 * One Server-Sent Events connection. `send` returns false when the socket's buffer is full: producers
 * then wait for `drained()` before sending more, so a slow client never makes the server buffer without
 * bound. Closed by the client (disconnect) or by `close()`; `closed` resolves either way.
 */
export class SseStream {
  readonly #res: ServerResponse;
  readonly #heartbeat: NodeJS.Timeout;
  #open = true;
  readonly closed: Promise<void>;
  /** The client's Last-Event-ID (header, or `lastEventId` query for a first connection that resumes). */
  readonly lastEventId: string | undefined;

  constructor(req: FastifyRequest, reply: FastifyReply, opts: SseOptions = {}) {
    reply.hijack();
    const res = reply.raw;
    this.#res = res;
    const header = req.headers['last-event-id'];
    const q = (req.query as Record<string, unknown> | undefined)?.lastEventId;
    this.lastEventId =
      typeof header === 'string' && header !== ''
        ? header
        : typeof q === 'string' && q !== ''
          ? q
          : undefined;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...(reply.getHeaders() as Record<string, string>),
    });
    res.write(`retry: ${opts.retryMs ?? 1000}\n\n`);
    this.closed = new Promise((resolve) => {
      const done = () => {
        this.#open = false;
        clearInterval(this.#heartbeat);
        resolve();
      };
      res.once('close', done);
      res.once('error', done);
    });
    this.#heartbeat = setInterval(() => this.#write(': keep-alive\n\n'), opts.heartbeatMs ?? 15_000);
    this.#heartbeat.unref();
  }

  get open(): boolean {
    return this.#open && !this.#res.destroyed;
  }

  /** True when the socket would buffer more: wait for drained() before sending more. */
  get congested(): boolean {
    return this.#res.writableNeedDrain;
  }

  /** Sends one event; data is JSON. An id is what the browser sends back as Last-Event-ID. */
  send(event: string, data: unknown, id?: string): boolean {
    const json = JSON.stringify(data);
    // JSON never contains a raw newline, so one data line carries the whole event.
    return this.#write(`event: ${event}\n${id !== undefined ? `id: ${id}\n` : ''}data: ${json}\n\n`);
  }

  #write(text: string): boolean {
    if (!this.open) return false;
    return this.#res.write(text);
  }

  /** Resolves when the socket can take more (or the stream closed). */
  drained(): Promise<void> {
    if (!this.open || !this.#res.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.#res.off('drain', done);
        this.#res.off('close', done);
        resolve();
      };
      this.#res.once('drain', done);
      this.#res.once('close', done);
    });
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    clearInterval(this.#heartbeat);
    this.#res.end();
  }
}
