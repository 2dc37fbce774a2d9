// build: command
/*
 * stdin-c: WASI conformance in C (wasi-libc), run as a command.
 *
 * Reads all of stdin and checks it is exactly EXPECTED (below, also in the manifest's
 * description), then that a further read is end-of-file. Exits 0; otherwise prints
 * "FAIL ..." on stderr and exits 1.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char EXPECTED[] = "line one\nline two \xe2\x9c\x93\n";

int main(void) {
  char buf[1024];
  size_t total = 0;
  for (;;) {
    ssize_t n = read(0, buf + total, sizeof buf - total);
    if (n < 0) {
      perror("FAIL read(0)");
      return 1;
    }
    if (n == 0) break;
    total += (size_t)n;
    if (total == sizeof buf) break;
  }
  if (total != strlen(EXPECTED) || memcmp(buf, EXPECTED, total) != 0) {
    fprintf(stderr, "FAIL stdin was %zu bytes \"%.*s\", expected \"line one\\nline two \xe2\x9c\x93\\n\"\n", total, (int)total, buf);
    return 1;
  }
  if (read(0, buf, sizeof buf) != 0) {
    fprintf(stderr, "FAIL a read after end-of-file returned data\n");
    return 1;
  }
  printf("stdin-c: ok (%zu bytes)\n", total);
  return 0;
}
