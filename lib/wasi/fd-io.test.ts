import assert from "node:assert/strict";
import { test } from "node:test";
import { Trap } from "../traps";
import { Errno } from "./errno";
import { CREATE, harness, READ_RIGHTS, READ_WRITE_RIGHTS } from "./test-support";
import { Fdflags, Oflags, Rights, Whence } from "./witx";

const WORK = { permissions: { read: [], write: ["/work"] } };
const isTrap = (e: unknown) => e instanceof Trap && e.kind === "memory_out_of_bounds";

test("zero-length iovecs read and write nothing and report 0", () => {
  const h = harness({ ...WORK, files: { "/work/a.txt": "abc" } });
  const { fd } = h.open("a.txt", { rights: READ_WRITE_RIGHTS });
  const iovs = h.iovecs([[h.alloc(4), 0], [h.alloc(4), 0]]);
  const count = h.alloc(4);
  h.view().setUint32(count, 99, true);
  assert.equal(h.call("fd_read", fd, iovs, 2, count), Errno.SUCCESS);
  assert.equal(h.view().getUint32(count, true), 0);
  assert.equal(h.call("fd_write", fd, iovs, 2, count), Errno.SUCCESS);
  assert.equal(h.view().getUint32(count, true), 0);
  assert.equal(h.call("fd_write", fd, iovs, 0, count), Errno.SUCCESS);
  assert.equal(h.read(fd).text, "abc", "the position did not move");
});

