import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Trap } from "../traps";
import { Errno } from "./errno";
import { snapshotFiles } from "./filesystem";
import { CREATE, harness, READ_RIGHTS, READ_WRITE_RIGHTS, type Harness } from "./test-support";
import { Fdflags, Filetype, Oflags, Rights } from "./witx";

const DATA = {
  permissions: { read: ["/data"], write: ["/data/out"] },
  files: { "/data/notes.txt": "notes", "/data/out/log.txt": "log", "/data/sub/deep.txt": "deep" },
};
const text = (bytes: Uint8Array | null | undefined) => (bytes ? new TextDecoder().decode(bytes) : bytes);

/** Calls a `(fd, path_ptr, path_len)` path function. */
function pathCall(h: ReturnType<typeof harness>, name: string, fd: number, path: string | Uint8Array): number {
  const [ptr, len] = h.put(path);
  return h.call(name, fd, ptr, len);
}

test("a path that is not UTF-8 is EILSEQ", () => {
  const h = harness(DATA);
  const bad = new Uint8Array([0x6f, 0x75, 0x74, 0x2f, 0xff, 0xfe]);
  assert.equal(pathCall(h, "path_create_directory", 3, bad), Errno.ILSEQ);
  assert.equal(pathCall(h, "path_unlink_file", 3, bad), Errno.ILSEQ);
  const [ptr, len] = h.put(bad);
  assert.equal(h.call("path_open", 3, 1, ptr, len, 0, BigInt(READ_RIGHTS), 0n, 0, h.alloc(4)), Errno.ILSEQ);
  assert.equal(h.call("path_symlink", ptr, len, 3, ...h.put("out/link")), Errno.ILSEQ, "a symlink target too");
});

test("a path outside memory traps", () => {
  const h = harness(DATA);
  const end = h.memory.buffer.byteLength;
  assert.throws(() => h.call("path_create_directory", 3, end - 2, 10), (e: unknown) => e instanceof Trap && e.kind === "memory_out_of_bounds");
});

test("`..` past the directory fd, absolute paths and NUL are refused", () => {
  const h = harness(DATA);
  assert.equal(h.open("../etc/passwd").errno, Errno.PERM);
  assert.equal(h.open("sub/../../data/notes.txt").errno, Errno.PERM, "even when it would come back in");
  assert.equal(h.open("/data/notes.txt").errno, Errno.PERM, "absolute");
  assert.equal(h.open("notes.txt\0.bak").errno, Errno.INVAL);
  assert.equal(h.open("").errno, Errno.NOENT);
  assert.equal(h.open("sub/../notes.txt").errno, Errno.SUCCESS, "`..` inside is fine");
  assert.equal(h.open("./sub//./deep.txt").errno, Errno.SUCCESS);
  // below an opened subdirectory, `..` may not climb out of that fd either (cap-std)
  const sub = h.open("sub", { oflags: Oflags.DIRECTORY }).fd;
  assert.equal(h.open("../notes.txt", { dirfd: sub }).errno, Errno.PERM);
  assert.equal(h.open("deep.txt", { dirfd: sub }).errno, Errno.SUCCESS);
});

test("symbolic links: followed inside, refused when absolute or climbing out", () => {
  const h = harness({ permissions: { read: [], write: ["/w"] }, files: { "/w/dir/target.txt": "target" } });
  const symlink = (target: string, at: string) => h.call("path_symlink", ...h.put(target), 3, ...h.put(at));
  assert.equal(symlink("dir/target.txt", "link"), Errno.SUCCESS);
  assert.equal(h.read(h.open("link").fd).text, "target");
  assert.equal(symlink("dir", "dirlink"), Errno.SUCCESS);
  assert.equal(h.read(h.open("dirlink/target.txt").fd).text, "target", "a link in the middle of a path");
  assert.equal(symlink("/etc/passwd", "abs"), Errno.PERM, "an absolute target is refused at creation");
  assert.equal(symlink("../outside", "escape"), Errno.SUCCESS, "a climbing target can be created…");
  assert.equal(h.open("escape").errno, Errno.PERM, "…but never followed");
  assert.equal(h.open("escape", { follow: false }).errno, Errno.LOOP, "O_NOFOLLOW on a link is ELOOP");
  assert.equal(symlink("loop2", "loop1"), Errno.SUCCESS);
  assert.equal(symlink("loop1", "loop2"), Errno.SUCCESS);
  assert.equal(h.open("loop1").errno, Errno.LOOP);
  // readlink: the target, cut to the buffer, no NUL
  const buf = h.alloc(8);
  const used = h.alloc(4);
  assert.equal(h.call("path_readlink", 3, ...h.put("link"), buf, 8, used), Errno.SUCCESS);
  assert.equal(h.text(buf, h.view().getUint32(used, true)), "dir/targ");
  assert.equal(h.call("path_readlink", 3, ...h.put("dir/target.txt"), buf, 8, used), Errno.INVAL, "not a link");
});

