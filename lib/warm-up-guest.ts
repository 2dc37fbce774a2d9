/**
 * The guest of the spare Worker's warm-up (`warmUpGuest` in lib/instance.ts): a reactor that
 * makes the calls a hook usually makes (`ft_get_env`, `ft_return_buffer_read`, `ft_log`,
 * WASI `fd_write`), so that one throwaway load and call of it compiles the JavaScript of a
 * whole load and call before the page's first real one. Not an extension: no user code, no
 * state kept, dropped at once.
 *
 * The bytes are {@link WARM_UP_GUEST_WAT} assembled by wabt's `wat2wasm` (a unit test checks
 * they still are), kept as bytes so that the Worker needs no assembler.
 */

/** The guest's source. */
export const WARM_UP_GUEST_WAT = `(module
  (import "env" "ft_log" (func $log (param i32 i32 i32)))
  (import "env" "ft_get_env" (func $get (param i32 i32) (result i32)))
  (import "env" "ft_return_buffer_read" (func $read (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\\20\\00\\00\\00\\05\\00\\00\\00")
  (data (i32.const 16) "TERM")
  (data (i32.const 32) "warm\\0a")
  (func (export "_initialize"))
  (func $hook (export "on_reload")
    (drop (call $read (i32.const 64) (call $get (i32.const 16) (i32.const 4))))
    (call $log (i32.const 2) (i32.const 32) (i32.const 4))
    (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (export "on_output" (func $hook)))
`;

const BASE64 =
  "AGFzbQEAAAABGARgA39/fwBgAn9/AX9gBH9/f38Bf2AAAAJdBANlbnYGZnRfbG9nAAADZW52CmZ0X2dldF9lbnYAAQNlbnYVZnRfcmV0dXJuX2J1ZmZlcl9yZWFkAAEWd2FzaV9zbmFwc2hvdF9wcmV2aWV3MQhmZF93cml0ZQACAwMCAwMFAwEAAQcwBAZtZW1vcnkCAAtfaW5pdGlhbGl6ZQAECW9uX3JlbG9hZAAFCW9uX291dHB1dAAFCiYCAgALIQBBwABBEEEEEAEQAhpBAkEgQQQQAEEBQQBBAUEIEAMaCwshAwBBAAsIIAAAAAUAAAAAQRALBFRFUk0AQSALBXdhcm0K";

/** The guest's module bytes (252 bytes); a fresh copy each call, since a load may keep them. */
export function warmUpGuestBytes(): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(BASE64), (c) => c.charCodeAt(0));
}