test("an iovec spanning the end of memory traps, before the fd is even looked at", () => {
  const h = harness(WORK);
  const end = h.memory.buffer.byteLength;
  const iovs = h.iovecs([[end - 4, 8]]);
  assert.throws(() => h.call("fd_write", 1, iovs, 1, h.alloc(4)), isTrap);
  assert.throws(() => h.call("fd_read", 0, iovs, 1, h.alloc(4)), isTrap);
  assert.throws(() => h.call("fd_write", 77, iovs, 1, h.alloc(4)), isTrap);
  // the iovec array itself out of bounds, and a count whose array would wrap past 2^32
  assert.throws(() => h.call("fd_write", 1, end - 4, 1, h.alloc(4)), isTrap);
  assert.throws(() => h.call("fd_write", 1, 0, 0x2000_0001, h.alloc(4)), (e: unknown) => isTrap(e) && /\(4294967304 bytes\)/.test((e as Error).message));
  assert.throws(() => h.call("fd_read", 0, 0, 0x2000_0001, h.alloc(4)), isTrap);
  // nwritten out of bounds
  assert.throws(() => h.call("fd_write", 1, h.iovecs([h.put("x")]), 1, end), isTrap);
  // the trap is audited as such
  assert.match(h.audit().at(-1) ?? "", /^fd_write .*Error\("the call trapped/);
});

test("a length with the top bit set is unsigned: out of bounds, not negative", () => {
  const h = harness();
  const iovs = h.iovecs([[16, 0xffff_fff0]]);
  assert.throws(() => h.call("fd_write", 1, iovs, 1, h.alloc(4)), isTrap);
});

test("an fd that is not open is EBADF for every fd call", () => {
  const h = harness(WORK);
  const iovs = h.iovecs([h.put("x")]);
  const out = h.alloc(8);
  assert.equal(h.call("fd_write", 42, iovs, 1, out), Errno.BADF);
  assert.equal(h.call("fd_read", 42, iovs, 1, out), Errno.BADF);
  assert.equal(h.call("fd_pread", 42, iovs, 1, 0n, out), Errno.BADF);
  assert.equal(h.call("fd_pwrite", 42, iovs, 1, 0n, out), Errno.BADF);
  assert.equal(h.call("fd_seek", 42, 0n, Whence.SET, out), Errno.BADF);
  assert.equal(h.call("fd_tell", 42, out), Errno.BADF);
  assert.equal(h.call("fd_close", 42), Errno.BADF);
  assert.equal(h.call("fd_sync", 42), Errno.BADF);
  assert.equal(h.call("fd_datasync", 42), Errno.BADF);
  assert.equal(h.call("fd_advise", 42, 0n, 0n, 0), Errno.BADF);
  assert.equal(h.call("fd_allocate", 42, 0n, 1n), Errno.BADF);
  assert.equal(h.call("fd_renumber", 42, 1), Errno.BADF);
  assert.equal(h.call("fd_renumber", 1, 42), Errno.BADF);
  assert.equal(h.call("fd_write", -1, iovs, 1, out), Errno.BADF, "fd -1 is 2^32-1, not open");
});

test("wrong rights: writing a read-only fd and reading a write-only fd are EBADF", () => {
  const h = harness({ ...WORK, files: { "/work/a.txt": "abc" } });
  const readOnly = h.open("a.txt", { rights: READ_RIGHTS }).fd;
  assert.equal(h.write(readOnly, "x"), Errno.BADF);
  assert.equal(h.read(readOnly).text, "abc");
  const writeOnly = h.open("a.txt", { rights: Rights.FD_WRITE | Rights.FD_SEEK }).fd;
  assert.equal(h.read(writeOnly).errno, Errno.BADF);
  assert.equal(h.write(writeOnly, "X"), Errno.SUCCESS);
  assert.equal(h.call("fd_filestat_set_size", readOnly, 0n), Errno.BADF);
  assert.equal(h.call("fd_allocate", readOnly, 0n, 10n), Errno.BADF);
  // stdio: stdin is not writable, stdout not readable
  assert.equal(h.write(0, "x"), Errno.BADF);
  assert.equal(h.read(1).errno, Errno.BADF);
  // a directory is neither
  assert.equal(h.write(3, "x"), Errno.BADF);
  assert.equal(h.read(3).errno, Errno.BADF);
});

test("fd_seek: SET, CUR, END, negative results and a bad whence", () => {
  const h = harness({ ...WORK, files: { "/work/a.txt": "0123456789" } });
  const { fd } = h.open("a.txt");
  const out = h.alloc(8);
  const seek = (offset: bigint, whence: number) => {
    const errno = h.call("fd_seek", fd, offset, whence, out);
    return errno === Errno.SUCCESS ? h.view().getBigUint64(out, true) : `errno ${errno}`;
  };
  assert.equal(seek(4n, Whence.SET), 4n);
  assert.equal(h.read(fd, 2).text, "45");
  assert.equal(seek(1n, Whence.CUR), 7n);
  assert.equal(seek(-3n, Whence.END), 7n);
  assert.equal(h.read(fd, 10).text, "789");
  assert.equal(seek(5n, Whence.END), 15n, "past the end is allowed");
  assert.equal(h.read(fd).text, "", "and reads nothing");
  assert.equal(seek(-1n, Whence.SET), `errno ${Errno.INVAL}`);
  assert.equal(seek(-100n, Whence.CUR), `errno ${Errno.INVAL}`);
  assert.equal(seek(0n, 3), `errno ${Errno.INVAL}`);
  assert.equal(seek(0n, 255), `errno ${Errno.INVAL}`);
  assert.equal(seek(1n << 60n, Whence.SET), `errno ${Errno.OVERFLOW}`);
  assert.equal(h.call("fd_tell", fd, out), Errno.SUCCESS);
  assert.equal(h.view().getBigUint64(out, true), 15n, "failed seeks leave the position alone");
  assert.equal(h.call("fd_seek", 1, 0n, Whence.CUR, out), Errno.SPIPE, "stdout is a stream");
  assert.equal(h.call("fd_tell", 0, out), Errno.SPIPE);
  assert.equal(h.call("fd_seek", 3, 0n, Whence.SET, out), Errno.BADF, "a directory");
});

test("writing past the end fills the gap with zeros", () => {
  const h = harness({ ...WORK, files: { "/work/a.txt": "ab" } });
  const { fd } = h.open("a.txt", { rights: READ_WRITE_RIGHTS });
  h.call("fd_seek", fd, 4n, Whence.SET, h.alloc(8));
  assert.equal(h.write(fd, "Z"), Errno.SUCCESS);
  h.call("fd_seek", fd, 0n, Whence.SET, h.alloc(8));
  assert.equal(h.read(fd).text, "ab\0\0Z");
});

test("fd_pread and fd_pwrite use their offset and leave the position alone", () => {
  const h = harness({ ...WORK, files: { "/work/a.txt": "hello world" } });
  const { fd } = h.open("a.txt", { rights: READ_WRITE_RIGHTS });
  assert.equal(h.read(fd, 2).text, "he");
  const [buf] = [h.alloc(5)];
  const n = h.alloc(4);
  assert.equal(h.call("fd_pread", fd, h.iovecs([[buf, 5]]), 1, 6n, n), Errno.SUCCESS);
  assert.equal(h.text(buf, h.view().getUint32(n, true)), "world");
  assert.equal(h.call("fd_pwrite", fd, h.iovecs([h.put("HELLO")]), 1, 0n, n), Errno.SUCCESS);
  assert.equal(h.view().getUint32(n, true), 5);
  assert.equal(h.read(fd, 3).text, "LLO", "position still 2");
  assert.equal(h.call("fd_pread", fd, h.iovecs([[buf, 5]]), 1, 100n, n), Errno.SUCCESS);
  assert.equal(h.view().getUint32(n, true), 0, "pread past the end reads nothing");
  assert.equal(h.call("fd_pread", 0, h.iovecs([[buf, 5]]), 1, 0n, n), Errno.SPIPE, "stdin");
  assert.equal(h.call("fd_pwrite", 1, h.iovecs([[buf, 5]]), 1, 0n, n), Errno.SPIPE, "stdout");
});

test("APPEND writes at the end, also through fd_pwrite (Linux semantics)", () => {
  const h = harness({ ...WORK, files: { "/work/log.txt": "one\n" } });
  const { fd } = h.open("log.txt", { rights: READ_WRITE_RIGHTS, fdflags: Fdflags.APPEND });
  assert.equal(h.write(fd, "two\n"), Errno.SUCCESS);
  assert.equal(h.call("fd_pwrite", fd, h.iovecs([h.put("three\n")]), 1, 0n, h.alloc(4)), Errno.SUCCESS);
  const out = h.alloc(8);
  h.call("fd_tell", fd, out);
  assert.equal(h.view().getBigUint64(out, true), 8n, "position after the appended write");
  h.call("fd_seek", fd, 0n, Whence.SET, out);
  assert.equal(h.read(fd).text, "one\ntwo\nthree\n");
});

test("fd_write gathers several iovecs into a file and fd_read scatters into several", () => {
  const h = harness(WORK);
  const { fd } = h.open("g.txt", CREATE);
  const n = h.alloc(4);
  assert.equal(h.call("fd_write", fd, h.iovecs([h.put("ab"), h.put(""), h.put("cde")]), 3, n), Errno.SUCCESS);
  assert.equal(h.view().getUint32(n, true), 5);
  h.call("fd_seek", fd, 0n, Whence.SET, h.alloc(8));
  const a = h.alloc(2);
  const b = h.alloc(8);
  assert.equal(h.call("fd_read", fd, h.iovecs([[a, 2], [b, 8]]), 2, n), Errno.SUCCESS);
  assert.equal(h.view().getUint32(n, true), 5);
  assert.equal(h.text(a, 2) + h.text(b, 3), "abcde");
});

test("fd_read scatters correctly even when a buffer overlaps the iovec array", () => {
  const h = harness({ ...WORK, files: { "/work/a.txt": "ABCDEFGHIJKLMNOP" } });
  const { fd } = h.open("a.txt");
  const iovs = h.alloc(16);
  const other = h.alloc(8);
  // the first buffer is the iovec array itself; the second iovec must still be honoured
  h.view().setUint32(iovs, iovs, true);
  h.view().setUint32(iovs + 4, 8, true);
  h.view().setUint32(iovs + 8, other, true);
  h.view().setUint32(iovs + 12, 8, true);
  assert.equal(h.call("fd_read", fd, iovs, 2, h.alloc(4)), Errno.SUCCESS);
  assert.equal(h.text(other, 8), "IJKLMNOP");
});

test("stdin reads the page's text, then end-of-file", () => {
  const h = harness({ stdin: new TextEncoder().encode("héllo\nworld") });
  assert.deepEqual(h.read(0, 4), { errno: Errno.SUCCESS, text: "hél" }, "4 bytes: é counts 2");
  assert.deepEqual(h.read(0, 100), { errno: Errno.SUCCESS, text: "lo\nworld" });
  assert.deepEqual(h.read(0, 100), { errno: Errno.SUCCESS, text: "" });
  assert.deepEqual(h.read(0, 100), { errno: Errno.SUCCESS, text: "" }, "and stays at end-of-file");
});

test("stdin without text is at end-of-file at once", () => {
  const h = harness();
  assert.deepEqual(h.read(0, 16), { errno: Errno.SUCCESS, text: "" });
});

test("fd_close frees the fd for reuse (lowest first); fd_renumber moves and replaces", () => {
  const h = harness({ ...WORK, files: { "/work/a.txt": "A", "/work/b.txt": "B" } });
  const a = h.open("a.txt").fd;
  const b = h.open("b.txt").fd;
  assert.deepEqual([a, b], [4, 5]);
  assert.equal(h.call("fd_close", a), Errno.SUCCESS);
  assert.equal(h.call("fd_close", a), Errno.BADF, "closing twice");
  assert.equal(h.open("a.txt").fd, 4, "the lowest free fd is reused");
  assert.equal(h.call("fd_renumber", 5, 4), Errno.SUCCESS);
  assert.equal(h.read(4).text, "B", "fd 4 is now b.txt");
  assert.equal(h.read(5).errno, Errno.BADF, "fd 5 is closed");
  assert.equal(h.call("fd_renumber", 4, 4), Errno.SUCCESS, "onto itself: nothing happens");
  assert.equal(h.read(4).text, "", "still open (at its end)");
  assert.equal(h.call("fd_renumber", 4, 1), Errno.SUCCESS, "onto stdout");
  assert.equal(h.write(1, "x"), Errno.BADF, "fd 1 is now the read-only b.txt");
});

test("fd_sync, fd_datasync, fd_advise on files; directories and stdio are EBADF", () => {
  const h = harness({ ...WORK, files: { "/work/a.txt": "A" } });
  const { fd } = h.open("a.txt");
  assert.equal(h.call("fd_sync", fd), Errno.SUCCESS);
  assert.equal(h.call("fd_datasync", fd), Errno.SUCCESS);
  assert.equal(h.call("fd_advise", fd, 0n, 100n, 1), Errno.SUCCESS);
  assert.equal(h.call("fd_advise", fd, 0n, 100n, 6), Errno.INVAL, "advice past no_reuse");
  assert.equal(h.call("fd_sync", 3), Errno.BADF);
  assert.equal(h.call("fd_datasync", 1), Errno.BADF);
  assert.equal(h.call("fd_advise", 3, 0n, 0n, 0), Errno.BADF);
});

test("fd_allocate grows a writable file with zeros and never shrinks it", () => {
  const h = harness({ ...WORK, files: { "/work/a.txt": "abc" } });
  const { fd } = h.open("a.txt", { rights: READ_WRITE_RIGHTS });
  assert.equal(h.call("fd_allocate", fd, 2n, 4n), Errno.SUCCESS);
  assert.equal(h.read(fd, 10).text, "abc\0\0\0");
  assert.equal(h.call("fd_allocate", fd, 0n, 1n), Errno.SUCCESS);
  h.call("fd_seek", fd, 0n, Whence.END, h.alloc(8));
  const out = h.alloc(8);
  h.call("fd_tell", fd, out);
  assert.equal(h.view().getBigUint64(out, true), 6n);
  assert.equal(h.call("fd_allocate", fd, 1n << 62n, 1n << 62n), Errno.FBIG);
});

test("O_TRUNC empties a file opened for writing", () => {
  const h = harness({ ...WORK, files: { "/work/a.txt": "old contents" } });
  const { fd } = h.open("a.txt", { oflags: Oflags.TRUNC, rights: READ_WRITE_RIGHTS });
  assert.equal(h.read(fd).text, "");
});

test("fd_write to stdout goes to the line buffer: lines across iovecs, the listener told per 4096-byte chunk", () => {
  const seen: string[][] = [];
  const h = harness({ onOutput: (stream, lines) => void (stream === "stdout" && seen.push([...lines])) });
  const long = `${"x".repeat(5000)}\n`;
  const iovs = h.iovecs([h.put("one\ntw"), h.put(""), h.put("o\nthr"), h.put(long), h.put("ee")]);
  const n = h.alloc(4);
  assert.equal(h.call("fd_write", 1, iovs, 5, n), Errno.SUCCESS);
  assert.equal(h.view().getUint32(n, true), 6 + 5 + long.length + 2);
  // Chunk 1 (4096 bytes) completes "one", "two" and nothing of the long line; chunk 2 ends it.
  assert.deepEqual(seen, [["one", "two"], [`thr${"x".repeat(5000)}`]]);
  assert.deepEqual(h.ctx.stdout.drain(true).lines, ["ee"], "the partial line waits for its newline");
  assert.match(h.audit().at(-1) ?? "", /^fd_write 1, \d+, 5, \d+ Ok/);
});

test("clock_time_get and random_get write into guest memory and are audited once each", () => {
  const h = harness();
  const time = h.alloc(8);
  const before = BigInt(Math.floor(performance.now() * 1e6));
  assert.equal(h.call("clock_time_get", 1, 1000n, time), Errno.SUCCESS);
  const got = h.view().getBigUint64(time, true);
  assert.ok(got >= before && got <= BigInt(Math.floor(performance.now() * 1e6)), "monotonic nanoseconds from performance.now()");
  const buf = h.alloc(64);
  assert.equal(h.call("random_get", buf, 64), Errno.SUCCESS);
  assert.ok(new Uint8Array(h.ctx.memory.bytes().buffer, buf, 64).some((b) => b !== 0));
  assert.equal(h.call("random_get", buf, 0), Errno.SUCCESS);
  assert.deepEqual(h.audit().slice(-3).map((line) => line.split(" ")[0]), ["clock_time_get", "random_get", "random_get"]);
});
