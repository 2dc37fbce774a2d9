;; An infinite loop in a hook. Fuel stops it; with fuel set very high, the wall-time
;; limit does (the worker is terminated).
(module
  (memory (export "memory") 1)
  (func $spin (export "on_reload")
    (loop $forever
      (br $forever))))
