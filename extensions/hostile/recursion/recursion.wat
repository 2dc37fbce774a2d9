;; Unbounded recursion: exhausts the call stack.
(module
  (memory (export "memory") 1)
  (func $deeper (param $n i32) (result i32)
    (i32.add (call $deeper (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))
  (func (export "on_reload")
    (drop (call $deeper (i32.const 0)))))
