"use client";

import { useState } from "react";
import { KNOWN_EVENTS } from "../../../lib/manifest/events";
import type { Hook } from "../../../lib/manifest/types";
import { matchingHooks } from "../../../lib/manifest/dispatch";

interface Props {
  /** The loaded extension's hooks (none before a load). */
  hooks: Hook[];
  disabled: boolean;
  event: string;
  payload: string;
  /** Chooses an event (the payload becomes its documented example). */
  onChoose(event: string): void;
  onPayload(text: string): void;
  /** Fires `event`: the caller calls each matching hook in order with `payload`. */
  onFire(event: string, payload: string, hooks: Hook[]): void;
}

/** The twelve events with a payload editor prefilled with each event's documented shape. */
export function EventsPanel({ hooks, disabled, event, payload, onChoose, onPayload, onFire }: Props) {
  const [problem, setProblem] = useState<string | undefined>();
  const matches = matchingHooks(hooks, event);

  const choose = (next: string) => {
    onChoose(next);
    setProblem(undefined);
  };
  const fire = () => {
    try {
      onFire(event, JSON.stringify(JSON.parse(payload)), matches);
      setProblem(undefined);
    } catch (error) {
      setProblem(`The payload is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return (
    <section className="space-y-2" data-testid="events-panel">
      <div className="flex flex-wrap items-center gap-2">
        <select
          value={event}
          onChange={(e) => choose(e.target.value)}
          data-testid="event-select"
          aria-label="Event"
          className="rounded border border-zinc-700 bg-zinc-900 px-2 py-1 font-mono text-sm"
        >
          {KNOWN_EVENTS.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={disabled || matches.length === 0}
          onClick={fire}
          data-testid="fire-event"
          className="rounded bg-sky-800 px-3 py-1 text-sm hover:bg-sky-700 disabled:opacity-40"
        >
          Fire
        </button>
        <span className="text-xs text-zinc-500" data-testid="event-matches">
          {matches.length === 0 ? "no hook subscribes to this event" : `calls ${matches.map((h) => `${h.handler} (${h.event})`).join(", then ")}`}
        </span>
      </div>
      <textarea
        value={payload}
        onChange={(e) => onPayload(e.target.value)}
        spellCheck={false}
        data-testid="payload-editor"
        aria-label="Event payload (JSON)"
        className="h-24 w-full rounded border border-zinc-800 bg-zinc-900 p-2 font-mono text-xs"
      />
      {problem ? <p className="text-xs text-red-300" data-testid="payload-error">{problem}</p> : null}
      <p className="text-xs text-zinc-500">
        The payload&apos;s JSON is placed in the return buffer before each call, so <code>ft_return_buffer_read</code> at hook entry
        reads it. This is the playground&apos;s proposal: FrankenTerm documents the payload ABI as &quot;to be stabilized&quot;.
      </p>
    </section>
  );
}
