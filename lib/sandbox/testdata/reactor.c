/*
 * Test data for the instrumenter: a small WASI reactor as clang 14 + wasi-libc emit it, with
 * SIMD, bulk memory, sign extension and saturating conversions enabled so that real compiler
 * output exercises them. Built (name section kept, debug info stripped) with:
 *   clang-14 --target=wasm32-wasi -mexec-model=reactor -O2 -msimd128 -mbulk-memory -msign-ext \
 *     -mnontrapping-fptoint -Wl,--strip-debug -o reactor-c.wasm reactor.c
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int initialized;

/* Runs from _initialize, the reactor's entry point. */
__attribute__((constructor)) static void init(void) { initialized = 42; }

__attribute__((export_name("initialized"))) int get_initialized(void) { return initialized; }

/* Grows a heap buffer by doubling (realloc → sbrk → memory.grow), then hashes it (FNV-1a).
 * Returns 0xffffffff when an allocation fails. */
__attribute__((export_name("checksum"))) unsigned checksum(unsigned n) {
  unsigned char *buffer = NULL;
  size_t capacity = 0;
  for (unsigned i = 0; i < n; i++) {
    if (i == capacity) {
      capacity = capacity ? capacity * 2 : 16;
      unsigned char *grown = realloc(buffer, capacity);
      if (!grown) {
        free(buffer);
        return 0xffffffffu;
      }
      buffer = grown;
    }
    buffer[i] = (unsigned char)(i * 31u + 7u);
  }
  unsigned hash = 2166136261u;
  for (unsigned i = 0; i < n; i++) hash = (hash ^ buffer[i]) * 16777619u;
  free(buffer);
  return hash;
}

__attribute__((export_name("newton_sqrt"))) double newton_sqrt(double x) {
  double r = x > 1.0 ? x : 1.0;
  for (int i = 0; i < 40; i++) r = 0.5 * (r + x / r);
  return r;
}

/* Deep, non-tail recursion. */
__attribute__((export_name("ackermann"))) int ackermann(int m, int n) {
  if (m == 0) return n + 1;
  if (n == 0) return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}

/* Calls fd_write through wasi-libc. */
__attribute__((export_name("greet"))) int greet(void) {
  static const char message[] = "hello from C\n";
  return (int)write(1, message, sizeof message - 1);
}

static unsigned values[1024];
static unsigned char scratch[8192];

/* Auto-vectorised by clang with -msimd128. */
__attribute__((export_name("vector_sum"))) unsigned vector_sum(unsigned n) {
  if (n > 1024) n = 1024;
  for (unsigned i = 0; i < n; i++) values[i] = i * i + 3u;
  unsigned sum = 0;
  for (unsigned i = 0; i < n; i++) sum += values[i] ^ (values[i] >> 3);
  return sum;
}

/* memset and memmove of a run-time length: memory.fill and memory.copy with -mbulk-memory. */
__attribute__((export_name("fill_and_copy"))) unsigned fill_and_copy(unsigned n, int value) {
  if (n > sizeof scratch / 2) n = sizeof scratch / 2;
  memset(scratch, value, n);
  memmove(scratch + n, scratch, n);
  unsigned sum = 0;
  for (unsigned i = 0; i < 2 * n; i++) sum += scratch[i];
  return sum;
}

/* Saturating float-to-int (-mnontrapping-fptoint) and sign extension (-msign-ext). */
__attribute__((export_name("to_int"))) int to_int(double x, int byte) {
  return (int)x + (signed char)byte;
}
