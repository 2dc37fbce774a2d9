import assert from "node:assert/strict";
import { test } from "node:test";
import { AuditTrail, AuditFn, Detail, Outcome } from "../audit/trail";
import { encodeUtf8 } from "../memory";
import { Errno } from "./errno";
import { checkAccess, createWasiFilesystem, normalizeGuestPath, pathPermitted, snapshotFiles } from "./filesystem";
import { CREATE, harness } from "./test-support";

const text = (bytes: Uint8Array | null | undefined) => (bytes ? new TextDecoder().decode(bytes) : bytes);

test("guest paths are normalised; a relative one is taken under /", () => {
  assert.equal(normalizeGuestPath("/a/./b//c/../d/"), "/a/b/d");
  assert.equal(normalizeGuestPath("~/.config/frankenterm/"), "/~/.config/frankenterm");
  assert.equal(normalizeGuestPath("/../.."), "/");
  assert.equal(normalizeGuestPath(""), "/");
});

test("prefixes match whole components (FrankenTerm's code compares strings: a pinned difference)", () => {
  assert.ok(pathPermitted("/data/out", "/data/out"));
  assert.ok(pathPermitted("/data/out", "/data/out/x"));
  assert.ok(!pathPermitted("/data/out", "/data/outside"));
  assert.ok(!pathPermitted("/data/out", "/data"));
  assert.ok(pathPermitted("/", "/anything"));
});

test("each distinct top-level permitted path is a preopen, in lexicographic order", () => {
  const fs = createWasiFilesystem(
    { "/etc/app.conf": "x" },
    { read: ["/zeta", "data", "/data/sub", "/etc/app.conf", "/a-b"], write: ["/data/out/", "/mnt"] },
  );
  assert.deepEqual(fs.preopens.map((p) => p.path), ["/a-b", "/data", "/etc", "/mnt", "/zeta"]);
  assert.deepEqual(fs.read, ["/zeta", "/data", "/data/sub", "/etc/app.conf", "/a-b"]);
  assert.deepEqual(fs.write, ["/data/out", "/mnt"]);
});

test("a permission on / preopens the whole tree", () => {
  const h = harness({ permissions: { read: ["/"], write: ["/tmp"] }, files: { "/etc/motd": "hi", "/tmp": null } });
  assert.deepEqual(h.ctx.filesystem.preopens.map((p) => p.path), ["/"]);
  assert.equal(h.read(h.open("etc/motd").fd).text, "hi");
  assert.equal(h.open("tmp/x", CREATE).errno, Errno.SUCCESS);
  assert.equal(h.open("etc/x", CREATE).errno, Errno.ACCES);
  assert.deepEqual(Object.keys(snapshotFiles(h.ctx)), ["/", "/etc", "/etc/motd", "/tmp", "/tmp/x"]);
});

test("no permissions, no preopens: the initial files are kept but unreachable", () => {
  const fs = createWasiFilesystem({ "/x/y.txt": "y" }, { read: [], write: [] });
  assert.deepEqual(fs.preopens, []);
  assert.equal(text(snapshotFiles({ filesystem: fs })["/x/y.txt"]), "y");
});

test("the initial tree: directories made on the way, strings as UTF-8, bytes copied", () => {
  const bytes = new Uint8Array([1, 2, 3]);
  const h = harness({ permissions: { read: ["/d"], write: [] }, files: { "/d/a/b/c.txt": "é", "/d/bin": bytes, "/d/empty": null, "/other.txt": "o" } });
  bytes[0] = 9;
  assert.deepEqual(snapshotFiles(h.ctx), {
    "/d": null,
    "/d/a": null,
    "/d/a/b": null,
    "/d/a/b/c.txt": encodeUtf8("é"),
    "/d/bin": new Uint8Array([1, 2, 3]),
    "/d/empty": null,
    "/other.txt": encodeUtf8("o"),
  });
  assert.equal(h.read(h.open("a/b/c.txt").fd).text, "é");
});

test("snapshotFiles shows what the guest wrote, as copies", () => {
  const h = harness({ permissions: { read: [], write: ["/w"] } });
  const { fd } = h.open("out.txt", CREATE);
  h.write(fd, "first");
  const before = snapshotFiles(h.ctx);
  h.write(fd, " second");
  assert.equal(text(before["/w/out.txt"]), "first", "an earlier snapshot does not change");
  assert.equal(text(snapshotFiles(h.ctx)["/w/out.txt"]), "first second");
});

test("contradictory initial files are an error naming the path", () => {
  assert.throws(() => createWasiFilesystem({ "/d/f": "file", "/d/f/g": "x" }, { read: ["/d"], write: [] }), /"\/d\/f" is a file, but "\/d\/f\/g" is inside it/);
  assert.throws(() => createWasiFilesystem({ "/d/f/g": "x", "/d/f": "file" }, { read: ["/d"], write: [] }), /"\/d\/f" is a file, but "\/d\/f\/g" is inside it/, "whatever the key order");
});

test("instances do not share files", () => {
  const a = harness({ permissions: { read: [], write: ["/w"] } });
  const b = harness({ permissions: { read: [], write: ["/w"] } });
  a.write(a.open("only-a.txt", CREATE).fd, "a");
  assert.equal(b.open("only-a.txt").errno, Errno.NOENT);
  assert.deepEqual(Object.keys(snapshotFiles(b.ctx)), ["/w"]);
});

test("checkAccess: read under read or write paths, write only under write paths, audited", () => {
  const fs = createWasiFilesystem({}, { read: ["/r"], write: ["/w"] });
  const audit = new AuditTrail("t");
  assert.equal(checkAccess(fs, audit, "/r/x", false), Errno.SUCCESS);
  assert.equal(checkAccess(fs, audit, "/w/x", false), Errno.SUCCESS);
  assert.equal(checkAccess(fs, audit, "/r/x", true), Errno.ACCES);
  assert.equal(checkAccess(fs, audit, "/elsewhere", false), Errno.ACCES);
  assert.deepEqual(audit.entries().map((e) => [e.function, e.argsSummary, e.outcome]), [
    ["fs_read", "/r/x", "Ok"],
    ["fs_read", "/w/x", "Ok"],
    ["fs_write", "/r/x", 'Denied("write access denied: /r/x")'],
    ["fs_read", "/elsewhere", 'Denied("read access denied: /elsewhere")'],
  ]);
});

test("an fs record of a long path is cut at 256 bytes with ...", () => {
  const audit = new AuditTrail("t");
  const path = `/${"p".repeat(300)}`;
  audit.record(AuditFn.fsWrite, Outcome.denied, Detail.deniedPath, encodeUtf8(path), Errno.ACCES);
  const [entry] = audit.entries();
  assert.equal(entry?.argsSummary, `${path.slice(0, 256)}...`);
  assert.match(entry?.outcome ?? "", /^Denied\("write access denied: \/p{255}"\)$/);
});
