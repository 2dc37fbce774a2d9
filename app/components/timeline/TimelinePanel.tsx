"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import type { CallResult } from "../../../lib/instance";
import { buildTimeline } from "../../../lib/timeline/run-timeline";
import type { Lane } from "../../../lib/timeline/run-timeline";

/**
 * The Timeline tab: the current run's hook calls, host calls and WASI calls on one time
 * axis with their durations, memory size over time, and fuel per hook call. The chart
 * library loads when the tab is first shown.
 */
export function TimelinePanel({ calls, visible }: { calls: readonly CallResult[]; visible: boolean }) {
  const element = useRef<HTMLDivElement>(null);
  const timeline = useMemo(() => buildTimeline(calls), [calls]);
  const [drawn, setDrawn] = useState<Record<Lane, number> | undefined>();
  const timed = calls.some((c) => c.hostCalls !== undefined);

  useEffect(() => {
    const target = element.current;
    if (!visible || !target || calls.length === 0) return;
    let current = true;
    void import("./chart").then(({ drawTimeline, drawnBars }) => {
      if (!current) return;
      const chart = drawTimeline(target, timeline);
      chart.resize();
      setDrawn(drawnBars(chart));
    });
    return () => {
      current = false;
    };
  }, [timeline, visible, calls.length]);

  useEffect(() => {
    const target = element.current;
    return () => {
      if (target) void import("./chart").then(({ disposeTimeline }) => disposeTimeline(target));
    };
  }, []);

  return (
    <div className="space-y-2 text-xs">
      {calls.length === 0 ? <p className="text-zinc-500">Call a hook to see its timeline.</p> : null}
      {calls.length > 0 && !timed ? (
        <p className="text-zinc-500">Host and WASI calls are shown as instants: turn on record memory (Audit tab) and load again to time each one.</p>
      ) : null}
      <div
        ref={element}
        data-testid="timeline-chart"
        data-hook-bars={drawn?.hook ?? 0}
        data-host-bars={drawn?.host ?? 0}
        data-wasi-bars={drawn?.wasi ?? 0}
        className={calls.length === 0 ? "hidden" : "h-[380px] w-full"}
      />
    </div>
  );
}
