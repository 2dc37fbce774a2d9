/**
 * Constants and struct layouts of WASI preview1.
 *
 * Source: `typenames.witx` of the WASI repository's `legacy/preview1/witx` (the snapshot
 * wasi-libc and Rust's `wasi` crate 0.11 are generated from). Offsets are in bytes, all
 * values little-endian. Names follow the witx with an upper-case spelling.
 */

/** `$filetype` (u8). */
export const Filetype = {
  UNKNOWN: 0,
  BLOCK_DEVICE: 1,
  CHARACTER_DEVICE: 2,
  DIRECTORY: 3,
  REGULAR_FILE: 4,
  SOCKET_DGRAM: 5,
  SOCKET_STREAM: 6,
  SYMBOLIC_LINK: 7,
} as const;

/** `$fdflags` (u16). */
export const Fdflags = { APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 } as const;

/** `$lookupflags` (u32). */
export const Lookupflags = { SYMLINK_FOLLOW: 1 } as const;

/** `$oflags` (u16). */
export const Oflags = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;

/** `$fstflags` (u16). */
export const Fstflags = { ATIM: 1, ATIM_NOW: 2, MTIM: 4, MTIM_NOW: 8 } as const;

/** `$whence` (u8). */
export const Whence = { SET: 0, CUR: 1, END: 2 } as const;

/** `$advice` (u8), in witx order; the names are preview2's `advice` cases. */
export const ADVICE = ["normal", "sequential", "random", "will-need", "dont-need", "no-reuse"] as const;

/** `$eventtype` (u8), also the tag of `$subscription_u`. */
export const Eventtype = { CLOCK: 0, FD_READ: 1, FD_WRITE: 2 } as const;

/** `$subclockflags` (u16). */
export const Subclockflags = { ABSTIME: 1 } as const;

/** `$eventrwflags` (u16). */
export const Eventrwflags = { HANGUP: 1 } as const;

/**
 * `$rights` (u64). Every defined bit fits in 30 bits, so the playground keeps rights as
 * plain numbers and widens them to `u64` only when the guest reads them.
 */
export const Rights = {
  FD_DATASYNC: 1 << 0,
  FD_READ: 1 << 1,
  FD_SEEK: 1 << 2,
  FD_FDSTAT_SET_FLAGS: 1 << 3,
  FD_SYNC: 1 << 4,
  FD_TELL: 1 << 5,
  FD_WRITE: 1 << 6,
  FD_ADVISE: 1 << 7,
  FD_ALLOCATE: 1 << 8,
  PATH_CREATE_DIRECTORY: 1 << 9,
  PATH_CREATE_FILE: 1 << 10,
  PATH_LINK_SOURCE: 1 << 11,
  PATH_LINK_TARGET: 1 << 12,
  PATH_OPEN: 1 << 13,
  FD_READDIR: 1 << 14,
  PATH_READLINK: 1 << 15,
  PATH_RENAME_SOURCE: 1 << 16,
  PATH_RENAME_TARGET: 1 << 17,
  PATH_FILESTAT_GET: 1 << 18,
  PATH_FILESTAT_SET_SIZE: 1 << 19,
  PATH_FILESTAT_SET_TIMES: 1 << 20,
  FD_FILESTAT_GET: 1 << 21,
  FD_FILESTAT_SET_SIZE: 1 << 22,
  FD_FILESTAT_SET_TIMES: 1 << 23,
  PATH_SYMLINK: 1 << 24,
  PATH_REMOVE_DIRECTORY: 1 << 25,
  PATH_UNLINK_FILE: 1 << 26,
  POLL_FD_READWRITE: 1 << 27,
  SOCK_SHUTDOWN: 1 << 28,
  SOCK_ACCEPT: 1 << 29,
} as const;

/** Every defined right. */
export const ALL_RIGHTS = (1 << 30) - 1;

