import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import { AuditTrail } from "../audit/trail";
import { GuestMemory } from "../memory";
import { createEnvironment } from "./environment";
import { createHostFunctions, type HostContext, type HostFunctions } from "./host-functions";
import { LogSink } from "./log-sink";
import { ReturnBuffer } from "./return-buffer";

const PAGE = 65536;
let wasmMemory: WebAssembly.Memory;
let ctx: HostContext;
let host: HostFunctions;

/** Writes `text` as UTF-8 at `ptr` and returns its byte length. */
function put(ptr: number, text: string | Uint8Array): number {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  new Uint8Array(wasmMemory.buffer).set(bytes, ptr);
  return bytes.length;
}

function read(ptr: number, len: number): string {
  return new TextDecoder().decode(new Uint8Array(wasmMemory.buffer, ptr, len));
}

function lastAudit() {
  const entries = ctx.audit.entries();
  return entries[entries.length - 1];
}

beforeEach(() => {
  wasmMemory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
  const memory = new GuestMemory();
  memory.attach(wasmMemory);
  ctx = {
    memory,
    audit: new AuditTrail("test-ext"),
    logs: new LogSink(),
    returnBuffer: new ReturnBuffer(),
    env: createEnvironment({ TERM: "xterm", HOME: "/home/u", FT_THEME: "dark", EMPTY: "" }, ["TERM", "FT_*", "EMPTY", "UNSET"]),
  };
  host = createHostFunctions(ctx);
});

describe("ft_log", () => {
  test("logs UTF-8 from memory with the level and audits level and message", () => {
    const len = put(100, "héllo ✓");
    host.ft_log(2, 100, len);
    assert.deepEqual(ctx.logs.drain(), [{ level: 2, levelName: "INFO", message: "héllo ✓" }]);
    assert.deepEqual(
      { fn: lastAudit()?.function, args: lastAudit()?.argsSummary, outcome: lastAudit()?.outcome, ext: lastAudit()?.extensionId },
      { fn: "ft_log", args: "level=2 msg=héllo ✓", outcome: "Ok", ext: "test-ext" },
    );
  });

  test("quotes only the first 80 bytes of the message in the audit summary", () => {
    const len = put(0, "x".repeat(300));
    host.ft_log(1, 0, len);
    assert.equal(lastAudit()?.argsSummary, `level=1 msg=${"x".repeat(80)}`);
    assert.equal(ctx.logs.drain()[0]?.message.length, 300);
  });

  test("does not validate the level (host code) and names unknown levels", () => {
    host.ft_log(9, 0, put(0, "odd"));
    assert.equal(ctx.logs.drain()[0]?.levelName, "LEVEL(9)");
  });

  test("an out-of-bounds range logs an empty message and audits an Error naming range and memory size", () => {
    host.ft_log(3, PAGE - 4, 16);
    assert.deepEqual(ctx.logs.drain(), [{ level: 3, levelName: "WARN", message: "" }]);
    assert.equal(lastAudit()?.outcome, 'Error("range 0xfffc..0x1000c (16 bytes) is outside linear memory (65536 bytes)")');
  });

  test("a negative length is a huge unsigned one: out of bounds", () => {
    host.ft_log(2, 0, -1);
    assert.equal(ctx.logs.drain()[0]?.message, "");
    assert.match(lastAudit()?.outcome ?? "", /4294967295 bytes\) is outside linear memory/);
  });

  test("invalid UTF-8 logs an empty message and audits an Error", () => {
    host.ft_log(2, 0, put(0, new Uint8Array([0x68, 0xff, 0xfe])));
    assert.equal(ctx.logs.drain()[0]?.message, "");
    assert.equal(lastAudit()?.outcome, 'Error("bytes are not valid UTF-8")');
  });

  test("a long message invalid past the audit's 256 bytes or the sink's 4096 is \"\" and an Error in both", () => {
    for (const at of [300, 5000]) {
      const bytes = new TextEncoder().encode("v".repeat(6000));
      bytes[at] = 0xff;
      host.ft_log(3, 0, put(0, bytes));
      assert.equal(ctx.logs.drain()[0]?.message, "", `shown as "" (bad byte at ${at})`);
      assert.deepEqual([lastAudit()?.argsSummary, lastAudit()?.outcome], ["level=3 msg=", 'Error("bytes are not valid UTF-8")']);
    }
    host.ft_log(3, 0, put(0, "w".repeat(6000)));
    assert.equal(lastAudit()?.outcome, "Ok", "a long valid one is Ok");
    assert.match(ctx.logs.drain()[0]?.message ?? "", /^w{4096}… \[6,000 bytes/);
  });

  test("a message that ends at the last byte of memory is logged and audited whole", () => {
    host.ft_log(2, PAGE - 5, put(PAGE - 5, "tail!"));
    assert.equal(ctx.logs.drain()[0]?.message, "tail!");
    assert.deepEqual([lastAudit()?.argsSummary, lastAudit()?.outcome], ["level=2 msg=tail!", "Ok"]);
  });

  test("without a memory export even an empty message is an Error", () => {
    ctx.memory.attach(undefined);
    host.ft_log(2, 0, 0);
    assert.deepEqual(ctx.logs.drain(), [{ level: 2, levelName: "INFO", message: "" }]);
    assert.equal(lastAudit()?.outcome, 'Error("the module exports no memory")');
  });

  test("sees memory grown after the host functions were created", () => {
    wasmMemory.grow(1);
    host.ft_log(2, PAGE + 10, put(PAGE + 10, "grown"));
    assert.equal(ctx.logs.drain()[0]?.message, "grown");
  });
});

