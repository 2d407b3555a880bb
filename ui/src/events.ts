import { useEffect, useRef } from 'preact/hooks';

export type EventHandlers = Record<string, (data: unknown, ev: MessageEvent) => void>;

/**
 * Subscribes to a Server-Sent Events stream while the component is mounted. The browser reconnects by
 * itself and sends Last-Event-ID, so the server resumes where the stream stopped: nothing here polls.
 */
export function useEventStream(
  url: string | undefined,
  handlers: EventHandlers,
  onState?: (open: boolean) => void,
): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  const stateRef = useRef(onState);
  stateRef.current = onState;
  useEffect(() => {
    if (!url) return;
    const es = new EventSource(url);
    const names = Object.keys(ref.current);
    const listeners = names.map((name) => {
      const f = (ev: MessageEvent) => {
        let data: unknown = ev.data;
        try {
          data = JSON.parse(ev.data);
        } catch {}
        ref.current[name]?.(data, ev);
      };
      es.addEventListener(name, f);
      return [name, f] as const;
    });
    es.onopen = () => stateRef.current?.(true);
    es.onerror = () => stateRef.current?.(false);
    return () => {
      for (const [name, f] of listeners) es.removeEventListener(name, f);
      es.close();
    };
  }, [url]);
}
