;; 1,000,000 ft_log calls in one hook. The page must stay responsive: it keeps the
;; first lines of a call and counts the rest.
(module
  (import "env" "ft_log" (func $log (param i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "flood")
  (func (export "on_reload")
    (local $i i32)
    (loop $again
      (call $log (i32.const 2) (i32.const 0) (i32.const 5))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (i32.const 1000000))))))
