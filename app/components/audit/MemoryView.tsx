"use client";

import type { HostCallRecord, MemoryRegion } from "../../../lib/instance";

/** Bytes per row of the hex dump. */
const ROW = 16;

/** `0x0001_0f20`-style address, 8 hex digits. */
const address = (n: number) => `0x${n.toString(16).padStart(8, "0")}`;
const hexByte = (b: number) => b.toString(16).padStart(2, "0");
/** Printable ASCII as itself, anything else as a dot (the hex column says what it is). */
const printable = (b: number) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".");

/** A hex and text dump of `bytes`, addresses starting at `base`. */
function HexDump({ bytes, base, testId }: { bytes: Uint8Array; base: number; testId: string }) {
  const rows: number[] = [];
  for (let offset = 0; offset < bytes.length; offset += ROW) rows.push(offset);
  return (
    <pre className="overflow-x-auto rounded bg-zinc-900 p-2 font-mono text-xs leading-4" data-testid={testId}>
      {rows.length === 0 ? <span className="text-zinc-500">(no bytes)</span> : null}
      {rows.map((offset) => {
        const row = bytes.subarray(offset, offset + ROW);
        return (
          <div key={offset} data-testid="hex-row">
            <span className="text-zinc-500">{address(base + offset)}</span>
            {"  "}
            <span data-testid="hex-bytes">{Array.from(row, hexByte).join(" ").padEnd(ROW * 3 - 1)}</span>
            {"  "}
            <span className="text-emerald-300" data-testid="hex-text">
              {Array.from(row, printable).join("")}
            </span>
          </div>
        );
      })}
    </pre>
  );
}

function Region({ region }: { region: MemoryRegion }) {
  const shown = region.bytes.length < region.length ? ` (first ${region.bytes.length.toLocaleString("en")} shown)` : "";
  return (
    <div className="space-y-1" data-testid="memory-region" data-ptr={region.ptr} data-length={region.length} data-access={region.access}>
      <p className="text-xs">
        <span className={region.access === "read" ? "text-sky-300" : "text-amber-300"}>{region.access}</span> {region.what}: ptr{" "}
        <span className="font-mono" data-testid="region-ptr">
          {address(region.ptr)}
        </span>
        , len <span className="font-mono">{region.length.toLocaleString("en")}</span> bytes{shown}
        {region.outOfBounds ? <span className="text-red-400"> · runs past the end of memory: the host refused it</span> : null}
      </p>
      <HexDump bytes={region.bytes} base={region.ptr} testId="region-dump" />
    </div>
  );
}

/**
 * What one host call did to linear memory: each range it read or wrote, at the pointer and
 * length the guest passed, in hex and text, and the return buffer after the call.
 */
export function MemoryView({ call }: { call: HostCallRecord }) {
  return (
    <div className="space-y-2 rounded border border-zinc-800 p-2" data-testid="memory-view">
      <p className="text-xs text-zinc-400">
        <span className="font-mono text-zinc-200">{call.namespace}.{call.function}</span> took {call.durationMicros.toFixed(1)} µs; memory after:{" "}
        {call.memoryBytes.toLocaleString("en")} bytes
      </p>
      {call.regions === undefined ? <p className="text-xs text-zinc-500">Memory was not recorded for this call: record memory was off when it was loaded, or this function's ranges are not described.</p> : null}
      {call.regions?.length === 0 ? <p className="text-xs text-zinc-500">The call touched no guest memory.</p> : null}
      {call.regions?.map((region, i) => <Region key={i} region={region} />)}
      {call.returnBuffer ? (
        <div className="space-y-1" data-testid="return-buffer">
          <p className="text-xs">
            return buffer after the call: {call.returnBuffer.length.toLocaleString("en")} bytes
            {call.returnBuffer.bytes.length < call.returnBuffer.length ? ` (first ${call.returnBuffer.bytes.length.toLocaleString("en")} shown)` : ""}
          </p>
          <HexDump bytes={call.returnBuffer.bytes} base={0} testId="return-buffer-dump" />
        </div>
      ) : null}
    </div>
  );
}
