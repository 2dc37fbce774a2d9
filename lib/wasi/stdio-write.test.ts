import assert from "node:assert/strict";
import { test } from "node:test";
import { AuditTrail } from "../audit/trail";
import { GuestMemory } from "../memory";
import { Trap } from "../traps";
import { createWasiContext, type OutputStreamName } from "./context";
import { Errno } from "./errno";
import { checkIovecs, check } from "./guest-memory";
import { OutputSink } from "./output";
import { createPreview1Imports } from "./preview1";
import { harness } from "./test-support";

/** A harness whose listener records every call: `[stream, lines]`. */
function listening() {
  const told: [OutputStreamName, string[]][] = [];
  const h = harness({ onOutput: (stream, lines) => void told.push([stream, lines]) });
  return { h, told };
}

/** The trap message a call throws, or "" when it returns. */
function trapOf(run: () => unknown): string {
  try {
    run();
    return "";
  } catch (error) {
    assert.ok(error instanceof Trap && error.kind === "memory_out_of_bounds", `not a memory trap: ${String(error)}`);
    return error.message;
  }
}

test("fd_write to stdout: several iovecs, empty ones among them, make lines across their edges", () => {
  const { h, told } = listening();
  const iovs = h.iovecs([h.put("al"), h.put(""), h.put("pha\nbe"), h.put("ta\r\n"), h.put(""), h.put("gam")]);
  const n = h.alloc(4);
  assert.equal(h.call("fd_write", 1, iovs, 6, n), Errno.SUCCESS);
  assert.equal(h.view().getUint32(n, true), 2 + 6 + 4 + 3);
  assert.deepEqual(told, [["stdout", ["alpha", "beta"]]], "one listener call per write, the \\r dropped");
  assert.deepEqual(h.ctx.stdout.drain(true).lines, ["gam"]);
  assert.match(h.audit().at(-1) ?? "", /^fd_write 1, \d+, 6, \d+ Ok/);
});

test("a zero-length fd_write reports 0, tells no one and is audited Ok", () => {
  const { h, told } = listening();
  const n = h.alloc(4);
  h.view().setUint32(n, 77, true);
  assert.equal(h.call("fd_write", 1, h.iovecs([h.put(""), h.put("")]), 2, n), Errno.SUCCESS);
  assert.equal(h.view().getUint32(n, true), 0);
  h.view().setUint32(n, 77, true);
  assert.equal(h.call("fd_write", 2, h.alloc(8), 0, n), Errno.SUCCESS);
  assert.equal(h.view().getUint32(n, true), 0);
  assert.deepEqual(told, []);
  assert.deepEqual(h.audit().slice(-2).map((line) => line.split(" ")[0] + " " + line.split(" ").at(-1)), ["fd_write Ok", "fd_write Ok"]);
});

test("a line split across fd_write calls is told once, when its newline arrives", () => {
  const { h, told } = listening();
  assert.equal(h.write(1, "first half, "), Errno.SUCCESS);
  assert.equal(h.write(1, "second"), Errno.SUCCESS);
  assert.deepEqual(told, []);
  assert.equal(h.write(1, " half\nnext"), Errno.SUCCESS);
  assert.deepEqual(told, [["stdout", ["first half, second half"]]]);
  assert.equal(h.write(2, "on stderr\n"), Errno.SUCCESS);
  assert.deepEqual(told.at(-1), ["stderr", ["on stderr"]]);
  assert.deepEqual(h.ctx.stdout.drain(true).lines, ["next"]);
});

test("each listener call gets its own array", () => {
  const { h, told } = listening();
  h.write(1, "a\n");
  h.write(1, "b\nc\n");
  assert.deepEqual(told, [["stdout", ["a"]], ["stdout", ["b", "c"]]]);
  assert.notEqual(told[0]?.[1], told[1]?.[1]);
});

