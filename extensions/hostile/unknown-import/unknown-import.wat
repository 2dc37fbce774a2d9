;; Imports a host function FrankenTerm does not have: linking fails before anything runs.
(module
  (import "env" "ft_launch_missiles" (func $launch (param i32)))
  (memory (export "memory") 1)
  (func (export "on_reload") (call $launch (i32.const 1))))
