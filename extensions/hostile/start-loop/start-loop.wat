;; An infinite loop in the start function: it runs at instantiation, before any hook.
(module
  (memory (export "memory") 1)
  (func $spin
    (loop $forever
      (br $forever)))
  (func (export "on_reload"))
  (start $spin))
