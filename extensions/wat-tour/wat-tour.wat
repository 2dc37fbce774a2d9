;; wat-tour: the FrankenTerm extension ABI with nothing in between.
;;
;; Every other example hides the ABI behind a language's runtime. This one is
;; written by hand in the WebAssembly text format, so each thing the host and
;; the extension agree on is visible:
;;
;;   1. the module IMPORTS the host functions (here from module "env", as the
;;      documentation does; FrankenTerm's own code registers "frankenterm"),
;;   2. the module EXPORTS its linear memory as "memory", because every host
;;      function passes strings as (pointer, length) pairs into that memory,
;;   3. every hook is an exported function taking no arguments and returning
;;      nothing; `extension.toml` maps event names to these export names,
;;   4. values come back from the host through the host's *return buffer*:
;;      a host call fills it, `ft_return_buffer_read` copies it out.
;;
;; There is no WASI here and no `_initialize`/`_start`: the module needs no
;; start-up code, so the host can call a hook right after instantiation.
;;
;; Built by scripts/build-extensions.ts with the `wabt` npm package
;; (parseWat + toBinary).

(module
  ;; ---------------------------------------------------------------------
  ;; Imports: the host ABI.
  ;;
  ;; All three take and return i32. Lengths are byte counts of UTF-8 text;
  ;; the documentation declares them u32, the host code i32, so treat them
  ;; as unsigned and never pass a negative one.
  ;; ---------------------------------------------------------------------

  ;; ft_log(level, ptr, len): log `len` bytes of UTF-8 at `ptr`.
  ;; level: 0 Trace, 1 Debug, 2 Info, 3 Warn, 4 Error.
  (import "env" "ft_log"
    (func $ft_log (param $level i32) (param $ptr i32) (param $len i32)))

  ;; ft_get_env(key_ptr, key_len) -> len
  ;; Looks the variable up, subject to [permissions] environment. On success
  ;; the value's bytes go into the return buffer and their count is returned.
  ;; -1 means "unset OR denied" (the guest cannot tell which), and then the
  ;; return buffer is NOT touched: it still holds whatever was there before.
  (import "env" "ft_get_env"
    (func $ft_get_env (param $key_ptr i32) (param $key_len i32) (result i32)))

  ;; ft_return_buffer_read(out_ptr, out_len) -> copied
  ;; Copies min(buffer length, out_len) bytes from the start of the return
  ;; buffer to `out_ptr` and returns that count. Reading does not consume
  ;; the buffer; it is never cleared.
  (import "env" "ft_return_buffer_read"
    (func $ft_return_buffer_read (param $out_ptr i32) (param $out_len i32) (result i32)))

  ;; ---------------------------------------------------------------------
  ;; Memory: one 64 KiB page, exported so the host can read our strings and
  ;; write into our buffers.
  ;;
  ;; Layout (byte offsets), fixed by hand because there is no allocator:
  ;;
  ;;       16  greeting                 (data segment)
  ;;       64  "TERM"                   (data segment, the key we look up)
  ;;       80  "TERM="                  (data segment, 5 bytes) followed by
  ;;       85  the value of TERM        (written by ft_return_buffer_read,
  ;;                                     at most 251 bytes: ends before 336)
  ;;      512  "TERM: not set or denied (-1)"
  ;;      576  "no payload in the return buffer"
  ;;     1024  "payload: "              (data segment, 9 bytes) followed by
  ;;     1033  the event payload JSON   (up to the end of the page)
  ;;
  ;; Writing the value right after its prefix lets a single ft_log call
  ;; print "TERM=xterm-256color": no string concatenation needed.
  ;; ---------------------------------------------------------------------
  (memory (export "memory") 1)

  ;; Data segments: bytes copied into memory at instantiation.
  (data (i32.const 16)   "wat-tour: hello from hand-written WebAssembly") ;; 45 bytes
  (data (i32.const 64)   "TERM")                                          ;;  4 bytes
  (data (i32.const 80)   "TERM=")                                         ;;  5 bytes
  (data (i32.const 512)  "TERM: not set or denied (-1)")                  ;; 28 bytes
  (data (i32.const 576)  "no payload in the return buffer")               ;; 31 bytes
  (data (i32.const 1024) "payload: ")                                     ;;  9 bytes

  ;; ---------------------------------------------------------------------
  ;; Hook 1, config.reload -> on_reload: the simplest possible hook.
  ;; Push (level, pointer, length) and call the import.
  ;; ---------------------------------------------------------------------
  (func (export "on_reload")
    (call $ft_log
      (i32.const 2)     ;; Info
      (i32.const 16)    ;; pointer to the greeting
      (i32.const 45)))  ;; its length in bytes

  ;; ---------------------------------------------------------------------
  ;; Hook 2, pane.focus -> on_focus: ask the host for $TERM.
  ;;
  ;; Two steps, because the host cannot write into our memory on its own
  ;; initiative (it does not know where we want the value):
  ;;   len    = ft_get_env("TERM")              ;; value -> return buffer
  ;;   copied = ft_return_buffer_read(85, 251)  ;; return buffer -> memory
  ;; `copied` can be smaller than `len` when the value is longer than our
  ;; 251-byte slot; we log what we copied.
  ;; ---------------------------------------------------------------------
  (func (export "on_focus")
    (local $len i32)
    (local $copied i32)

    (local.set $len
      (call $ft_get_env (i32.const 64) (i32.const 4)))   ;; key "TERM"

    ;; -1: unset or denied. Do not read the return buffer now, it holds
    ;; stale data from an earlier call.
    (if (i32.lt_s (local.get $len) (i32.const 0))
      (then
        (call $ft_log (i32.const 3) (i32.const 512) (i32.const 28)) ;; Warn
        (return)))

    (local.set $copied
      (call $ft_return_buffer_read (i32.const 85) (i32.const 251)))

    ;; Log "TERM=" plus the copied bytes as one message.
    (call $ft_log
      (i32.const 2)                                   ;; Info
      (i32.const 80)                                  ;; start of "TERM="
      (i32.add (i32.const 5) (local.get $copied))))   ;; prefix + value

  ;; ---------------------------------------------------------------------
  ;; Hook 3, pane.output -> on_output: read the event payload.
  ;;
  ;; The hook ABI has no arguments, and FrankenTerm has not yet defined how
  ;; a WASM hook receives its event ("ABI to be stabilized"). The playground
  ;; proposes: before calling a hook, the host puts the payload's JSON (for
  ;; pane.output: {"pane_id":..,"text":..}) into the return buffer, so the
  ;; FIRST thing a hook does is copy it out. Any host call made before that
  ;; (ft_get_env) would overwrite it.
  ;; ---------------------------------------------------------------------
  (func (export "on_output")
    (local $copied i32)

    ;; Room from 1033 to the end of the page: 65536 - 1033 = 64503 bytes.
    (local.set $copied
      (call $ft_return_buffer_read (i32.const 1033) (i32.const 64503)))

    ;; 0: empty buffer; -1: the host could not write into our memory.
    (if (i32.le_s (local.get $copied) (i32.const 0))
      (then
        (call $ft_log (i32.const 3) (i32.const 576) (i32.const 31)) ;; Warn
        (return)))

    ;; Log "payload: " plus the JSON as one message.
    (call $ft_log
      (i32.const 2)                                   ;; Info
      (i32.const 1024)                                ;; start of "payload: "
      (i32.add (i32.const 9) (local.get $copied))))
)