test("a symlink cannot smuggle a write into a read-only area", () => {
  const h = harness(DATA);
  assert.equal(h.call("path_symlink", ...h.put("../notes.txt"), 3, ...h.put("out/alias")), Errno.SUCCESS);
  assert.equal(h.open("out/alias", CREATE).errno, Errno.ACCES);
  assert.equal(h.open("out/alias").errno, Errno.SUCCESS, "reading through it is fine (/data is readable)");
  assert.match(h.audit().join("\n"), /fs_write \/data\/notes\.txt Denied\("write access denied: \/data\/notes\.txt"\)/);
});

test("denied accesses are EACCES and audited as the host names them", () => {
  const h = harness(DATA);
  assert.equal(h.open("forbidden.txt", CREATE).errno, Errno.ACCES);
  assert.equal(h.open("notes.txt", { rights: READ_WRITE_RIGHTS }).errno, Errno.ACCES, "asking for FD_WRITE is a write");
  assert.equal(h.open("notes.txt", { fdflags: Fdflags.APPEND }).errno, Errno.ACCES, "APPEND is a write");
  assert.equal(h.open("notes.txt", { oflags: Oflags.TRUNC }).errno, Errno.ACCES, "O_TRUNC is a write");
  assert.equal(h.open("notes.txt", { oflags: Oflags.CREAT }).errno, Errno.SUCCESS, "O_CREAT of an existing file is a read");
  assert.equal(pathCall(h, "path_create_directory", 3, "newdir"), Errno.ACCES);
  assert.equal(pathCall(h, "path_unlink_file", 3, "notes.txt"), Errno.ACCES);
  assert.equal(pathCall(h, "path_remove_directory", 3, "sub"), Errno.ACCES);
  const entries = h.ctx.audit.entries().filter((e) => e.function === "fs_write" && e.outcome.startsWith("Denied"));
  assert.deepEqual(entries.map((e) => [e.argsSummary, e.outcome]), [
    ["/data/forbidden.txt", 'Denied("write access denied: /data/forbidden.txt")'],
    ["/data/notes.txt", 'Denied("write access denied: /data/notes.txt")'],
    ["/data/notes.txt", 'Denied("write access denied: /data/notes.txt")'],
    ["/data/notes.txt", 'Denied("write access denied: /data/notes.txt")'],
    ["/data/newdir", 'Denied("write access denied: /data/newdir")'],
    ["/data/notes.txt", 'Denied("write access denied: /data/notes.txt")'],
    ["/data/sub", 'Denied("write access denied: /data/sub")'],
  ]);
  const wasi = h.ctx.audit.entries().find((e) => e.function === "path_create_directory");
  assert.equal(wasi?.outcome, 'Error("errno 2")', "the WASI call itself records the errno");
  assert.equal(wasi?.result, Errno.ACCES);
  const granted = h.ctx.audit.entries().find((e) => e.function === "fs_read");
  assert.deepEqual([granted?.argsSummary, granted?.outcome], ["/data/notes.txt", "Ok"]);
});

test("a read outside every read and write path is denied as a read", () => {
  const h = harness({ permissions: { read: ["/data/notes.txt"], write: [] }, files: { "/data/notes.txt": "n", "/data/secret.txt": "s" } });
  assert.equal(h.open("notes.txt").errno, Errno.SUCCESS, "a file permission preopens its directory");
  assert.equal(h.open("secret.txt").errno, Errno.ACCES);
  assert.match(h.audit().join("\n"), /fs_read \/data\/secret\.txt Denied\("read access denied: \/data\/secret\.txt"\)/);
  const stat = h.alloc(64);
  assert.equal(h.call("path_filestat_get", 3, 0, ...h.put("secret.txt"), stat), Errno.ACCES);
});

