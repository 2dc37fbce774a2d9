import assert from "node:assert/strict";
import { test } from "node:test";
import { Errno } from "./errno";
import { CREATE, harness, READ_WRITE_RIGHTS, type Harness } from "./test-support";
import { accessed, type FileTimes } from "./times";
import { Fstflags, Oflags } from "./witx";

const W = { permissions: { read: [], write: ["/w"] }, files: { "/w/old.txt": "old", "/w/sub": null } };
const SECOND = 1_000_000_000n;

interface Times {
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

function readTimes(h: Harness, at: number): Times {
  const v = h.view();
  return { atim: v.getBigUint64(at + 40, true), mtim: v.getBigUint64(at + 48, true), ctim: v.getBigUint64(at + 56, true) };
}

/** `path_filestat_get` below fd 3. */
function statPath(h: Harness, path: string, follow = false): Times {
  const at = h.alloc(64);
  assert.equal(h.call("path_filestat_get", 3, follow ? 1 : 0, ...h.put(path), at), Errno.SUCCESS, `stat ${path}`);
  return readTimes(h, at);
}

function statFd(h: Harness, fd: number): Times {
  const at = h.alloc(64);
  assert.equal(h.call("fd_filestat_get", fd, at), Errno.SUCCESS);
  return readTimes(h, at);
}

/** The guest's realtime clock (`clock_time_get(REALTIME)`), in nanoseconds. */
function clock(h: Harness): bigint {
  const at = h.alloc(8);
  assert.equal(h.call("clock_time_get", 0, 0n, at), Errno.SUCCESS);
  return h.view().getBigUint64(at, true);
}

function between(value: bigint, low: bigint, high: bigint, what: string): void {
  assert.ok(value >= low && value <= high, `${what}: ${value} not in [${low}, ${high}]`);
}

function setPath(h: Harness, path: string, atim: bigint, mtim: bigint, flags: number, follow = false): number {
  return h.call("path_filestat_set_times", 3, follow ? 1 : 0, ...h.put(path), atim, mtim, flags);
}

/** Sets a path's atim and mtim to old, known values (ctim moves to now). */
function age(h: Harness, path: string, follow = false): void {
  assert.equal(setPath(h, path, 2n * SECOND, SECOND, Fstflags.ATIM | Fstflags.MTIM, follow), Errno.SUCCESS);
}

test("entries that exist at the start carry the start time, from the clock clock_time_get reads", () => {
  const before = clock(harness());
  const h = harness(W);
  const after = clock(h);
  for (const path of ["old.txt", "sub"]) {
    const t = statPath(h, path);
    between(t.mtim, before, after, `${path} mtim`);
    assert.deepEqual([t.atim, t.ctim], [t.mtim, t.mtim]);
  }
  assert.deepEqual(statFd(h, 3), statPath(h, "old.txt"), "the preopen too");
});

test("a new file, directory and symlink get now for all three times; the parent's mtim and ctim move", () => {
  const h = harness(W);
  age(h, "sub");
  const t0 = clock(h);
  const { fd } = h.open("sub/new.txt", CREATE);
  assert.equal(h.call("path_create_directory", 3, ...h.put("sub/dir")), Errno.SUCCESS);
  assert.equal(h.call("path_symlink", ...h.put("new.txt"), 3, ...h.put("sub/link")), Errno.SUCCESS);
  const t1 = clock(h);
  for (const path of ["sub/new.txt", "sub/dir", "sub/link"]) {
    const t = statPath(h, path);
    between(t.mtim, t0, t1, `${path} mtim`);
    assert.deepEqual([t.atim, t.ctim], [t.mtim, t.mtim], path);
  }
  assert.deepEqual(statFd(h, fd), statPath(h, "sub/new.txt"), "the fd sees the same times");
  const parent = statPath(h, "sub");
  assert.equal(parent.atim, 2n * SECOND, "a new name is not a read of the directory");
  between(parent.mtim, t0, t1, "parent mtim");
  between(parent.ctim, t0, t1, "parent ctim");
});

test("writes, truncation and fd_allocate move mtim and ctim; a zero-length write does not", () => {
  const h = harness(W);
  const { fd } = h.open("old.txt", { rights: READ_WRITE_RIGHTS });
  age(h, "old.txt");
  const aged = statFd(h, fd);
  assert.equal(h.call("fd_write", fd, h.iovecs([]), 0, h.alloc(4)), Errno.SUCCESS);
  assert.deepEqual(statFd(h, fd), aged, "nothing written, nothing moved");
  const steps: [string, () => number][] = [
    ["fd_write", () => h.write(fd, "x")],
    ["fd_pwrite", () => h.call("fd_pwrite", fd, h.iovecs([h.put("y")]), 1, 10n, h.alloc(4))],
    ["fd_filestat_set_size", () => h.call("fd_filestat_set_size", fd, 2n)],
    ["fd_allocate", () => h.call("fd_allocate", fd, 0n, 100n)],
    ["O_TRUNC", () => h.open("old.txt", CREATE).errno],
  ];
  for (const [what, step] of steps) {
    age(h, "old.txt");
    const t0 = clock(h);
    assert.equal(step(), Errno.SUCCESS, what);
    const t = statFd(h, fd);
    between(t.mtim, t0, clock(h), `${what} mtim`);
    between(t.ctim, t0, clock(h), `${what} ctim`);
    assert.equal(t.atim, 2n * SECOND, `${what} leaves atim`);
  }
});

test("reads move atim (relatime); stat does not", () => {
  const h = harness(W);
  const { fd } = h.open("old.txt");
  age(h, "old.txt");
  statPath(h, "old.txt");
  assert.equal(statFd(h, fd).atim, 2n * SECOND, "stat is not a read");
  const t0 = clock(h);
  assert.equal(h.read(fd).text, "old");
  between(statFd(h, fd).atim, t0, clock(h), "fd_read atim");
  age(h, "old.txt");
  assert.equal(h.call("fd_pread", fd, h.iovecs([[h.alloc(4), 4]]), 1, 0n, h.alloc(4)), Errno.SUCCESS);
  assert.ok(statFd(h, fd).atim >= t0, "fd_pread atim");
  age(h, "sub");
  const dir = h.open("sub", { oflags: Oflags.DIRECTORY }).fd;
  assert.equal(h.call("fd_readdir", dir, h.alloc(256), 256, 0n, h.alloc(4)), Errno.SUCCESS);
  assert.ok(statPath(h, "sub").atim >= t0, "fd_readdir atim");
});

test("the relatime rule: atim moves when not after mtim or ctim, or a day old", () => {
  const day = 24n * 3600n * SECOND;
  const read = (t: FileTimes, now: bigint) => (accessed(t, now), t.atim);
  assert.equal(read({ atim: 5n, mtim: 5n, ctim: 1n }, 100n), 100n, "atim == mtim");
  assert.equal(read({ atim: 5n, mtim: 1n, ctim: 7n }, 100n), 100n, "atim < ctim");
  assert.equal(read({ atim: 9n, mtim: 1n, ctim: 1n }, 100n), 9n, "after both and recent: kept");
  assert.equal(read({ atim: 9n, mtim: 1n, ctim: 1n }, 9n + day), 9n + day, "a day old");
});

test("set times: ATIM and MTIM exact, *_NOW the clock, ctim now; ATIM with ATIM_NOW is EINVAL", () => {
  const h = harness(W);
  const t0 = clock(h);
  assert.equal(setPath(h, "old.txt", 123_456_789_012n, 987_654_321n, Fstflags.ATIM | Fstflags.MTIM), Errno.SUCCESS);
  let t = statPath(h, "old.txt");
  assert.deepEqual([t.atim, t.mtim], [123_456_789_012n, 987_654_321n]);
  between(t.ctim, t0, clock(h), "ctim");
  assert.equal(setPath(h, "old.txt", 0n, 5n, Fstflags.MTIM), Errno.SUCCESS, "only mtim");
  t = statPath(h, "old.txt");
  assert.deepEqual([t.atim, t.mtim], [123_456_789_012n, 5n]);
  assert.equal(setPath(h, "old.txt", 0n, 0n, Fstflags.ATIM_NOW | Fstflags.MTIM_NOW), Errno.SUCCESS);
  t = statPath(h, "old.txt");
  between(t.atim, t0, clock(h), "ATIM_NOW");
  between(t.mtim, t0, clock(h), "MTIM_NOW");
  assert.equal(setPath(h, "old.txt", 1n, 1n, Fstflags.ATIM | Fstflags.ATIM_NOW), Errno.INVAL);
  assert.equal(setPath(h, "old.txt", 1n, 1n, Fstflags.MTIM | Fstflags.MTIM_NOW), Errno.INVAL);
  assert.equal(setPath(h, "old.txt", 1n, 1n, 1 << 4), Errno.INVAL, "an undefined bit");
  assert.equal(h.call("path_filestat_set_times", 99, 0, ...h.put("old.txt"), 1n, 1n, Fstflags.ATIM | Fstflags.ATIM_NOW), Errno.INVAL, "flags before the fd (wasmtime)");
  assert.equal(h.call("fd_filestat_set_times", 99, 1n, 1n, Fstflags.MTIM | Fstflags.MTIM_NOW), Errno.INVAL, "flags before the fd (wasmtime)");
  assert.equal(h.call("fd_filestat_set_times", 99, 1n, 1n, Fstflags.MTIM), Errno.BADF);
  assert.equal(statPath(h, "old.txt").mtim, t.mtim, "nothing stored on EINVAL");
  // through an fd, on a file and on a directory
  const { fd } = h.open("old.txt");
  assert.equal(h.call("fd_filestat_set_times", fd, 7n, 8n, Fstflags.ATIM | Fstflags.MTIM), Errno.SUCCESS);
  assert.deepEqual([statFd(h, fd).atim, statFd(h, fd).mtim], [7n, 8n]);
  assert.equal(h.call("fd_filestat_set_times", fd, 7n, 8n, Fstflags.ATIM | Fstflags.ATIM_NOW), Errno.INVAL);
  const dir = h.open("sub", { oflags: Oflags.DIRECTORY }).fd;
  assert.equal(h.call("fd_filestat_set_times", dir, 11n, 12n, Fstflags.ATIM | Fstflags.MTIM), Errno.SUCCESS);
  assert.deepEqual([statPath(h, "sub").atim, statPath(h, "sub").mtim], [11n, 12n]);
  assert.equal(setPath(h, "sub", 13n, 14n, Fstflags.ATIM | Fstflags.MTIM), Errno.SUCCESS);
  assert.deepEqual([statFd(h, dir).atim, statFd(h, dir).mtim], [13n, 14n]);
});

test("set times on a symlink: without symlink_follow the link itself, with it the target", () => {
  const h = harness(W);
  assert.equal(h.call("path_symlink", ...h.put("old.txt"), 3, ...h.put("link")), Errno.SUCCESS);
  const target = statPath(h, "old.txt");
  assert.equal(setPath(h, "link", 21n, 22n, Fstflags.ATIM | Fstflags.MTIM), Errno.SUCCESS);
  assert.deepEqual([statPath(h, "link").atim, statPath(h, "link").mtim], [21n, 22n]);
  assert.deepEqual(statPath(h, "old.txt"), target, "the target is untouched");
  assert.equal(setPath(h, "link", 31n, 32n, Fstflags.ATIM | Fstflags.MTIM, true), Errno.SUCCESS);
  assert.deepEqual([statPath(h, "old.txt").atim, statPath(h, "old.txt").mtim], [31n, 32n]);
  assert.deepEqual([statPath(h, "link", true).atim, statPath(h, "link").mtim], [31n, 22n], "following reads the target's");
});

test("rename moves the entry's ctim and both directories' mtim; unlink and link the ctim; an open fd outlives the name", () => {
  const h = harness({ permissions: { read: [], write: ["/w"] }, files: { "/w/a/f": "f", "/w/b": null } });
  const { fd } = h.open("a/f");
  for (const path of ["a", "b", "a/f"]) age(h, path);
  let t0 = clock(h);
  assert.equal(h.call("path_rename", 3, ...h.put("a/f"), 3, ...h.put("b/g")), Errno.SUCCESS);
  const moved = statPath(h, "b/g");
  assert.deepEqual([moved.atim, moved.mtim], [2n * SECOND, SECOND], "rename keeps atim and mtim");
  between(moved.ctim, t0, clock(h), "renamed entry ctim");
  for (const path of ["a", "b"]) between(statPath(h, path).mtim, t0, clock(h), `${path} mtim`);
  for (const path of ["b", "b/g"]) age(h, path);
  t0 = clock(h);
  assert.equal(h.call("path_link", 3, 0, ...h.put("b/g"), 3, ...h.put("b/h")), Errno.SUCCESS);
  between(statPath(h, "b/g").ctim, t0, clock(h), "link: the file's ctim");
  assert.equal(statPath(h, "b/g").mtim, SECOND, "link: not its mtim");
  between(statPath(h, "b").mtim, t0, clock(h), "link: the directory's mtim");
  age(h, "b/h");
  t0 = clock(h);
  assert.equal(h.call("path_unlink_file", 3, ...h.put("b/g")), Errno.SUCCESS);
  between(statPath(h, "b/h").ctim, t0, clock(h), "unlink: the other name's ctim");
  assert.equal(h.call("fd_filestat_set_times", fd, 41n, 42n, Fstflags.ATIM | Fstflags.MTIM), Errno.SUCCESS);
  assert.equal(h.call("path_unlink_file", 3, ...h.put("b/h")), Errno.SUCCESS);
  assert.deepEqual([statFd(h, fd).atim, statFd(h, fd).mtim], [41n, 42n], "the fd keeps the unlinked file's times");
});
