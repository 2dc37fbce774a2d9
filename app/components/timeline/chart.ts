/**
 * The timeline's chart, drawn with Apache ECharts (only the parts used: custom, line and bar
 * series on a canvas). Loaded on first use by `TimelinePanel` so the page does not carry it
 * until the Timeline tab opens. Tooltips are formatted when shown, not when the chart is built.
 */

import { BarChart, CustomChart, LineChart } from "echarts/charts";
import { DataZoomComponent, GridComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn, EChartsCoreOption } from "echarts";
import { formatMicros } from "../../../lib/audit/explore";
import type { Lane, Timeline, TimelineBar } from "../../../lib/timeline/run-timeline";

echarts.use([CustomChart, LineChart, BarChart, GridComponent, TooltipComponent, DataZoomComponent, CanvasRenderer]);

/** The lanes from top to bottom, with their colours. */
export const LANES: readonly { lane: Lane; title: string; colour: string }[] = [
  { lane: "hook", title: "hook calls", colour: "#0ea5e9" },
  { lane: "host", title: "host calls", colour: "#10b981" },
  { lane: "wasi", title: "WASI calls", colour: "#f59e0b" },
];

/** Bars narrower than this many pixels are drawn this wide, so an instant stays visible. */
const MIN_BAR_PX = 2;

/** One rectangle per bar, on its lane, from its start to its end. */
function renderBar(params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn {
  const lane = api.value(0) as number;
  const start = api.value(1) as number;
  const end = start + (api.value(2) as number);
  const from = api.coord([start, lane]);
  const to = api.coord([end, lane]);
  const height = (api.size?.([0, 1]) as number[])[1] ?? 10;
  const sys = params.coordSys as unknown as { x: number; y: number; width: number; height: number };
  const shape = echarts.graphic.clipRectByRect(
    { x: from[0] ?? 0, y: (from[1] ?? 0) - height * 0.3, width: Math.max((to[0] ?? 0) - (from[0] ?? 0), MIN_BAR_PX), height: height * 0.6 },
    { x: sys.x, y: sys.y, width: sys.width, height: sys.height },
  );
  return shape ? { type: "rect", shape, style: api.style() } : null;
}

/** A bar's tooltip, built when it is shown. */
function describeBar(bar: TimelineBar): string {
  const duration = bar.timed ? formatMicros(bar.durationMicros) : "not timed (turn on record memory)";
  return `${bar.label}<br/>call #${bar.call + 1} · at ${formatMicros(bar.startMicros)} after load · ${duration}`;
}

/** The chart's option for `timeline`: lanes on one time axis, memory over time, fuel per hook call. */
export function timelineOption(timeline: Timeline): EChartsCoreOption {
  const byLane = (lane: Lane) => timeline.bars.filter((b) => b.lane === lane);
  const laneIndex = (lane: Lane) => LANES.findIndex((l) => l.lane === lane);
  // Both time axes span the run, with a margin, so lanes and memory line up.
  const [first, last] = timeline.span;
  const margin = Math.max(1, (last - first) * 0.02);
  const time = { type: "value", min: Math.floor(first - margin), max: Math.ceil(last + margin), axisLabel: { color: "#71717a" } } as const;
  return {
    animation: false,
    backgroundColor: "transparent",
    textStyle: { color: "#a1a1aa", fontSize: 11 },
    tooltip: { trigger: "item", confine: true },
    grid: [
      { left: 90, right: 20, top: 10, height: 120 },
      { left: 90, right: 20, top: 170, height: 70 },
      { left: 90, right: 20, top: 280, height: 70 },
    ],
    xAxis: [
      { ...time, gridIndex: 0, name: "µs since load", nameLocation: "middle", nameGap: 22 },
      { ...time, gridIndex: 1 },
      { type: "category", gridIndex: 2, data: timeline.fuel.map((f) => `#${f.call + 1} ${f.handler}`), axisLabel: { color: "#71717a" } },
    ],
    yAxis: [
      { type: "category", gridIndex: 0, data: LANES.map((l) => l.title), inverse: true, axisLabel: { color: "#d4d4d8" } },
      { type: "value", gridIndex: 1, name: "memory B", axisLabel: { color: "#71717a" } },
      { type: "value", gridIndex: 2, name: "fuel", axisLabel: { color: "#71717a" } },
    ],
    dataZoom: [{ type: "inside", xAxisIndex: [0, 1], filterMode: "weakFilter" }],
    series: [
      ...LANES.map(({ lane, title, colour }) => {
        const bars = byLane(lane);
        return {
          id: lane,
          name: title,
          type: "custom",
          xAxisIndex: 0,
          yAxisIndex: 0,
          renderItem: renderBar,
          itemStyle: { color: colour },
          // Dimensions: lane, start, duration, end; the x extent is start to end.
          encode: { x: [1, 3], y: 0 },
          data: bars.map((b) => [laneIndex(lane), b.startMicros, b.durationMicros, b.startMicros + b.durationMicros]),
          tooltip: { formatter: (p: { dataIndex: number }) => (bars[p.dataIndex] ? describeBar(bars[p.dataIndex] as TimelineBar) : "") },
        };
      }),
      {
        id: "memory",
        name: "memory",
        type: "line",
        step: "end",
        xAxisIndex: 1,
        yAxisIndex: 1,
        symbolSize: 3,
        itemStyle: { color: "#a78bfa" },
        data: timeline.memory.map((m) => [m.atMicros, m.bytes]),
        tooltip: { formatter: (p: { value: [number, number] }) => `${p.value[1].toLocaleString("en")} bytes at ${formatMicros(p.value[0])}` },
      },
      {
        id: "fuel",
        name: "fuel",
        type: "bar",
        xAxisIndex: 2,
        yAxisIndex: 2,
        itemStyle: { color: "#f472b6" },
        data: timeline.fuel.map((f) => f.fuelUsed),
        tooltip: {
          formatter: (p: { dataIndex: number }) => {
            const f = timeline.fuel[p.dataIndex];
            return f ? `#${f.call + 1} ${f.handler}: ${f.fuelUsed.toLocaleString("en")} of ${f.fuelLimit.toLocaleString("en")} fuel` : "";
          },
        },
      },
    ],
  };
}

/** Draws `timeline` into `element` (creating the chart once); returns the chart for reading back and disposal. */
export function drawTimeline(element: HTMLElement, timeline: Timeline): echarts.ECharts {
  const chart = echarts.getInstanceByDom(element) ?? echarts.init(element, undefined, { renderer: "canvas" });
  chart.setOption(timelineOption(timeline), { notMerge: true });
  return chart;
}

/** How many bars each lane's series holds in the chart as drawn (read back from the chart). */
export function drawnBars(chart: echarts.ECharts): Record<Lane, number> {
  const option = chart.getOption() as { series?: { id?: string; data?: unknown[] }[] };
  const count = (lane: Lane) => option.series?.find((s) => s.id === lane)?.data?.length ?? 0;
  return { hook: count("hook"), host: count("host"), wasi: count("wasi") };
}

/** Disposes the chart of `element`, if there is one. */
export function disposeTimeline(element: HTMLElement): void {
  echarts.getInstanceByDom(element)?.dispose();
}