describe("ft_get_env", () => {
  test("returns the value's byte length and puts the value in the return buffer", () => {
    const n = host.ft_get_env(0, put(0, "TERM"));
    assert.equal(n, 5);
    assert.equal(new TextDecoder().decode(ctx.returnBuffer.bytes), "xterm");
    assert.deepEqual([lastAudit()?.function, lastAudit()?.argsSummary, lastAudit()?.outcome, lastAudit()?.result], ["env_get", "TERM", "Ok", 5]);
  });

  test("matches PREFIX_* patterns", () => {
    assert.equal(host.ft_get_env(0, put(0, "FT_THEME")), 4);
  });

  test("a denied variable returns -1, keeps the buffer, and is audited as Denied", () => {
    host.ft_get_env(0, put(0, "TERM"));
    assert.equal(host.ft_get_env(0, put(0, "HOME")), -1);
    assert.equal(new TextDecoder().decode(ctx.returnBuffer.bytes), "xterm");
    assert.equal(lastAudit()?.outcome, 'Denied("environment variable access denied for HOME")');
  });

  test("a permitted but unset variable returns -1 and is audited as unset, unlike a denied one", () => {
    assert.equal(host.ft_get_env(0, put(0, "UNSET")), -1);
    assert.equal(lastAudit()?.outcome, "Ok");
    assert.equal(lastAudit()?.argsSummary, "UNSET (unset)");
  });

  test("an empty value returns 0", () => {
    assert.equal(host.ft_get_env(0, put(0, "EMPTY")), 0);
  });

  test("an out-of-bounds key returns -1 with an Error", () => {
    assert.equal(host.ft_get_env(PAGE, 4), -1);
    assert.match(lastAudit()?.outcome ?? "", /^Error\("range 0x10000\.\.0x10004/);
  });

  test("a key is the whole name: a prefix or an extension of a set variable's name is another variable", () => {
    assert.equal(host.ft_get_env(0, put(0, "TER")), -1);
    assert.deepEqual([lastAudit()?.argsSummary, lastAudit()?.outcome], ["TER", 'Denied("environment variable access denied for TER")']);
    assert.equal(host.ft_get_env(0, put(0, "FT_THEMES")), -1);
    assert.deepEqual([lastAudit()?.argsSummary, lastAudit()?.outcome], ["FT_THEMES (unset)", "Ok"]);
  });

  test("keys are found at every alignment, and a name differing in one byte of a word or of the tail is another variable", () => {
    for (const offset of [0, 1, 2, 3, 4]) {
      const at = 200 + offset;
      assert.equal(host.ft_get_env(at, put(at, "TERM")), 5, `TERM at +${offset}`);
      assert.equal(host.ft_get_env(at, put(at, "FT_THEME")), 4, `FT_THEME at +${offset}`);
      assert.equal(host.ft_get_env(at, put(at, "EMPTY")), 0, `EMPTY at +${offset}`);
      assert.equal(host.ft_get_env(at, put(at, "EMPTZ")), -1, `EMPTZ (tail byte) at +${offset}`);
      assert.equal(host.ft_get_env(at, put(at, "FT_THEMF")), -1, `FT_THEMF (last word) at +${offset}`);
      assert.deepEqual([lastAudit()?.argsSummary, lastAudit()?.outcome], ["FT_THEMF (unset)", "Ok"]);
      assert.equal(host.ft_get_env(at, put(at, "GT_THEME")), -1, `GT_THEME (first word) at +${offset}`);
    }
  });

  test("a key that is not UTF-8 returns -1 with an Error", () => {
    assert.equal(host.ft_get_env(0, put(0, new Uint8Array([0xc3]))), -1);
    assert.equal(lastAudit()?.outcome, 'Error("bytes are not valid UTF-8")');
  });
});

describe("ft_return_buffer_read", () => {
  beforeEach(() => {
    ctx.returnBuffer.set(new TextEncoder().encode("payload!"));
  });

  test("copies min(buffer, out_len) bytes and returns the count; reads do not consume", () => {
    assert.equal(host.ft_return_buffer_read(200, 4), 4);
    assert.equal(read(200, 4), "payl");
    assert.equal(host.ft_return_buffer_read(300, 100), 8);
    assert.equal(read(300, 8), "payload!");
    assert.equal(lastAudit()?.function, "return_buffer_read");
    assert.equal(lastAudit()?.result, 8);
  });

  test("returns 0 for out_len 0 before looking at memory, even with a bad pointer", () => {
    assert.equal(host.ft_return_buffer_read(-1, 0), 0);
  });

  test("returns 0 for an empty buffer", () => {
    ctx.returnBuffer.set(new Uint8Array(0));
    assert.equal(host.ft_return_buffer_read(0, 10), 0);
  });

  test("a negative out_len is huge unsigned: the whole buffer is copied", () => {
    assert.equal(host.ft_return_buffer_read(0, -1), 8);
    assert.equal(read(0, 8), "payload!");
  });

  test("returns -1 when the copy would run past memory's end, writing nothing", () => {
    const before = new Uint8Array(wasmMemory.buffer).slice(PAGE - 4);
    assert.equal(host.ft_return_buffer_read(PAGE - 4, 8), -1);
    assert.deepEqual(new Uint8Array(wasmMemory.buffer).slice(PAGE - 4), before);
    assert.match(lastAudit()?.outcome ?? "", /^Error\("range 0xfffc\.\.0x10004 \(8 bytes\) is outside linear memory \(65536 bytes\)"\)$/);
  });

  test("returns -1 when the module exports no memory", () => {
    ctx.memory.attach(undefined);
    assert.equal(host.ft_return_buffer_read(0, 8), -1);
    assert.equal(lastAudit()?.outcome, 'Error("the module exports no memory")');
  });
});

describe("ft_log bounds (a guest must not make the host copy its memory without end)", () => {
  test("a long message keeps its first 4096 bytes and says how long it was", () => {
    wasmMemory.grow(1);
    const len = put(0, "y".repeat(100_000));
    host.ft_log(2, 0, len);
    assert.equal(ctx.logs.drain()[0]?.message, `${"y".repeat(4096)}… [100,000 bytes; the first 4096 shown]`);
  });

  test("a call keeps at most 1 MiB of messages and counts the rest", () => {
    const len = put(0, "z".repeat(4096));
    for (let i = 0; i < 300; i++) host.ft_log(2, 0, len);
    assert.equal(ctx.logs.dropped, 300 - 256);
    assert.equal(ctx.logs.drain().length, 256);
  });
});

describe("audit off (LoadRequest.audit = false)", () => {
  test("the host functions behave the same and the trail keeps nothing", () => {
    const quiet: HostContext = { ...ctx, audit: new AuditTrail("test-ext", 10, undefined, { enabled: false }) };
    const functions = createHostFunctions(quiet);
    functions.ft_log(2, 0, put(0, "hello"));
    assert.deepEqual(quiet.logs.drain().map((l) => l.message), ["hello"]);
    assert.equal(functions.ft_get_env(0, put(0, "TERM")), 5);
    assert.equal(functions.ft_return_buffer_read(64, 16), 5);
    assert.equal(read(64, 5), "xterm");
    assert.equal(functions.ft_get_env(0, put(0, "HOME")), -1);
    assert.deepEqual([quiet.audit.enabled, quiet.audit.total, quiet.audit.entries()], [false, 0, []]);
  });
});

describe("ft_log's fast paths (audit on and off) agree with the whole function", () => {
  test("messages of every short length at every alignment, up to the sink's line limit", () => {
    const text = "The quick brown fox jumps over the lazy dog, 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    put(4000, text);
    const audited: HostContext = { ...ctx, logs: new LogSink(200), audit: new AuditTrail("test-ext") };
    const quiet: HostContext = { ...ctx, logs: new LogSink(200), audit: new AuditTrail("test-ext", 10, undefined, { enabled: false }) };
    const on = createHostFunctions(audited);
    const off = createHostFunctions(quiet);
    const expected: string[] = [];
    for (let length = 0; length <= 70; length += 3) {
      for (const offset of [0, 1, 2, 3, 4]) {
        on.ft_log(2, 4000 + offset, length);
        off.ft_log(2, 4000 + offset, length);
        expected.push(text.slice(offset, offset + length));
      }
    }
    assert.equal(expected.length, 120);
    for (let i = 0; i < 100; i++) {
      on.ft_log(1, 4000, 16);
      off.ft_log(1, 4000, 16);
    }
    const kept = [...expected, ...Array.from({ length: 80 }, () => text.slice(0, 16))];
    assert.deepEqual([audited.logs.dropped, quiet.logs.dropped], [20, 20], "lines past the limit are counted");
    assert.deepEqual(audited.logs.drain().map((l) => l.message), kept);
    assert.deepEqual(quiet.logs.drain().map((l) => l.message), kept);
    const entries = audited.audit.entries();
    assert.equal(entries.length, 220, "every call audited, kept or not");
    assert.deepEqual(entries.slice(0, 120).map((e) => e.argsSummary), expected.map((m) => `level=2 msg=${m}`));
    assert.equal(entries[219]?.argsSummary, `level=1 msg=${text.slice(0, 16)}`);
  });
});
