//! fs-exact-rs: WASI conformance in Rust (std on wasm32-wasi), run as a command: the
//! details where the playground follows wasmtime (issue 10).
//!
//! Under the writable preopen /work (fd 3):
//! - times: a file, directory and symlink made by std::fs carry the realtime clock's time
//!   (between two SystemTime::now readings); a write moves the modification time; explicit
//!   times are stored exactly on a file, a directory and a symlink itself, and ATIM with
//!   ATIM_NOW is EINVAL;
//! - a directory opened with O_DIRECTORY holds only directory rights;
//! - SYNC and DSYNC are kept and reported by fd_fdstat_get;
//! - trailing slashes through std::fs: hard_link/soft_link to "new/" are ENOENT, creating
//!   "new/" EISDIR, "file/" ENOTDIR for open, remove_file, remove_dir, rename, soft_link.
//! Rust 1.63's std has no set_times, O_SYNC or fdstat, so those go through raw preview1
//! imports declared below. Exits 0; on the first failed check prints "FAIL ..." on stderr
//! and exits 1.

use std::fs;
use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

macro_rules! check {
    ($cond:expr, $($what:tt)+) => {
        if !$cond {
            eprintln!("FAIL line {}: {}", line!(), format!($($what)+));
            std::process::exit(1);
        }
    };
}

fn ok<T, E: std::fmt::Display>(result: Result<T, E>, what: &str) -> T {
    match result {
        Ok(value) => value,
        Err(error) => {
            eprintln!("FAIL {}: {}", what, error);
            std::process::exit(1);
        }
    }
}

/// The raw preview1 calls std does not offer (witx `wasi_snapshot_preview1.witx`).
mod raw {
    #[repr(C)]
    #[derive(Default)]
    pub struct Filestat {
        pub dev: u64,
        pub ino: u64,
        pub filetype: u8,
        pub nlink: u64,
        pub size: u64,
        pub atim: u64,
        pub mtim: u64,
        pub ctim: u64,
    }

    #[repr(C)]
    #[derive(Default)]
    pub struct Fdstat {
        pub filetype: u8,
        pub flags: u16,
        pub rights_base: u64,
        pub rights_inheriting: u64,
    }

    #[link(wasm_import_module = "wasi_snapshot_preview1")]
    extern "C" {
        pub fn path_filestat_get(fd: u32, flags: u32, path: *const u8, path_len: usize, buf: *mut Filestat) -> u16;
        pub fn path_filestat_set_times(fd: u32, flags: u32, path: *const u8, path_len: usize, atim: u64, mtim: u64, fst_flags: u16) -> u16;
        pub fn path_open(
            fd: u32, dirflags: u32, path: *const u8, path_len: usize, oflags: u16, base: u64, inheriting: u64, fdflags: u16, opened: *mut u32,
        ) -> u16;
        pub fn fd_fdstat_get(fd: u32, buf: *mut Fdstat) -> u16;
        pub fn fd_close(fd: u32) -> u16;
    }

    pub const PREOPEN: u32 = 3;
    pub const ATIM: u16 = 1;
    pub const ATIM_NOW: u16 = 2;
    pub const MTIM: u16 = 4;
    pub const O_CREAT: u16 = 1;
    pub const O_DIRECTORY: u16 = 2;
    pub const DSYNC: u16 = 2;
    pub const SYNC: u16 = 16;
    pub const FD_READ: u64 = 1 << 1;
    pub const FD_SEEK: u64 = 1 << 2;
    pub const FD_TELL: u64 = 1 << 5;
    pub const FD_WRITE: u64 = 1 << 6;
    pub const FD_READDIR: u64 = 1 << 14;
    pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    pub const ALL: u64 = (1 << 30) - 1;
    pub const EINVAL: u16 = 28;

    /// `path_filestat_get` below /work, not following a final symlink.
    pub fn lstat(path: &str) -> Filestat {
        let mut stat = Filestat::default();
        let errno = unsafe { path_filestat_get(PREOPEN, 0, path.as_ptr(), path.len(), &mut stat) };
        check!(errno == 0, "path_filestat_get {}: errno {}", path, errno);
        stat
    }

    pub fn set_times(path: &str, atim: u64, mtim: u64, flags: u16) -> u16 {
        unsafe { path_filestat_set_times(PREOPEN, 0, path.as_ptr(), path.len(), atim, mtim, flags) }
    }