test("bad pointers trap exactly as checkIovecs and check name them, before a byte is taken", () => {
  const { h, told } = listening();
  const end = h.memory.buffer.byteLength;
  const good = h.put("never seen\n");
  const n = h.alloc(4);
  h.view().setUint32(n, 5, true);
  const cases: [string, number, number, number][] = [
    ["array past the end", end - 4, 1, n],
    ["array wrapping past 2^32", 0, 0x2000_0001, n],
    ["second buffer past the end", h.iovecs([good, [end - 2, 3]]), 2, n],
    ["a length with the top bit set", h.iovecs([good, [16, 0xffff_fff0]]), 2, n],
    ["nwritten past the end", h.iovecs([good]), 1, end - 3],
    ["a bad buffer and a bad nwritten: the buffer is named", h.iovecs([[end, 1]]), 1, end],
  ];
  for (const [what, iovs, count, out] of cases) {
    let expected = "";
    try {
      checkIovecs(h.ctx.memory, iovs, count, "fd_write");
      check(h.ctx.memory, out, 4, "fd_write");
    } catch (error) {
      expected = (error as Error).message;
    }
    assert.notEqual(expected, "", `${what}: the reference check traps`);
    for (const fd of [1, 2]) assert.equal(trapOf(() => h.call("fd_write", fd, iovs, count, out)), expected, `${what} (fd ${fd})`);
    assert.match(h.audit().at(-1) ?? "", /^fd_write .*Error\("the call trapped/, what);
  }
  assert.deepEqual(told, []);
  assert.equal(h.ctx.stdout.drain(true).lines.length, 0, "nothing reached the line buffer");
  assert.equal(h.view().getUint32(n, true), 5, "nwritten untouched");
});

test("a closed stdout is EBADF; a renumbered one still writes to the page", () => {
  const { h, told } = listening();
  const out = h.alloc(8);
  assert.equal(h.call("fd_renumber", 1, 2), Errno.SUCCESS, "fd 2 is now stdout, fd 1 closed");
  assert.equal(h.write(1, "lost\n"), Errno.BADF);
  assert.equal(h.write(2, "to stdout\n"), Errno.SUCCESS);
  assert.equal(h.call("fd_close", 2), Errno.SUCCESS);
  assert.equal(h.write(2, "lost\n"), Errno.BADF);
  assert.deepEqual(told, [["stdout", ["to stdout"]]]);
  // A bad pointer still traps on a closed fd: memory is checked first.
  assert.notEqual(trapOf(() => h.call("fd_write", 1, h.memory.buffer.byteLength, 1, out)), "");
});

test("direct writes give the same lines as the sink's general path, over random writes", () => {
  // A fixed-seed generator: the same cases every run.
  let seed = 0x9e3779b9;
  const next = (n: number) => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return seed % n;
  };
  const alphabet = ["a", "b", "Z", " ", "\n", "\r", "\r\n", "é", "☕", "\u{1F600}", "x".repeat(70), "y".repeat(63)];
  const { h, told } = listening();
  const reference = new OutputSink();
  const expected: string[] = [];
  for (let call = 0; call < 400; call++) {
    let text = "";
    for (let k = next(12); k > 0; k--) text += alphabet[next(alphabet.length)];
    const bytes = new TextEncoder().encode(text);
    // Cut the bytes into 1-4 iovecs anywhere (inside a UTF-8 sequence too).
    const cuts = [0, ...Array.from({ length: next(4) }, () => next(bytes.length + 1)).sort((a, b) => a - b), bytes.length];
    const buffers: [number, number][] = [];
    for (let i = 0; i + 1 < cuts.length; i++) buffers.push(h.put(bytes.subarray(cuts[i], cuts[i + 1])));
    assert.equal(h.call("fd_write", 1, h.iovecs(buffers), buffers.length, h.alloc(4)), Errno.SUCCESS);
    reference.write(bytes);
    expected.push(...reference.drain(false).lines);
  }
  expected.push(...reference.drain(true).lines);
  const got = [...told.flatMap(([, lines]) => lines), ...h.ctx.stdout.drain(true).lines];
  assert.ok(expected.length > 100, `enough lines to compare (${expected.length})`);
  assert.deepEqual(got, expected);
});

test("writes from a shared memory decode the same (TextDecoder refuses shared views)", () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });
  const guest = new GuestMemory();
  guest.attach(memory);
  const told: string[] = [];
  const ctx = createWasiContext(guest, new AuditTrail("test"), { args: [], env: [], wait: "block", onOutput: (_, lines) => void told.push(...lines) });
  const fdWrite = createPreview1Imports(ctx, ["fd_write"]).fd_write as (...args: number[]) => number;
  const text = new TextEncoder().encode(`plain\ncafé ☕\n${"€".repeat(30)}\n${"z".repeat(300)}\n`);
  new Uint8Array(memory.buffer).set(text, 64);
  const view = new DataView(memory.buffer);
  view.setUint32(0, 64, true);
  view.setUint32(4, text.length, true);
  assert.equal(fdWrite(1, 0, 1, 16), Errno.SUCCESS);
  assert.equal(view.getUint32(16, true), text.length);
  assert.deepEqual(told, ["plain", "café ☕", "€".repeat(30), "z".repeat(300)]);
});