test("permission prefixes match whole components: write:/data/out does not cover /data/outside", () => {
  const h = harness(DATA);
  assert.equal(pathCall(h, "path_create_directory", 3, "outside"), Errno.ACCES);
  assert.equal(pathCall(h, "path_create_directory", 3, "out/inside"), Errno.SUCCESS);
  assert.equal(h.open("out/log.txt", { rights: READ_WRITE_RIGHTS }).errno, Errno.SUCCESS, "write permits reading too");
});

test("path calls on a file fd are ENOTDIR, on stdio or a closed fd EBADF", () => {
  const h = harness(DATA);
  const file = h.open("notes.txt").fd;
  assert.equal(h.open("x", { dirfd: file }).errno, Errno.NOTDIR);
  assert.equal(pathCall(h, "path_create_directory", file, "x"), Errno.NOTDIR);
  assert.equal(h.open("x", { dirfd: 1 }).errno, Errno.BADF);
  assert.equal(pathCall(h, "path_unlink_file", 99, "x"), Errno.BADF);
});

test("path_open: O_EXCL, O_DIRECTORY, a directory opened for writing, unknown flags", () => {
  const h = harness(DATA);
  assert.equal(h.open("out/log.txt", { oflags: Oflags.CREAT | Oflags.EXCL, rights: READ_WRITE_RIGHTS }).errno, Errno.EXIST);
  assert.equal(h.open("out/new.txt", { oflags: Oflags.CREAT | Oflags.EXCL, rights: READ_WRITE_RIGHTS }).errno, Errno.SUCCESS);
  assert.equal(h.open("notes.txt", { oflags: Oflags.DIRECTORY }).errno, Errno.NOTDIR);
  assert.equal(h.open("out", { rights: READ_WRITE_RIGHTS }).errno, Errno.ISDIR);
  assert.equal(h.open("missing.txt").errno, Errno.NOENT);
  assert.equal(h.open("missing/x.txt", CREATE).errno, Errno.NOENT, "a missing directory on the way");
  assert.equal(h.open("notes.txt/x").errno, Errno.NOTDIR, "a file on the way");
  assert.equal(h.open("notes.txt/").errno, Errno.NOTDIR, "a trailing slash on a file");
  assert.equal(h.open("out/").errno, Errno.SUCCESS, "a trailing slash on a directory");
  assert.equal(h.open("notes.txt", { oflags: 0x10 }).errno, Errno.INVAL);
  assert.equal(h.open("notes.txt", { fdflags: 0x20 }).errno, Errno.INVAL);
  assert.equal(h.open("out/newdir", { oflags: Oflags.CREAT | Oflags.DIRECTORY }).errno, Errno.INVAL);
  const dir = h.open(".", { oflags: Oflags.DIRECTORY });
  assert.equal(dir.errno, Errno.SUCCESS, "the preopen itself");
  const stat = h.alloc(24);
  h.call("fd_fdstat_get", dir.fd, stat);
  assert.equal(h.view().getUint8(stat), Filetype.DIRECTORY);
});

test("new files are created where the guest said, and snapshotFiles shows them", () => {
  const h = harness(DATA);
  const { fd } = h.open("out/new.txt", CREATE);
  assert.equal(h.write(fd, "fresh"), Errno.SUCCESS);
  assert.equal(pathCall(h, "path_create_directory", 3, "out/made"), Errno.SUCCESS);
  const files = snapshotFiles(h.ctx);
  assert.equal(text(files["/data/out/new.txt"]), "fresh");
  assert.equal(files["/data/out/made"], null);
  assert.equal(text(files["/data/notes.txt"]), "notes");
});

