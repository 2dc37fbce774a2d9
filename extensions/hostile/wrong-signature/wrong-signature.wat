;; Imports ft_get_env with an i64 key pointer: the host refuses to link it, naming both types,
;; as wasmtime would, instead of failing at the first call.
(module
  (import "env" "ft_get_env" (func $get_env (param i64 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "on_reload") (drop (call $get_env (i64.const 0) (i32.const 4)))))
