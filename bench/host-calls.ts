/**
 * The FrankenTerm host ABI on the hot path: `ft_log`, and the `ft_get_env` +
 * `ft_return_buffer_read` pair, as `lib/instance.ts` links them (real `AuditTrail`,
 * `LogSink`, `GuestMemory`, `ReturnBuffer`, environment with permissions), against the
 * same guest linked to JS no-ops. A third group times the pieces those functions are made
 * of, alone, to attribute the difference.
 */

import { CallRecorder, type RecordOptions } from "../lib/abi/call-recorder";
import { createEnvironment, environmentMatcher } from "../lib/abi/environment";
import { createHostFunctions, type HostContext } from "../lib/abi/host-functions";
import { LogSink } from "../lib/abi/log-sink";
import { ReturnBuffer } from "../lib/abi/return-buffer";
import { AuditFn, AuditTrail, Detail, Outcome } from "../lib/audit/trail";
import { LOG_LINES_PER_CALL } from "../lib/instance";
import { GuestMemory } from "../lib/memory";
import { asNumber, exportedFunction, exportedMemory, hostLayout, type ExportedFunction } from "./guests";
import { check, type Case, type Group } from "./measure";

/** Host calls per hook call: the executor's per-call log cap, so every line is kept. */
const CALLS = LOG_LINES_PER_CALL;
/**
 * Calls per iteration of the rows with no sink to drain (bare imports, clock reads): ten
 * hook calls' worth, so that an iteration lasts well above a browser's 5 µs clock
 * resolution (a 1000-call bare loop takes about 5 µs).
 */
const LONG = 10 * CALLS;

/** The environment the guest sees; `FT_*` is permitted, as a manifest would say. */
const ENV = { FT_THEME: "dark", HOME: "/home/bench" };
const ENV_PATTERNS = ["FT_*"];
const allowFt = environmentMatcher(ENV_PATTERNS);

/** The guest linked to our host functions. */
interface OursHost {
  host: HostContext;
  logLoop: ExportedFunction;
  envLoop: ExportedFunction;
  memory: WebAssembly.Memory;
}

/**
 * @param audit false for "audit off" (`LoadRequest.audit`: bench and command-line runs).
 * @param lines the sink's line cap: the executor's per-call cap unless a row loops longer.
 * @param record the instance's `record` option: absent, nothing is wrapped (as `lib/link.ts`
 *   links when recording is off); present, each host function goes through the recorder.
 */
function linkOurs(module: WebAssembly.Module, audit = true, lines = LOG_LINES_PER_CALL, record?: RecordOptions): OursHost {
  const memory = new GuestMemory();
  const host: HostContext = {
    memory,
    audit: new AuditTrail("bench", undefined, undefined, { enabled: audit }),
    logs: new LogSink(lines),
    returnBuffer: new ReturnBuffer(),
    env: createEnvironment(ENV, ENV_PATTERNS),
  };
  const f = createHostFunctions(host);
  const started = performance.now();
  const recorder = record ? new CallRecorder(record, host.audit, memory, host.returnBuffer, () => (performance.now() - started) * 1000) : undefined;
  const wrap = <F extends (...args: never[]) => unknown>(name: string, fn: F): F => (recorder ? recorder.wrap("env", name, fn) : fn);
  const instance = new WebAssembly.Instance(module, {
    env: { ft_log: wrap("ft_log", f.ft_log), ft_get_env: wrap("ft_get_env", f.ft_get_env), ft_return_buffer_read: wrap("ft_return_buffer_read", f.ft_return_buffer_read) },
  });
  memory.attach(exportedMemory(instance));
  return {
    host,
    logLoop: exportedFunction(instance, "log_loop"),
    envLoop: exportedFunction(instance, "env_loop"),
    memory: exportedMemory(instance),
  };
}

/**
 * The guest linked to imports that do `extra` (nothing, by default) and return the value's
 * length; `extra` runs in `ft_log`, and with `envToo` in both imports of the env pair.
 */