/**
 * Rights of a preopened directory, base and inheriting: the sets wasmtime's preview1
 * (`crates/wasi/src/p1.rs`, `fd_fdstat_get`) reports, "expected by many userlands".
 */
export const PREOPEN_RIGHTS_BASE =
  Rights.PATH_CREATE_DIRECTORY | Rights.PATH_CREATE_FILE | Rights.PATH_LINK_SOURCE | Rights.PATH_LINK_TARGET |
  Rights.PATH_OPEN | Rights.FD_READDIR | Rights.PATH_READLINK | Rights.PATH_RENAME_SOURCE |
  Rights.PATH_RENAME_TARGET | Rights.PATH_SYMLINK | Rights.PATH_REMOVE_DIRECTORY | Rights.PATH_UNLINK_FILE |
  Rights.PATH_FILESTAT_GET | Rights.PATH_FILESTAT_SET_TIMES | Rights.FD_FILESTAT_GET | Rights.FD_FILESTAT_SET_TIMES;
export const PREOPEN_RIGHTS_INHERITING =
  PREOPEN_RIGHTS_BASE | Rights.FD_DATASYNC | Rights.FD_READ | Rights.FD_SEEK | Rights.FD_FDSTAT_SET_FLAGS |
  Rights.FD_SYNC | Rights.FD_TELL | Rights.FD_WRITE | Rights.FD_ADVISE | Rights.FD_ALLOCATE |
  Rights.FD_FILESTAT_GET | Rights.FD_FILESTAT_SET_SIZE | Rights.FD_FILESTAT_SET_TIMES | Rights.POLL_FD_READWRITE;

/**
 * The most a directory opened with `path_open` can hold: the preopen's sets, the rights a
 * directory has a use for (no `FD_READ`, `FD_SEEK`, `FD_WRITE`, `FD_FILESTAT_SET_SIZE`…,
 * which only files answer). wasmtime reports the preopen sets for a preopen; for a
 * directory it opened it derives "every right minus `FD_SEEK`, `FD_WRITE` and the two
 * `*_SET_SIZE`", a set that still names file rights no directory call honours, so the
 * playground limits every directory to the preopen's sets.
 */
export const DIRECTORY_RIGHTS_BASE = PREOPEN_RIGHTS_BASE;
export const DIRECTORY_RIGHTS_INHERITING = PREOPEN_RIGHTS_INHERITING;

/** The `fdflags` an in-memory file honours by nature: every write is already synced. */
export const SYNC_FDFLAGS = Fdflags.DSYNC | Fdflags.RSYNC | Fdflags.SYNC;

/**
 * Rights whose presence in `path_open`'s `fs_rights_base` means "open for writing": the
 * set wasi-libc (`__wasilibc_nocwd_openat_nomode`) and Rust's std add for `O_WRONLY`.
 */
export const WRITE_RIGHTS = Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE;

/** Struct sizes and field offsets. */
export const Layout = {
  /** `$ciovec`/`$iovec`: buf u32 @0, buf_len u32 @4. */
  IOVEC_SIZE: 8,
  /** `$fdstat`: fs_filetype u8 @0, fs_flags u16 @2, fs_rights_base u64 @8, fs_rights_inheriting u64 @16. */
  FDSTAT_SIZE: 24,
  /** `$filestat`: dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim @40, mtim @48, ctim @56. */
  FILESTAT_SIZE: 64,
  /** `$dirent`: d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20; the name follows. */
  DIRENT_SIZE: 24,
  /** `$prestat`: tag u8 @0 (0 = dir), pr_name_len u32 @4. */
  PRESTAT_SIZE: 8,
  /**
   * `$subscription`: userdata u64 @0, tag u8 @8, then the union at @16: clock = id u32 @16,
   * timeout u64 @24, precision u64 @32, flags u16 @40; fd_read/fd_write = fd u32 @16.
   */
  SUBSCRIPTION_SIZE: 48,
  /** `$event`: userdata u64 @0, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24. */
  EVENT_SIZE: 32,
} as const;
