import assert from "node:assert/strict";
import { test } from "node:test";
import { Errno } from "./errno";
import { CREATE, harness, READ_RIGHTS, READ_WRITE_RIGHTS } from "./test-support";
import { ALL_RIGHTS, DIRECTORY_RIGHTS_BASE, DIRECTORY_RIGHTS_INHERITING, Fdflags, Filetype, Fstflags, Oflags, PREOPEN_RIGHTS_BASE, PREOPEN_RIGHTS_INHERITING, Rights } from "./witx";

const WORK = { permissions: { read: ["/ro"], write: ["/work"] }, files: { "/work/a.txt": "abcdef", "/ro/r.txt": "r" } };

function fdstat(h: ReturnType<typeof harness>, fd: number) {
  const at = h.alloc(24);
  const errno = h.call("fd_fdstat_get", fd, at);
  const v = h.view();
  return { errno, filetype: v.getUint8(at), flags: v.getUint16(at + 2, true), base: v.getBigUint64(at + 8, true), inheriting: v.getBigUint64(at + 16, true) };
}

test("fd_fdstat_get: stdio are character devices (so isatty), preopens directories with wasmtime's rights", () => {
  const h = harness(WORK);
  assert.deepEqual(fdstat(h, 0), { errno: 0, filetype: Filetype.CHARACTER_DEVICE, flags: 0, base: BigInt(Rights.FD_READ | Rights.POLL_FD_READWRITE), inheriting: 0n });
  assert.equal(fdstat(h, 1).base & BigInt(Rights.FD_SEEK | Rights.FD_TELL), 0n, "no seek/tell: wasi-libc's isatty says yes");
  const pre = fdstat(h, 3);
  assert.deepEqual([pre.filetype, pre.base, pre.inheriting], [Filetype.DIRECTORY, BigInt(PREOPEN_RIGHTS_BASE), BigInt(PREOPEN_RIGHTS_INHERITING)]);
  const { fd } = h.open("a.txt", { dirfd: 4, rights: READ_WRITE_RIGHTS, fdflags: Fdflags.APPEND });
  const file = fdstat(h, fd);
  assert.deepEqual([file.filetype, file.flags, file.base], [Filetype.REGULAR_FILE, Fdflags.APPEND, BigInt(READ_WRITE_RIGHTS)]);
  assert.equal(fdstat(h, 9).errno, Errno.BADF);
});

test("fd_fdstat_set_flags: APPEND and NONBLOCK change, the sync flags are EINVAL, non-files EBADF", () => {
  const h = harness(WORK);
  const { fd } = h.open("a.txt", { dirfd: 4, rights: READ_WRITE_RIGHTS });
  assert.equal(h.call("fd_fdstat_set_flags", fd, Fdflags.APPEND | Fdflags.NONBLOCK), Errno.SUCCESS);
  assert.equal(fdstat(h, fd).flags, Fdflags.APPEND | Fdflags.NONBLOCK);
  assert.equal(h.write(fd, "!"), Errno.SUCCESS);
  assert.equal(h.read(h.open("a.txt", { dirfd: 4 }).fd).text, "abcdef!", "APPEND took effect");
  assert.equal(h.call("fd_fdstat_set_flags", fd, Fdflags.SYNC), Errno.INVAL);
  assert.equal(h.call("fd_fdstat_set_flags", fd, Fdflags.DSYNC), Errno.INVAL);
  assert.equal(h.call("fd_fdstat_set_flags", 1, 0), Errno.BADF);
  assert.equal(h.call("fd_fdstat_set_flags", 3, 0), Errno.BADF);
});