function linkBare(module: WebAssembly.Module, extra?: (ptr: number, len: number, memory: Uint8Array) => void, envToo = false) {
  let bytes = new Uint8Array(0);
  const log = extra ? (_level: number, ptr: number, len: number) => extra(ptr, len, bytes) : () => {};
  const value = ENV.FT_THEME.length;
  const pairHalf = envToo && extra ? (ptr: number, len: number) => (extra(ptr, len, bytes), value) : () => value;
  const instance = new WebAssembly.Instance(module, {
    env: { ft_log: log, ft_get_env: pairHalf, ft_return_buffer_read: pairHalf },
  });
  bytes = new Uint8Array(exportedMemory(instance).buffer);
  return { logLoop: exportedFunction(instance, "log_loop"), envLoop: exportedFunction(instance, "env_loop") };
}

/**
 * Checks one hook call's worth of `ft_log`: N lines kept with the right text, N audit
 * records (none with the audit off).
 */
function verifyLog(ours: OursHost, ptr: number, text: string, calls = CALLS): void {
  ours.host.logs.drain();
  const before = ours.host.audit.total;
  ours.logLoop(calls, ptr, text.length);
  const lines = ours.host.logs.drain();
  check(lines.length === calls, `LogSink saw ${lines.length} lines, expected ${calls}`);
  check(lines.every((l) => l.message === text && l.level === 2), "a logged line differs from the guest's message");
  if (!ours.host.audit.enabled) {
    check(ours.host.audit.total === 0, "the audit is off but recorded calls");
    return;
  }
  check(ours.host.audit.total - before === calls, `audit recorded ${ours.host.audit.total - before} calls, expected ${calls}`);
  const last = ours.host.audit.entries(ours.host.audit.total - 1)[0];
  check(last?.function === "ft_log" && last.outcome === "Ok", `last audit record is ${JSON.stringify(last)}`);
}

/** `ft_log` for 16- and 200-byte messages, against the bare import and two reference imports. */
function logGroup(module: WebAssembly.Module, timeMs: number): Group {
  const { short, long } = hostLayout;
  const bare = linkBare(module);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let decoded = 0;
  const decoding = linkBare(module, (ptr, len, memory) => {
    decoded += decoder.decode(memory.subarray(ptr, ptr + len)).length;
  });
  let stamps = 0;
  const timing = linkBare(module, () => {
    stamps += performance.now();
  });
  const clock = performance;
  const heldTiming = linkBare(module, () => {
    stamps += clock.now();
  });
  const short16 = linkOurs(module);
  const long200 = linkOurs(module);
  const withDrain = linkOurs(module);
  // Ten hook calls' worth per iteration (a sink that keeps them all), so that the row lasts
  // well above a browser's 5 µs clock resolution: 1000 calls take about 20 µs.
  const unaudited = linkOurs(module, false, LONG);
  const drain = (o: OursHost) => () => void o.host.logs.drain();
  const bareName = "bare import (JS no-op)";
  return {
    id: "ft_log",
    title: `ft_log: guest loops ${CALLS}× per hook call; time per call`,
    per: "call",
    unit: "ns",
    reference: bareName,
    ratioLabel: "× bare",
    baseline: bareName,
    timeMs,
    cases: [
      { name: bareName, role: "baseline", ops: LONG, run: () => (bare.logLoop(LONG, short.ptr, 16), LONG), probeAllocations: true },
      {
        name: "ft_log 16 B",
        role: "ours",
        ops: CALLS,
        run: () => (short16.logLoop(CALLS, short.ptr, short.text.length), short16.host.audit.total),
        after: drain(short16),
        verify: () => verifyLog(short16, short.ptr, short.text),
        probeAllocations: true,
      },
      {
        name: "ft_log 200 B",
        role: "ours",
        ops: CALLS,
        run: () => (long200.logLoop(CALLS, long.ptr, long.text.length), long200.host.audit.total),
        after: drain(long200),
        verify: () => verifyLog(long200, long.ptr, long.text),
        probeAllocations: true,
      },
      {
        name: "ft_log 16 B, audit off",
        role: "ours",
        ops: LONG,
        run: () => (unaudited.logLoop(LONG, short.ptr, short.text.length), LONG),
        after: drain(unaudited),
        verify: () => verifyLog(unaudited, short.ptr, short.text, LONG),
        probeAllocations: true,
        detail: () => "LoadRequest.audit = false (bench and command-line runs)",
      },
      {
        name: "ft_log 16 B + LogSink.drain",
        role: "reference",
        ops: CALLS,
        run: () => (withDrain.logLoop(CALLS, short.ptr, short.text.length), withDrain.host.logs.drain().length),
        verify: () => verifyLog(withDrain, short.ptr, short.text),
        probeAllocations: true,
        detail: () => "the deferred decode, paid once per line at hand-off",
      },
      {
        name: "import → TextDecoder.decode(16 B)",
        role: "reference",
        ops: CALLS,
        run: () => (decoding.logLoop(CALLS, short.ptr, short.text.length), decoded),
        verify: () => {
          const before = decoded;
          decoding.logLoop(CALLS, short.ptr, short.text.length);
          check(decoded - before === CALLS * short.text.length, "the decoding import did not decode every message");
        },
        probeAllocations: true,
      },
      {
        name: "import → performance.now()",
        role: "reference",
        ops: LONG,
        run: () => (timing.logLoop(LONG, short.ptr, 16), stamps),
        probeAllocations: true,
      },
      {
        name: "import → clock.now(), Performance object held",
        role: "reference",
        ops: LONG,
        run: () => (heldTiming.logLoop(LONG, short.ptr, 16), stamps),
        probeAllocations: true,
        detail: () => "the clock read as AuditTrail makes it: without the global's lookup",
      },
    ],
    notes: [
      "Guests are not instrumented here (no fuel checks), so the rows isolate the host side.",
      `After each hook call the LogSink is drained (untimed), as ExtensionInstance.call does; the "+ drain" row times it too.`,
    ],
  };
}