test("path_create_directory, path_remove_directory, path_unlink_file: the POSIX errors", () => {
  const h = harness(DATA);
  assert.equal(pathCall(h, "path_create_directory", 3, "out/d"), Errno.SUCCESS);
  assert.equal(pathCall(h, "path_create_directory", 3, "out/d"), Errno.EXIST);
  assert.equal(pathCall(h, "path_create_directory", 3, "out/log.txt"), Errno.EXIST);
  const outFd = h.open("out", { oflags: Oflags.DIRECTORY }).fd;
  assert.equal(pathCall(h, "path_create_directory", outFd, "."), Errno.EXIST, "the fd's own directory");
  assert.equal(h.open("out/d/f.txt", CREATE).errno, Errno.SUCCESS);
  assert.equal(pathCall(h, "path_remove_directory", 3, "out/d"), Errno.NOTEMPTY);
  assert.equal(pathCall(h, "path_unlink_file", 3, "out/d"), Errno.ISDIR);
  assert.equal(pathCall(h, "path_remove_directory", 3, "out/d/f.txt"), Errno.NOTDIR);
  assert.equal(pathCall(h, "path_unlink_file", 3, "out/d/f.txt"), Errno.SUCCESS);
  assert.equal(pathCall(h, "path_unlink_file", 3, "out/d/f.txt"), Errno.NOENT);
  assert.equal(pathCall(h, "path_remove_directory", 3, "out/d"), Errno.SUCCESS);
  assert.equal(pathCall(h, "path_remove_directory", outFd, "."), Errno.INVAL);
});

test("path_rename across directories; open fds follow the rename", () => {
  const h = harness({ permissions: { read: [], write: ["/w"] }, files: { "/w/a/x.txt": "x", "/w/b": null, "/w/c/y.txt": "y" } });
  const rename = (from: string, to: string, fromFd = 3, toFd = 3) => h.call("path_rename", fromFd, ...h.put(from), toFd, ...h.put(to));
  assert.equal(rename("a/x.txt", "b/moved.txt"), Errno.SUCCESS);
  assert.equal(h.open("a/x.txt").errno, Errno.NOENT);
  assert.equal(h.read(h.open("b/moved.txt").fd).text, "x");
  const bFd = h.open("b", { oflags: Oflags.DIRECTORY }).fd;
  const cFd = h.open("c", { oflags: Oflags.DIRECTORY }).fd;
  assert.equal(rename("y.txt", "from-c.txt", cFd, bFd), Errno.SUCCESS, "between two directory fds");
  assert.equal(h.read(h.open("b/from-c.txt").fd).text, "y");
  assert.equal(rename("b", "renamed"), Errno.SUCCESS, "rename a directory that is open");
  assert.equal(h.open("from-c.txt", { dirfd: bFd }).errno, Errno.SUCCESS, "the fd still reaches its directory");
  assert.equal(h.open("made.txt", { ...CREATE, dirfd: bFd }).errno, Errno.SUCCESS);
  assert.ok("/w/renamed/made.txt" in snapshotFiles(h.ctx), "and new files land under the new name");
  assert.match(h.audit().join("\n"), /fs_write \/w\/renamed\/made\.txt Ok/, "permissions see the new path");
  assert.equal(rename("renamed", "renamed/inside"), Errno.INVAL, "a directory into itself");
  assert.equal(rename("c", "renamed"), Errno.NOTEMPTY, "onto a non-empty directory");
  assert.equal(rename("renamed/made.txt", "c"), Errno.ISDIR, "a file onto a directory");
  assert.equal(rename("missing", "z"), Errno.NOENT);
});

test("path_link makes a second name for the same file; both paths must be writable", () => {
  const h = harness(DATA);
  assert.equal(h.call("path_link", 3, 0, ...h.put("out/log.txt"), 3, ...h.put("out/again.txt")), Errno.SUCCESS);
  const { fd } = h.open("out/again.txt", { rights: READ_WRITE_RIGHTS });
  assert.equal(h.write(fd, "LOG"), Errno.SUCCESS);
  assert.equal(h.read(h.open("out/log.txt").fd).text, "LOG");
  const stat = h.alloc(64);
  h.call("path_filestat_get", 3, 0, ...h.put("out/log.txt"), stat);
  assert.equal(h.view().getBigUint64(stat + 24, true), 2n, "nlink");
  assert.equal(h.call("path_link", 3, 0, ...h.put("notes.txt"), 3, ...h.put("out/notes.txt")), Errno.ACCES, "a read-only source");
  assert.equal(h.call("path_link", 3, 0, ...h.put("out/log.txt"), 3, ...h.put("out/again.txt")), Errno.EXIST);
  assert.equal(h.call("path_link", 3, 0, ...h.put("out"), 3, ...h.put("out/dirlink")), Errno.PERM, "a directory cannot be linked");
});