test("a directory opened with path_open holds only directory rights, whatever it asked for", () => {
  const h = harness({ permissions: { read: [], write: ["/work"] }, files: { "/work/sub/f.txt": "f" } });
  const all = BigInt(ALL_RIGHTS);
  const [ptr, len] = h.put("sub");
  const out = h.alloc(4);
  assert.equal(h.call("path_open", 3, 1, ptr, len, Oflags.DIRECTORY, all & ~BigInt(Rights.FD_WRITE), all, 0, out), Errno.SUCCESS);
  const dir = fdstat(h, h.view().getUint32(out, true));
  assert.equal(dir.filetype, Filetype.DIRECTORY);
  assert.equal(dir.base, BigInt(DIRECTORY_RIGHTS_BASE & ~Rights.FD_WRITE));
  assert.equal(dir.inheriting, BigInt(DIRECTORY_RIGHTS_INHERITING));
  for (const right of [Rights.FD_SEEK, Rights.FD_READ, Rights.FD_TELL, Rights.FD_FILESTAT_SET_SIZE, Rights.FD_ALLOCATE, Rights.PATH_FILESTAT_SET_SIZE]) {
    assert.equal(dir.base & BigInt(right), 0n, `no right ${right} on a directory`);
  }
  assert.notEqual(dir.base & BigInt(Rights.FD_READDIR), 0n);
  // a subdirectory opened from the preopen with wasi-libc's O_RDONLY rights: the same limit
  const sub = h.open("sub", { oflags: Oflags.DIRECTORY });
  assert.equal(fdstat(h, sub.fd).base, BigInt(READ_RIGHTS & DIRECTORY_RIGHTS_BASE));
  assert.equal(h.read(h.open("f.txt", { dirfd: sub.fd }).fd).text, "f", "files below it still open with file rights");
});

test("path_open keeps DSYNC, RSYNC and SYNC and fd_fdstat_get reports them; set_flags leaves them", () => {
  const h = harness(WORK);
  for (const flag of [Fdflags.DSYNC, Fdflags.RSYNC, Fdflags.SYNC, Fdflags.SYNC | Fdflags.APPEND]) {
    const { errno, fd } = h.open("a.txt", { dirfd: 4, rights: READ_WRITE_RIGHTS, fdflags: flag });
    assert.equal(errno, Errno.SUCCESS);
    assert.equal(fdstat(h, fd).flags, flag);
  }
  const { fd } = h.open("synced.txt", { ...CREATE, dirfd: 4, fdflags: Fdflags.SYNC });
  assert.equal(h.write(fd, "x"), Errno.SUCCESS);
  assert.equal(h.call("fd_fdstat_set_flags", fd, Fdflags.APPEND), Errno.SUCCESS);
  assert.equal(fdstat(h, fd).flags, Fdflags.SYNC | Fdflags.APPEND, "APPEND added, SYNC still there");
  assert.equal(h.call("fd_fdstat_set_flags", fd, 0), Errno.SUCCESS);
  assert.equal(fdstat(h, fd).flags, Fdflags.SYNC);
  assert.equal(h.open("a.txt", { dirfd: 4, fdflags: 1 << 5 }).errno, Errno.INVAL, "an undefined bit");
});

test("fd_fdstat_set_rights only removes rights; removing FD_WRITE stops writes", () => {
  const h = harness(WORK);
  const { fd } = h.open("a.txt", { dirfd: 4, rights: READ_WRITE_RIGHTS });
  const fewer = BigInt(READ_WRITE_RIGHTS & ~Rights.FD_WRITE);
  assert.equal(h.call("fd_fdstat_set_rights", fd, fewer, 0n), Errno.SUCCESS);
  assert.equal(fdstat(h, fd).base, fewer);
  assert.equal(h.write(fd, "x"), Errno.BADF);
  assert.equal(h.call("fd_fdstat_set_rights", fd, BigInt(READ_WRITE_RIGHTS), 0n), Errno.NOTCAPABLE, "adding back");
  assert.equal(h.call("fd_fdstat_set_rights", fd, fewer, 1n), Errno.NOTCAPABLE, "adding an inheriting right");
  assert.equal(h.call("fd_fdstat_set_rights", fd, fewer | (1n << 40n), 0n), Errno.NOTCAPABLE, "an undefined bit");
  assert.equal(h.call("fd_fdstat_set_rights", 1, 0n, 0n), Errno.SUCCESS, "stdio too");
  assert.equal(h.write(1, "x"), Errno.SUCCESS, "stdio writes do not depend on rights");
  assert.equal(h.call("fd_fdstat_set_rights", 9, 0n, 0n), Errno.BADF);
});