    /// `path_open` below /work: the new fd, or the errno.
    pub fn open(path: &str, oflags: u16, base: u64, fdflags: u16) -> Result<u32, u16> {
        let mut fd = 0;
        let errno = unsafe { path_open(PREOPEN, 1, path.as_ptr(), path.len(), oflags, base, ALL, fdflags, &mut fd) };
        if errno == 0 { Ok(fd) } else { Err(errno) }
    }

    pub fn fdstat(fd: u32) -> Fdstat {
        let mut stat = Fdstat::default();
        let errno = unsafe { fd_fdstat_get(fd, &mut stat) };
        check!(errno == 0, "fd_fdstat_get {}: errno {}", fd, errno);
        stat
    }
}

fn nanos(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0)
}

fn between(value: u64, low: u64, high: u64, what: &str) {
    check!(value >= low && value <= high, "{}: {} not in [{}, {}]", what, value, low, high);
}

fn times() {
    let t0 = nanos(SystemTime::now());
    ok(fs::write("/work/t.txt", "x"), "write t.txt");
    ok(fs::create_dir("/work/tdir"), "create_dir");
    #[allow(deprecated)]
    let linked = fs::soft_link("t.txt", "/work/tlink");
    ok(linked, "soft_link");
    let t1 = nanos(SystemTime::now());
    for path in ["/work/t.txt", "/work/tdir", "/work/tlink"] {
        let meta = ok(fs::symlink_metadata(path), path);
        between(nanos(ok(meta.modified(), "modified")), t0, t1, path);
        between(nanos(ok(meta.accessed(), "accessed")), t0, t1, path);
        between(raw::lstat(&path["/work/".len()..]).ctim, t0, t1, path);
    }

    // a write moves mtime and ctime, not atime
    check!(raw::set_times("t.txt", 2_000_000_000, 1_000_000_000, raw::ATIM | raw::MTIM) == 0, "age t.txt");
    let mut file = ok(fs::OpenOptions::new().append(true).open("/work/t.txt"), "open append");
    let t0 = nanos(SystemTime::now());
    ok(file.write_all(b"y"), "write");
    let t1 = nanos(SystemTime::now());
    let meta = ok(file.metadata(), "metadata");
    between(nanos(ok(meta.modified(), "modified")), t0, t1, "mtime after a write");
    check!(nanos(ok(meta.accessed(), "accessed")) == 2_000_000_000, "atime untouched by a write");
    between(raw::lstat("t.txt").ctim, t0, t1, "ctime after a write");
    drop(file);

    // a new entry moves its directory's mtime
    check!(raw::set_times("tdir", 2_000_000_000, 1_000_000_000, raw::ATIM | raw::MTIM) == 0, "age tdir");
    let t0 = nanos(SystemTime::now());
    ok(fs::write("/work/tdir/inner.txt", ""), "write inner");
    between(nanos(ok(ok(fs::metadata("/work/tdir"), "metadata").modified(), "modified")), t0, nanos(SystemTime::now()), "directory mtime");

    // explicit times: exact on a file, a directory and a symlink itself
    for (path, at, mt) in [("t.txt", 123_000_000_456u64, 789_000_000_012u64), ("tdir", 10_000_000_001, 20_000_000_002), ("tlink", 30_000_000_003, 40_000_000_004)] {
        let target = ok(fs::metadata("/work/t.txt"), "metadata").modified().ok();
        check!(raw::set_times(path, at, mt, raw::ATIM | raw::MTIM) == 0, "set times {}", path);
        let meta = ok(fs::symlink_metadata(format!("/work/{}", path)), path);
        check!(ok(meta.accessed(), "accessed") == UNIX_EPOCH + Duration::from_nanos(at), "atime of {}", path);
        check!(ok(meta.modified(), "modified") == UNIX_EPOCH + Duration::from_nanos(mt), "mtime of {}", path);
        if path == "tlink" {
            check!(ok(fs::metadata("/work/t.txt"), "metadata").modified().ok() == target, "the link's target is untouched");
        }
    }
    check!(raw::set_times("t.txt", 1, 1, raw::ATIM | raw::ATIM_NOW) == raw::EINVAL, "ATIM with ATIM_NOW is EINVAL");
    let t0 = nanos(SystemTime::now());
    check!(raw::set_times("t.txt", 0, 0, raw::ATIM_NOW) == 0, "ATIM_NOW");
    let meta = ok(fs::metadata("/work/t.txt"), "metadata");
    between(nanos(ok(meta.accessed(), "accessed")), t0, nanos(SystemTime::now()), "ATIM_NOW atime");
    check!(nanos(ok(meta.modified(), "modified")) == 789_000_000_012, "mtime kept without MTIM");
}