test("path_filestat_get follows a final symlink only with symlink_follow", () => {
  const h = harness({ permissions: { read: [], write: ["/w"] }, files: { "/w/f.txt": "12345" } });
  h.call("path_symlink", ...h.put("f.txt"), 3, ...h.put("l"));
  const stat = h.alloc(64);
  assert.equal(h.call("path_filestat_get", 3, 1, ...h.put("l"), stat), Errno.SUCCESS);
  assert.equal(h.view().getUint8(stat + 16), Filetype.REGULAR_FILE);
  assert.equal(h.view().getBigUint64(stat + 32, true), 5n);
  const ino = h.view().getBigUint64(stat + 8, true);
  assert.equal(h.call("path_filestat_get", 3, 0, ...h.put("l"), stat), Errno.SUCCESS);
  assert.equal(h.view().getUint8(stat + 16), Filetype.SYMBOLIC_LINK);
  assert.notEqual(h.view().getBigUint64(stat + 8, true), ino, "the link is its own inode");
  h.call("path_filestat_get", 3, 0, ...h.put("f.txt"), stat);
  assert.equal(h.view().getBigUint64(stat + 8, true), ino, "ino is stable for a file");
  assert.equal(h.call("path_filestat_get", 3, 0, ...h.put("nope"), stat), Errno.NOENT);
});

test("path_filestat_set_times: a write; contradictory flags are EINVAL", () => {
  const h = harness(DATA);
  const call = (path: string, flags: number) => h.call("path_filestat_set_times", 3, 0, ...h.put(path), 0n, 1_000_000_000n, flags);
  assert.equal(call("out/log.txt", 4), Errno.SUCCESS);
  assert.equal(call("out/log.txt", 2), Errno.SUCCESS);
  assert.equal(call("out/log.txt", 1 | 2), Errno.INVAL);
  assert.equal(call("out/log.txt", 4 | 8), Errno.INVAL);
  assert.equal(call("notes.txt", 4), Errno.ACCES);
});

test("an opened file keeps the rights it asked for, within the directory's", () => {
  const h = harness(DATA);
  const { fd } = h.open("out/log.txt", { rights: Rights.FD_READ | Rights.FD_SEEK });
  const stat = h.alloc(24);
  h.call("fd_fdstat_get", fd, stat);
  assert.equal(h.view().getBigUint64(stat + 8, true), BigInt(Rights.FD_READ | Rights.FD_SEEK));
});

test("path_link with symlink_follow is EINVAL (wasmtime); without it a link to a symlink links the link", () => {
  const h = harness({ permissions: { read: [], write: ["/w"] }, files: { "/w/f.txt": "f" } });
  h.call("path_symlink", ...h.put("f.txt"), 3, ...h.put("l"));
  assert.equal(h.call("path_link", 3, 1, ...h.put("l"), 3, ...h.put("l2")), Errno.INVAL);
  assert.equal(h.call("path_link", 3, 0, ...h.put("l"), 3, ...h.put("l2")), Errno.SUCCESS);
  const stat = h.alloc(64);
  assert.equal(h.call("path_filestat_get", 3, 0, ...h.put("l2"), stat), Errno.SUCCESS);
  assert.equal(h.view().getUint8(stat + 16), Filetype.SYMBOLIC_LINK);
});