test("fd_filestat_get: size, type, nlink, a stable ino; stdio is a character device", () => {
  const h = harness(WORK);
  const at = h.alloc(64);
  const { fd } = h.open("a.txt", { dirfd: 4 });
  assert.equal(h.call("fd_filestat_get", fd, at), Errno.SUCCESS);
  const v = h.view();
  assert.deepEqual([v.getBigUint64(at, true), v.getUint8(at + 16), v.getBigUint64(at + 24, true), v.getBigUint64(at + 32, true)], [1n, Filetype.REGULAR_FILE, 1n, 6n]);
  const ino = v.getBigUint64(at + 8, true);
  h.write(h.open("a.txt", { dirfd: 4, rights: READ_WRITE_RIGHTS }).fd, "more");
  h.call("fd_filestat_get", fd, at);
  assert.equal(h.view().getBigUint64(at + 8, true), ino, "a write does not change the inode");
  assert.equal(h.call("fd_filestat_get", 1, at), Errno.SUCCESS);
  assert.equal(h.view().getUint8(at + 16), Filetype.CHARACTER_DEVICE);
  assert.equal(h.call("fd_filestat_get", 3, at), Errno.SUCCESS);
  assert.equal(h.view().getUint8(at + 16), Filetype.DIRECTORY);
  assert.equal(h.call("fd_filestat_get", 99, at), Errno.BADF);
});

test("fd_filestat_set_size truncates and extends with zeros", () => {
  const h = harness(WORK);
  const { fd } = h.open("a.txt", { dirfd: 4, rights: READ_WRITE_RIGHTS });
  assert.equal(h.call("fd_filestat_set_size", fd, 3n), Errno.SUCCESS);
  assert.equal(h.read(fd).text, "abc");
  assert.equal(h.call("fd_filestat_set_size", fd, 5n), Errno.SUCCESS);
  assert.equal(h.call("fd_pread", fd, h.iovecs([[h.alloc(8), 8]]), 1, 0n, h.alloc(4)), Errno.SUCCESS);
  const at = h.alloc(64);
  h.call("fd_filestat_get", fd, at);
  assert.equal(h.view().getBigUint64(at + 32, true), 5n);
  assert.equal(h.call("fd_filestat_set_size", fd, 1n << 60n), Errno.FBIG);
  assert.equal(h.call("fd_filestat_set_size", 3, 0n), Errno.BADF, "a directory");
});

test("files are bounded: one file by maxFileBytes (EFBIG), all of them by four times that (ENOSPC)", () => {
  const h = harness({ ...WORK, maxFileBytes: 1024 });
  const { fd } = h.open("a.txt", { dirfd: 4, rights: READ_WRITE_RIGHTS });
  assert.equal(h.call("fd_filestat_set_size", fd, 1025n), Errno.FBIG);
  assert.equal(h.call("fd_allocate", fd, 0n, 1025n), Errno.FBIG);
  assert.equal(h.call("fd_filestat_set_size", fd, 1024n), Errno.SUCCESS);
  const sizes: number[] = [];
  for (const name of ["b", "c", "d", "e"]) {
    const file = h.open(name, { dirfd: 4, ...CREATE }).fd;
    sizes.push(h.call("fd_filestat_set_size", file, 1024n) as number);
  }
  // 7 bytes of initial files + 1 KiB of a.txt: the third 1 KiB file passes the 4 KiB total.
  assert.deepEqual(sizes, [Errno.SUCCESS, Errno.SUCCESS, Errno.NOSPC, Errno.NOSPC]);
  assert.equal(h.call("fd_filestat_set_size", fd, 0n), Errno.SUCCESS, "shrinking frees room");
  const last = h.open("e", { dirfd: 4, ...CREATE }).fd;
  assert.equal(h.call("fd_filestat_set_size", last, 1024n), Errno.SUCCESS);
});