fn rights() {
    ok(fs::create_dir("/work/rdir"), "create_dir rdir");
    let dir = match raw::open("rdir", raw::O_DIRECTORY, raw::ALL & !raw::FD_WRITE, 0) {
        Ok(fd) => fd,
        Err(errno) => {
            check!(false, "open rdir: errno {}", errno);
            return;
        }
    };
    let stat = raw::fdstat(dir);
    let file_only = raw::FD_SEEK | raw::FD_READ | raw::FD_WRITE | raw::FD_TELL | raw::FD_FILESTAT_SET_SIZE;
    check!(stat.filetype == 3, "a directory");
    check!(stat.rights_base & file_only == 0, "no file rights on a directory: {:#x}", stat.rights_base);
    check!(stat.rights_base & raw::FD_READDIR != 0, "FD_READDIR on a directory");
    check!(stat.rights_inheriting & raw::FD_READ != 0, "files below it may still be read");
    unsafe { raw::fd_close(dir) };
}

fn sync_flags() {
    for flag in [raw::SYNC, raw::DSYNC] {
        let fd = match raw::open("sync.txt", raw::O_CREAT, raw::FD_READ | raw::FD_WRITE, flag) {
            Ok(fd) => fd,
            Err(errno) => {
                check!(false, "open with fdflags {}: errno {}", flag, errno);
                return;
            }
        };
        check!(raw::fdstat(fd).flags & flag == flag, "fdflags {} kept", flag);
        unsafe { raw::fd_close(fd) };
    }
}

/// The WASI errno of a failed std::fs call.
fn errno<T>(result: std::io::Result<T>) -> Option<i32> {
    result.err().and_then(|e| e.raw_os_error())
}

fn trailing_slashes() {
    const ENOENT: Option<i32> = Some(44);
    const ENOTDIR: Option<i32> = Some(54);
    const EISDIR: Option<i32> = Some(31);
    const EEXIST: Option<i32> = Some(20);
    ok(fs::write("/work/file", "f"), "write file");
    ok(fs::create_dir("/work/dir"), "create_dir dir");
    #[allow(deprecated)]
    let cases: Vec<(&str, Option<i32>, Option<i32>)> = vec![
        ("hard_link to new/", errno(fs::hard_link("/work/file", "/work/new/")), ENOENT),
        ("hard_link to file/", errno(fs::hard_link("/work/file", "/work/file/")), ENOTDIR),
        ("soft_link at new/", errno(fs::soft_link("file", "/work/new/")), ENOENT),
        ("soft_link at file/", errno(fs::soft_link("file", "/work/file/")), ENOTDIR),
        ("soft_link at dir/", errno(fs::soft_link("file", "/work/dir/")), EEXIST),
        ("create new/", errno(fs::OpenOptions::new().write(true).create(true).open("/work/new/")), EISDIR),
        ("open file/", errno(fs::File::open("/work/file/")), ENOTDIR),
        ("remove_file file/", errno(fs::remove_file("/work/file/")), ENOTDIR),
        ("remove_dir file/", errno(fs::remove_dir("/work/file/")), ENOTDIR),
        ("rename to target/", errno(fs::rename("/work/file", "/work/target/")), ENOTDIR),
        ("rename file/", errno(fs::rename("/work/file/", "/work/target")), ENOTDIR),
    ];
    for (what, got, expected) in cases {
        check!(got == expected, "{}: errno {:?}, expected {:?}", what, got, expected);
    }
    check!(fs::symlink_metadata("/work/new").is_err(), "nothing called new was made");
    check!(fs::symlink_metadata("/work/target").is_err(), "nothing called target was made");
    ok(fs::create_dir("/work/made/"), "create_dir made/");
    check!(ok(fs::metadata("/work/made"), "metadata made").is_dir(), "made is a directory");
    ok(fs::rename("/work/dir/", "/work/moved/"), "a directory renames with slashes");
    ok(fs::remove_dir("/work/moved/"), "remove_dir with a slash");
}

fn main() {
    times();
    rights();
    sync_flags();
    trailing_slashes();
    println!("fs-exact-rs: ok");
}