/** `ft_get_env` + `ft_return_buffer_read`, against the bare pair. */
function envGroup(module: WebAssembly.Module, timeMs: number): Group {
  const bare = linkBare(module);
  const ours = linkOurs(module);
  const recording = linkOurs(module, true, LOG_LINES_PER_CALL, { memory: true, timing: true });
  let stamps = 0;
  const timing = linkBare(module, () => void (stamps += performance.now()), true);
  const clock = performance;
  const heldTiming = linkBare(module, () => void (stamps += clock.now()), true);
  const value = ENV.FT_THEME;
  const bareName = "bare import pair (JS no-ops)";
  return {
    id: "ft_get_env",
    title: `ft_get_env + ft_return_buffer_read: guest loops ${CALLS}× per hook call; time per pair`,
    per: "pair",
    unit: "ns",
    reference: bareName,
    ratioLabel: "× bare",
    baseline: bareName,
    timeMs,
    cases: [
      { name: bareName, role: "baseline", ops: LONG, run: () => asNumber(bare.envLoop(LONG)), probeAllocations: true },
      {
        name: `ft_get_env("FT_THEME") + read`,
        role: "ours",
        ops: CALLS,
        run: () => asNumber(ours.envLoop(CALLS)),
        verify: () => {
          const before = ours.host.audit.total;
          const sum = ours.envLoop(CALLS);
          check(sum === CALLS * value.length * 2, `env_loop returned ${String(sum)}, expected ${CALLS * value.length * 2}`);
          const { ptr } = hostLayout.out;
          const copied = new TextDecoder().decode(new Uint8Array(ours.memory.buffer, ptr, value.length));
          check(copied === value, `the guest's buffer holds "${copied}", expected "${value}"`);
          check(ours.host.audit.total - before === 2 * CALLS, "not every call was audited");
          const [get, read] = ours.host.audit.entries(ours.host.audit.total - 2);
          check(get?.function === "env_get" && get.argsSummary === "FT_THEME" && get.outcome === "Ok", `env_get audit: ${JSON.stringify(get)}`);
          check(read?.function === "return_buffer_read" && read.result === value.length, `read audit: ${JSON.stringify(read)}`);
        },
        probeAllocations: true,
      },
      {
        name: "import pair → performance.now() each",
        role: "reference",
        ops: LONG,
        run: () => (timing.envLoop(LONG), stamps),
        probeAllocations: true,
        detail: () => "two clock reads per pair: the floor of two timestamped records",
      },
      {
        name: "import pair → clock.now() each, Performance object held",
        role: "reference",
        ops: LONG,
        run: () => (heldTiming.envLoop(LONG), stamps),
        probeAllocations: true,
        detail: () => "the clock reads as AuditTrail makes them: without the global's lookup",
      },
      {
        name: `ft_get_env("FT_THEME") + read, record memory on`,
        role: "ours",
        ops: CALLS,
        run: () => asNumber(recording.envLoop(CALLS)),
        verify: () => {
          const before = recording.host.audit.total;
          recording.envLoop(CALLS);
          check(recording.host.audit.total - before === 2 * CALLS, "not every call was audited");
        },
        probeAllocations: true,
      },
    ],
    notes: [
      `"record memory on" wraps each host function in lib/abi/call-recorder.ts (the page's "record memory" switch); off, nothing is wrapped, so the "FT_THEME" row is the switch off.`,
    ],
  };
}