describe("a trailing slash means a directory, in every path call", () => {
  const W = { permissions: { read: [], write: ["/w"] }, files: { "/w/file": "f", "/w/dir": null } };
  const link = (h: Harness, from: string, to: string) => h.call("path_link", 3, 0, ...h.put(from), 3, ...h.put(to));
  const symlink = (h: Harness, target: string, at: string) => h.call("path_symlink", ...h.put(target), 3, ...h.put(at));
  const rename = (h: Harness, from: string, to: string) => h.call("path_rename", 3, ...h.put(from), 3, ...h.put(to));
  const names = (h: Harness) => Object.keys(snapshotFiles(h.ctx)).sort();

  test("path_link: new/ missing is ENOENT, a file ENOTDIR, a directory EEXIST; nothing is created", () => {
    const h = harness(W);
    assert.equal(link(h, "file", "new/"), Errno.NOENT);
    assert.equal(link(h, "file", "file/"), Errno.NOTDIR);
    assert.equal(link(h, "file", "dir/"), Errno.EXIST);
    assert.equal(link(h, "file/", "new"), Errno.NOTDIR, "the source with a slash, too");
    assert.deepEqual(names(h), ["/w", "/w/dir", "/w/file"]);
    assert.equal(link(h, "file", "new"), Errno.SUCCESS);
  });

  test("path_symlink: new/ missing is ENOENT, a file ENOTDIR, a directory EEXIST (wasmtime's test)", () => {
    const h = harness(W);
    assert.equal(symlink(h, "source", "target/"), Errno.NOENT);
    assert.equal(symlink(h, "source", "file/"), Errno.NOTDIR);
    assert.equal(symlink(h, "source", "dir/"), Errno.EXIST);
    assert.equal(symlink(h, "source", "dir"), Errno.EXIST);
    assert.equal(symlink(h, "source", "file"), Errno.EXIST);
    const stat = h.alloc(64);
    assert.equal(h.call("path_filestat_get", 3, 0, ...h.put("target"), stat), Errno.NOENT, "no `target` was made");
    assert.equal(symlink(h, "source", "target"), Errno.SUCCESS);
  });

  test("path_open O_CREAT: new/ is EISDIR (Linux), file/ ENOTDIR; without O_CREAT new/ is ENOENT, dir/ opens", () => {
    const h = harness(W);
    assert.equal(h.open("new/", CREATE).errno, Errno.ISDIR);
    assert.equal(h.open("new/", { oflags: Oflags.CREAT | Oflags.EXCL, rights: READ_WRITE_RIGHTS }).errno, Errno.ISDIR);
    assert.equal(h.open("file/", CREATE).errno, Errno.NOTDIR);
    assert.equal(h.open("file/").errno, Errno.NOTDIR);
    assert.equal(h.open("file///").errno, Errno.NOTDIR);
    assert.equal(h.open("new/").errno, Errno.NOENT);
    assert.equal(h.open("dir/").errno, Errno.SUCCESS);
    assert.equal(h.open("dir///").errno, Errno.SUCCESS);
    assert.deepEqual(names(h), ["/w", "/w/dir", "/w/file"]);
  });

  test("path_create_directory: new/ makes new; file/ is ENOTDIR, dir/ EEXIST", () => {
    const h = harness(W);
    assert.equal(pathCall(h, "path_create_directory", 3, "new/"), Errno.SUCCESS);
    assert.equal(pathCall(h, "path_create_directory", 3, "file/"), Errno.NOTDIR);
    assert.equal(pathCall(h, "path_create_directory", 3, "dir/"), Errno.EXIST);
    assert.deepEqual(names(h), ["/w", "/w/dir", "/w/file", "/w/new"]);
  });

  test("path_rename: a file as source/ or to target/ is ENOTDIR; a directory may carry slashes", () => {
    const h = harness(W);
    assert.equal(rename(h, "file/", "target"), Errno.NOTDIR);
    assert.equal(rename(h, "file", "target/"), Errno.NOTDIR);
    assert.equal(rename(h, "file/", "target/"), Errno.NOTDIR);
    assert.deepEqual(names(h), ["/w", "/w/dir", "/w/file"]);
    assert.equal(rename(h, "dir/", "moved/"), Errno.SUCCESS);
    assert.equal(rename(h, "moved", "dir/"), Errno.SUCCESS);
    assert.equal(rename(h, "file", "target"), Errno.SUCCESS);
    assert.deepEqual(names(h), ["/w", "/w/dir", "/w/target"]);
  });

  test("path_unlink_file: file/ is ENOTDIR, dir/ EISDIR, missing/ ENOENT; path_remove_directory: file/ ENOTDIR", () => {
    const h = harness(W);
    assert.equal(pathCall(h, "path_unlink_file", 3, "file/"), Errno.NOTDIR);
    assert.equal(pathCall(h, "path_unlink_file", 3, "dir/"), Errno.ISDIR);
    assert.equal(pathCall(h, "path_unlink_file", 3, "missing/"), Errno.NOENT);
    assert.equal(pathCall(h, "path_remove_directory", 3, "file/"), Errno.NOTDIR);
    assert.equal(pathCall(h, "path_remove_directory", 3, "file"), Errno.NOTDIR);
    assert.deepEqual(names(h), ["/w", "/w/dir", "/w/file"]);
    assert.equal(pathCall(h, "path_remove_directory", 3, "dir/"), Errno.SUCCESS);
    assert.equal(pathCall(h, "path_unlink_file", 3, "file"), Errno.SUCCESS);
  });
});
