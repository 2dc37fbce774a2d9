// build: command
/*
 * args-env-c: WASI conformance in C (wasi-libc), run as a command.
 *
 * argv has at least argv[0] (the module's file name, ending in ".wasm"); the environment
 * holds CONFORMANCE_GREETING=hello (the page must supply it) and nothing the manifest does
 * not permit (TERM, CONFORMANCE_*): HOME is never visible. Exits 0; on the first failed
 * check prints "FAIL ..." on stderr and exits 1.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

#define CHECK(cond, what)                                                                  \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      fprintf(stderr, "FAIL line %d: %s\n", __LINE__, what);                               \
      exit(1);                                                                             \
    }                                                                                      \
  } while (0)

int main(int argc, char **argv) {
  CHECK(argc >= 1, "argc >= 1");
  size_t len = strlen(argv[0]);
  CHECK(len > 5 && strcmp(argv[0] + len - 5, ".wasm") == 0, "argv[0] is the module's file name");
  CHECK(argv[argc] == NULL, "argv ends with NULL");

  const char *greeting = getenv("CONFORMANCE_GREETING");
  CHECK(greeting != NULL, "CONFORMANCE_GREETING is set (run with CONFORMANCE_GREETING=hello)");
  CHECK(strcmp(greeting, "hello") == 0, "CONFORMANCE_GREETING is \"hello\"");
  CHECK(getenv("HOME") == NULL, "HOME is not permitted, so not visible");
  for (char **var = environ; *var != NULL; var++) {
    int permitted = strncmp(*var, "TERM=", 5) == 0 || strncmp(*var, "CONFORMANCE_", 12) == 0;
    if (!permitted) {
      fprintf(stderr, "FAIL variable not permitted by the manifest is visible: %s\n", *var);
      exit(1);
    }
  }

  printf("args-env-c: ok (argv[0]=%s, CONFORMANCE_GREETING=%s)\n", argv[0], greeting);
  return 0;
}