/** A JS loop of `n` operations, each returning a number, summed. */
function loop(n: number, op: (i: number) => number): () => number {
  return () => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += op(i);
    return sum;
  };
}

/** The building blocks of the host functions above, each alone in a JS loop. */
function attributionGroup(timeMs: number): Group {
  const n = 1000;
  const memory = new Uint8Array(65536).fill(97);
  const guest = new GuestMemory();
  guest.attach(new WebAssembly.Memory({ initial: 1 }));
  const audit = new AuditTrail("bench");
  const clock = performance;
  const raw16 = memory.subarray(256, 272);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const encoder = new TextEncoder();
  const key = memory.subarray(0, 8);
  const reference = "performance.now()";
  const js = (name: string, op: (i: number) => number, detail?: string): Case => ({
    name,
    role: "reference",
    ops: n,
    run: loop(n, op),
    probeAllocations: true,
    ...(detail ? { detail: () => detail } : {}),
  });
  return {
    id: "attribution",
    title: "Attribution: the pieces of the host functions, alone in a JS loop; time per operation",
    per: "op",
    unit: "ns",
    reference,
    ratioLabel: "× now()",
    timeMs: Math.max(100, timeMs / 2),
    cases: [
      js(reference, () => performance.now(), "the global looked up per call, as the import → performance.now() rows do"),
      js("clock.now(), the Performance object held", () => clock.now(), "what AuditTrail reads once per record (trail.ts)"),
      js("GuestMemory.bytes().subarray(16 B)", (i) => guest.bytes().subarray(i & 255, (i & 255) + 16).length, "the view ft_log no longer builds"),
      js("Uint8Array.slice 16 B", (i) => memory.slice(i & 255, (i & 255) + 16).length, "a copy that allocates"),
      js("Uint8Array.slice 200 B", (i) => memory.slice(i & 255, (i & 255) + 200).length, "off-heap above 64 B"),
      js("AuditTrail.record, 16 B raw", () => (audit.record(AuditFn.ftLog, Outcome.ok, Detail.none, raw16, NaN, 2), 1)),
      js(
        "AuditTrail.recordFrom, 16 B of memory",
        (i) => (audit.recordFrom(AuditFn.ftLog, Outcome.ok, Detail.none, guest.bytes(), guest.view(), i & 255, 16, NaN, 2), 1),
        "WASI's record (lib/wasi/fast-calls.ts): no view",
      ),
      js(
        "AuditTrail.recordBytes, 16 B of memory",
        (i) => (guest.words(), audit.recordBytes(AuditFn.ftLog, Outcome.ok, Detail.none, guest, i & 252, 16, NaN, 2), 1),
        "ft_log's record: word copy, no view",
      ),
      js("AuditTrail.record, no raw", () => (audit.record(AuditFn.returnBufferRead, Outcome.ok, Detail.none, undefined, 4, 1, 64), 1)),
      js("TextDecoder(fatal).decode 8 B", () => decoder.decode(key).length, "ft_get_env decodes a key only when no set variable has it"),
      js(`TextEncoder.encode("dark")`, () => encoder.encode("dark").length, "values are encoded once per instance"),
      js(`environmentMatcher(["FT_*"])(key)`, () => (allowFt("FT_THEME") ? 1 : 0), "permission check, patterns compiled once"),
    ],
    notes: ["JS-only loops: V8 may optimise them differently than inside a host function; read them as orders of magnitude."],
  };
}

/**
 * The host-ABI groups, every case sharing one compiled guest.
 * @param guest the binary of `hostGuestWat()`.
 */
export async function hostCallGroups(guest: Uint8Array<ArrayBuffer>, timeMs: number): Promise<Group[]> {
  const module = await WebAssembly.compile(guest);
  return [logGroup(module, timeMs), envGroup(module, timeMs), attributionGroup(timeMs)];
}
