/*
 * hello-c: a FrankenTerm extension in C, built as a WASI *reactor*.
 *
 * A reactor has no main(); the linker exports `_initialize` instead of
 * `_start`. The host must call `_initialize` once, before any hook, so that
 * wasi-libc runs its constructors. Each hook is an exported function with
 * no arguments.
 *
 * The host functions are imported from module `env`, as the documentation
 * does (FrankenTerm's code registers them under `frankenterm`; see
 * extensions/env-reader for that form).
 *
 * stdout is buffered by wasi-libc; without fflush() the line would sit in
 * the buffer until the buffer fills or the program exits, and a reactor
 * never exits. So every hook that prints flushes.
 *
 * Build (see scripts/build-extensions.ts):
 *   clang-14 --target=wasm32-wasi -mexec-model=reactor -O2 -Wl,--strip-all \
 *            -o hello-c.wasm main.c
 */

#include <stdio.h>
#include <string.h>

/* level: 0=Trace, 1=Debug, 2=Info, 3=Warn, 4=Error */
__attribute__((import_module("env"), import_name("ft_log")))
void ft_log(int level, const char *msg, unsigned int len);

enum { FT_TRACE = 0, FT_DEBUG = 1, FT_INFO = 2, FT_WARN = 3, FT_ERROR = 4 };

static void log_str(int level, const char *msg) {
    ft_log(level, msg, (unsigned int)strlen(msg));
}

/* config.reload */
__attribute__((export_name("on_reload")))
void on_reload(void) {
    log_str(FT_INFO, "info: hello from C");
    log_str(FT_WARN, "warn: hello from C");
    printf("hello from C, stdout\n");
    fflush(stdout);
}
