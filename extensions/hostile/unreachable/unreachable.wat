;; Executes `unreachable` two calls deep; the name section names the function.
(module
  (memory (export "memory") 1)
  (func $explode unreachable)
  (func $fuse (call $explode))
  (func (export "on_reload") (call $fuse)))
