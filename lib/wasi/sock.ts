/**
 * `sock_accept`, `sock_recv`, `sock_send`, `sock_shutdown` (witx
 * `wasi_snapshot_preview1.witx`).
 *
 * preview1 has no way to create a socket, only to use one a host preopened, and the
 * playground preopens none (browsers have no raw sockets). As wasmtime's preview1 does
 * without sockets: an fd that is not open is `EBADF`, any other fd `ENOTSOCK`. Nothing is
 * read from or written to guest memory.
 */

import type { WasiContext } from "./context";
import { Errno } from "./errno";

function notSocket(ctx: WasiContext, fd: number): number {
  return ctx.fds.get(fd) ? Errno.NOTSOCK : Errno.BADF;
}

/** `sock_accept(fd, flags: fdflags, result: *fd) -> errno`; POSIX `accept`. */
export function sockAccept(ctx: WasiContext, fd: number, _flags: number, _resultPtr: number): number {
  return notSocket(ctx, fd);
}

/** `sock_recv(fd, ri_data: iovec_array, ri_flags, ro_datalen: *size, ro_flags: *roflags) -> errno`; POSIX `recv`. */
export function sockRecv(ctx: WasiContext, fd: number, _iovsPtr: number, _iovsLen: number, _flags: number, _lenPtr: number, _flagsPtr: number): number {
  return notSocket(ctx, fd);
}

/** `sock_send(fd, si_data: ciovec_array, si_flags, so_datalen: *size) -> errno`; POSIX `send`. */
export function sockSend(ctx: WasiContext, fd: number, _iovsPtr: number, _iovsLen: number, _flags: number, _lenPtr: number): number {
  return notSocket(ctx, fd);
}

/** `sock_shutdown(fd, how: sdflags) -> errno`; POSIX `shutdown`. */
export function sockShutdown(ctx: WasiContext, fd: number, _how: number): number {
  return notSocket(ctx, fd);
}
