"use client";

import { useCallback, useMemo, useState, type UIEvent } from "react";
import { inspectorWorker } from "./inspector-worker";

/** Pixels per line of the listing (the `leading-4` of its rows). */
const LINE_HEIGHT = 16;
/** Rows drawn above and below the visible ones, so scrolling stays smooth. */
const OVERSCAN = 40;
/** Height of the listing's viewport in pixels. */
const VIEWPORT = 384;

/**
 * The module in the WebAssembly text format, disassembled by wabt in a Worker. Only the
 * rows in view are in the DOM, so the listing of the largest example (hundreds of
 * thousands of lines) scrolls without freezing the page.
 */
export function WatView({ bytes, name }: { bytes: Uint8Array; name: string }) {
  const [text, setText] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [top, setTop] = useState(0);
  const [query, setQuery] = useState("");
  const lines = useMemo(() => (text === undefined ? [] : text.split("\n")), [text]);

  const show = useCallback(async () => {
    setBusy(true);
    setError(undefined);
    try {
      const response = await inspectorWorker().disassemble(bytes.slice());
      if (response.ok) setText(response.text);
      else setError(response.error);
    } finally {
      setBusy(false);
    }
  }, [bytes]);

  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);
  const find = () => {
    if (!query || !scroller) return;
    const from = Math.floor(top / LINE_HEIGHT) + 1;
    const match = lines.findIndex((line, i) => i >= from && line.includes(query));
    const index = match >= 0 ? match : lines.findIndex((line) => line.includes(query));
    if (index >= 0) scroller.scrollTop = index * LINE_HEIGHT;
  };

  const first = Math.max(0, Math.floor(top / LINE_HEIGHT) - OVERSCAN);
  const last = Math.min(lines.length, Math.ceil((top + VIEWPORT) / LINE_HEIGHT) + OVERSCAN);

  return (
    <div className="space-y-2" data-testid="wat-view">
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <button
          type="button"
          onClick={show}
          disabled={busy}
          data-testid="wat-show"
          className="rounded border border-zinc-700 px-2 py-1 hover:border-zinc-500 disabled:opacity-40"
        >
          {busy ? "Disassembling…" : text === undefined ? `Show ${name} as WAT` : "Disassemble again"}
        </button>
        {text !== undefined ? (
          <>
            <span className="text-zinc-500" data-testid="wat-lines">
              {lines.length.toLocaleString("en")} lines
            </span>
            <input
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={(e) => e.key === "Enter" && find()}
              placeholder="find (Enter: next)"
              aria-label="Find in the WAT"
              data-testid="wat-find"
              className="rounded border border-zinc-800 bg-zinc-900 px-2 py-0.5 font-mono"
            />
          </>
        ) : null}
      </div>
      {error ? (
        <p className="text-xs text-red-400" role="alert">
          wabt could not disassemble {name}: {error}
        </p>
      ) : null}
      {text !== undefined ? (
        <div
          ref={setScroller}
          onScroll={(e: UIEvent<HTMLDivElement>) => setTop(e.currentTarget.scrollTop)}
          className="overflow-auto rounded border border-zinc-800 bg-zinc-950 font-mono text-xs"
          style={{ height: VIEWPORT }}
          data-testid="wat-scroller"
        >
          <div style={{ height: lines.length * LINE_HEIGHT, position: "relative" }}>
            <div style={{ position: "absolute", top: first * LINE_HEIGHT, left: 0, right: 0 }}>
              {lines.slice(first, last).map((line, i) => (
                <div key={first + i} className="flex h-4 leading-4 whitespace-pre" data-testid="wat-line">
                  <span className="w-14 shrink-0 select-none pr-2 text-right text-zinc-600">{first + i + 1}</span>
                  <span className={query && line.includes(query) ? "bg-amber-900/60" : ""}>{line}</span>
                </div>
              ))}
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}
