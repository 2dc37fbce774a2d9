import assert from "node:assert/strict";
import { test } from "node:test";
import { Errno } from "./errno";
import { harness } from "./test-support";
import { Filetype, Oflags } from "./witx";

interface Dirent {
  next: bigint;
  type: number;
  name: string;
}

/** Parses what fd_readdir wrote; a cut-off last entry is returned with `cut: true`. */
function parse(h: ReturnType<typeof harness>, buf: number, used: number): { entries: Dirent[]; cut: boolean } {
  const entries: Dirent[] = [];
  let at = 0;
  while (at + 24 <= used) {
    const v = h.view();
    const namlen = v.getUint32(buf + at + 16, true);
    if (at + 24 + namlen > used) return { entries, cut: true };
    entries.push({ next: v.getBigUint64(buf + at, true), type: v.getUint8(buf + at + 20), name: h.text(buf + at + 24, namlen) });
    at += 24 + namlen;
  }
  return { entries, cut: at < used };
}

function readdir(h: ReturnType<typeof harness>, fd: number, cookie: bigint, size: number) {
  const buf = h.alloc(size);
  const used = h.alloc(4);
  const errno = h.call("fd_readdir", fd, buf, size, cookie, used);
  const n = h.view().getUint32(used, true);
  return { errno, used: n, ...parse(h, buf, n) };
}

const TREE = { permissions: { read: [], write: ["/w"] }, files: { "/w/b.txt": "b", "/w/a.txt": "a", "/w/sub": null, "/w/c.txt": "c" } };

test("fd_readdir lists . and .., then entries by name, with types and cookies", () => {
  const h = harness(TREE);
  const all = readdir(h, 3, 0n, 4096);
  assert.equal(all.errno, Errno.SUCCESS);
  assert.ok(all.used < 4096, "less than the buffer: the end");
  assert.deepEqual(all.entries, [
    { next: 1n, type: Filetype.DIRECTORY, name: "." },
    { next: 2n, type: Filetype.DIRECTORY, name: ".." },
    { next: 3n, type: Filetype.REGULAR_FILE, name: "a.txt" },
    { next: 4n, type: Filetype.REGULAR_FILE, name: "b.txt" },
    { next: 5n, type: Filetype.REGULAR_FILE, name: "c.txt" },
    { next: 6n, type: Filetype.DIRECTORY, name: "sub" },
  ]);
  assert.deepEqual(readdir(h, 3, 4n, 4096).entries.map((e) => e.name), ["c.txt", "sub"], "from a cookie");
  assert.deepEqual(readdir(h, 3, 6n, 4096), { errno: Errno.SUCCESS, used: 0, entries: [], cut: false }, "at the end");
  assert.equal(readdir(h, 3, 1000n, 4096).used, 0, "past the end");
});

test("a small buffer is filled completely, the last entry cut, and reading resumes from its cookie", () => {
  const h = harness(TREE);
  const first = readdir(h, 3, 0n, 24 + 1 + 24 + 2 + 10);
  assert.equal(first.used, 61, "bufused == buf_len");
  assert.equal(first.cut, true);
  assert.deepEqual(first.entries.map((e) => e.name), [".", ".."]);
  const rest = readdir(h, 3, first.entries.at(-1)?.next ?? 0n, 30);
  assert.equal(rest.used, 30);
  assert.deepEqual(rest.entries.map((e) => e.name), ["a.txt"]);
  const tiny = readdir(h, 3, 0n, 10);
  assert.deepEqual([tiny.used, tiny.entries.length], [10, 0], "not even one header fits");
});

test("entries unlinked while reading do not make others skipped (cookies index a snapshot)", () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 50; i++) files[`/w/f${String(i).padStart(2, "0")}`] = "";
  const h = harness({ permissions: { read: [], write: ["/w"] }, files });
  const seen: string[] = [];
  let cookie = 0n;
  for (;;) {
    const batch = readdir(h, 3, cookie, 200);
    for (const entry of batch.entries) {
      if (entry.name !== "." && entry.name !== "..") {
        seen.push(entry.name);
        assert.equal(h.call("path_unlink_file", 3, ...h.put(entry.name)), Errno.SUCCESS);
      }
      cookie = entry.next;
    }
    if (batch.used < 200) break;
  }
  assert.equal(seen.length, 50);
  assert.deepEqual(readdir(h, 3, 0n, 4096).entries.map((e) => e.name), [".", ".."], "cookie 0 takes a fresh snapshot");
});

test("fd_readdir needs a directory fd and a read permission", () => {
  const h = harness({ permissions: { read: ["/d/visible.txt"], write: [] }, files: { "/d/visible.txt": "v" } });
  assert.equal(readdir(h, 3, 0n, 100).errno, Errno.ACCES, "only a file below /d is readable, not /d");
  assert.match(h.audit().join("\n"), /fs_read \/d Denied\("read access denied: \/d"\)/);
  assert.equal(readdir(h, 1, 0n, 100).errno, Errno.BADF);
  const file = h.open("visible.txt").fd;
  assert.equal(readdir(h, file, 0n, 100).errno, Errno.BADF);
  assert.equal(h.open("visible.txt", { oflags: Oflags.DIRECTORY }).errno, Errno.NOTDIR);
});
