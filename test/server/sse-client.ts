import { setTimeout as sleep } from 'node:timers/promises';

export interface SseEvent {
  event: string;
  id?: string;
  data: string;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON checked field by field
  json: any;
}

/**
 * A Server-Sent Events client over fetch (what EventSource does, minus reconnecting): collects events,
 * remembers the last id, and waits for an event matching a predicate.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  lastEventId: string | undefined;
  status = 0;
  bytes = 0;
  readonly #abort = new AbortController();
  #done: Promise<void>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.#done = this.#run(url, headers).catch(() => {});
  }

  async #run(url: string, headers: Record<string, string>): Promise<void> {
    const res = await fetch(url, { headers, signal: this.#abort.signal });
    this.status = res.status;
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      this.bytes += chunk.length;
      buf += decoder.decode(chunk, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const e: SseEvent = { event: 'message', data: '', json: undefined };
        let has = false;
        for (const line of block.split('\n')) {
          if (line.startsWith(':') || line === '') continue;
          const c = line.indexOf(':');
          const [k, v] = c < 0 ? [line, ''] : [line.slice(0, c), line.slice(c + 1).replace(/^ /, '')];
          if (k === 'event') e.event = v;
          else if (k === 'data') {
            e.data += (e.data ? '\n' : '') + v;
            has = true;
          } else if (k === 'id') e.id = v;
        }
        if (!has) continue;
        try {
          e.json = JSON.parse(e.data);
        } catch {}
        if (e.id !== undefined) this.lastEventId = e.id;
        this.events.push(e);
      }
    }
  }

  of(event: string): SseEvent[] {
    return this.events.filter((e) => e.event === event);
  }

  async waitFor(what: string, pred: (e: SseEvent) => boolean, ms = 20_000): Promise<SseEvent> {
    const end = Date.now() + ms;
    for (;;) {
      const hit = this.events.find(pred);
      if (hit) return hit;
      if (Date.now() > end)
        throw new Error(`timed out waiting for ${what}; got ${this.events.map((e) => e.event).join(',')}`);
      await sleep(10);
    }
  }

  async close(): Promise<void> {
    this.#abort.abort();
    await this.#done;
  }
}