test("the quota is credited back on O_TRUNC, on a rename over a file and when a file's last name goes", () => {
  const h = harness({ permissions: { read: [], write: ["/w"] }, files: { "/w/a": "a".repeat(100), "/w/b": "b".repeat(50) } });
  assert.equal(h.ctx.quota.usedBytes, 150);
  h.open("a", CREATE);
  assert.equal(h.ctx.quota.usedBytes, 50, "O_TRUNC");
  h.write(h.open("a", { rights: READ_WRITE_RIGHTS }).fd, "x".repeat(30));
  assert.equal(h.ctx.quota.usedBytes, 80);
  assert.equal(h.call("path_rename", 3, ...h.put("a"), 3, ...h.put("b")), Errno.SUCCESS);
  assert.equal(h.ctx.quota.usedBytes, 30, "b's 50 bytes went with the rename");
  assert.equal(h.call("path_link", 3, 0, ...h.put("b"), 3, ...h.put("c")), Errno.SUCCESS);
  assert.equal(h.call("path_rename", 3, ...h.put("b"), 3, ...h.put("c")), Errno.SUCCESS, "two names of one file: POSIX does nothing");
  assert.equal(h.ctx.quota.usedBytes, 30);
  assert.equal(h.call("path_unlink_file", 3, ...h.put("b")), Errno.SUCCESS);
  assert.equal(h.ctx.quota.usedBytes, 30, "c still holds the bytes");
  assert.equal(h.call("path_unlink_file", 3, ...h.put("c")), Errno.SUCCESS);
  assert.equal(h.ctx.quota.usedBytes, 0);
});

test("fd_filestat_set_times needs a write permission on the fd's path", () => {
  const h = harness(WORK);
  const writable = h.open("a.txt", { dirfd: 4 }).fd;
  const readOnly = h.open("r.txt", { dirfd: 3, rights: READ_RIGHTS }).fd;
  assert.equal(h.call("fd_filestat_set_times", writable, 0n, 5n, Fstflags.MTIM), Errno.SUCCESS);
  assert.equal(h.call("fd_filestat_set_times", writable, 0n, 0n, Fstflags.ATIM | Fstflags.ATIM_NOW), Errno.INVAL);
  assert.equal(h.call("fd_filestat_set_times", writable, 0n, 0n, 0x10), Errno.INVAL);
  assert.equal(h.call("fd_filestat_set_times", readOnly, 0n, 5n, Fstflags.MTIM_NOW), Errno.ACCES);
  assert.match(h.audit().join("\n"), /fs_write \/ro\/r\.txt Denied\("write access denied: \/ro\/r\.txt"\)/);
  assert.equal(h.call("fd_filestat_set_times", 1, 0n, 0n, 0), Errno.BADF);
});

test("fd_prestat_get and fd_prestat_dir_name describe preopens in lexicographic order", () => {
  const h = harness(WORK);
  const prestat = h.alloc(8);
  const names: string[] = [];
  for (let fd = 3; h.call("fd_prestat_get", fd, prestat) === Errno.SUCCESS; fd++) {
    assert.equal(h.view().getUint8(prestat), 0, "tag: dir");
    const len = h.view().getUint32(prestat + 4, true);
    const buf = h.alloc(len);
    assert.equal(h.call("fd_prestat_dir_name", fd, buf, len), Errno.SUCCESS);
    names.push(h.text(buf, len));
  }
  assert.deepEqual(names, ["/ro", "/work"]);
  assert.equal(h.call("fd_prestat_get", 5, prestat), Errno.BADF, "the list ends with EBADF");
  assert.equal(h.call("fd_prestat_dir_name", 3, h.alloc(2), 2), Errno.NAMETOOLONG);
  assert.equal(h.call("fd_prestat_dir_name", 1, h.alloc(8), 8), Errno.NOTDIR, "open but not a preopen");
  assert.equal(h.call("fd_prestat_dir_name", 42, h.alloc(8), 8), Errno.BADF);
  const opened = h.open("a.txt", { dirfd: 4 }).fd;
  assert.equal(h.call("fd_prestat_get", opened, prestat), Errno.BADF);
});
