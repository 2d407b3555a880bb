import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';

/** Most lines kept in the page; older ones are dropped (the full log stays downloadable). */
export const MAX_LINES = 20_000;

/**
 * A live log: text only (no markup from the log is ever interpreted), following the end unless the user
 * has scrolled up; scrolling back to the bottom resumes following.
 */
export function LogView({ text, notice }: { text: string; notice?: string }) {
  const box = useRef<HTMLPreElement>(null);
  const follow = useRef(true);
  useLayoutEffect(() => {
    const el = box.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [text]);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onScroll = () => {
      follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
    };
    el.addEventListener('scroll', onScroll);
    return () => el.removeEventListener('scroll', onScroll);
  }, []);
  return (
    <div>
      {notice ? <p class="notice">{notice}</p> : null}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <pre class="log" ref={box} tabIndex={0} title="Log" data-testid="log">
        {text}
      </pre>
    </div>
  );
}

/** Appends a chunk, keeping at most MAX_LINES lines. */
export function appendLog(old: string, chunk: string): string {
  const next = old + chunk;
  let n = 0;
  for (let i = next.length - 1; i >= 0; i--)
    if (next.charCodeAt(i) === 10 && ++n > MAX_LINES) return next.slice(i + 1);
  return next;
}
