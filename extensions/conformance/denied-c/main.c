// build: command
/*
 * denied-c: WASI conformance in C (wasi-libc), run as a command.
 *
 * The manifest permits reading /data and writing /data/out only. Creating
 * /data/forbidden.txt must fail with EACCES (the host audits it as fs_write Denied);
 * /data/out can be created and written; renaming out of it is EACCES; a path climbing out
 * of the preopen with ".." is EPERM. Exits 0; on the first failed check prints "FAIL ..."
 * on stderr and exits 1.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK(cond, what)                                                                  \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      fprintf(stderr, "FAIL line %d: %s (errno %d: %s)\n", __LINE__, what, errno, strerror(errno)); \
      exit(1);                                                                             \
    }                                                                                      \
  } while (0)

int main(void) {
  errno = 0;
  FILE *f = fopen("/data/forbidden.txt", "w");
  CHECK(f == NULL && errno == EACCES, "creating /data/forbidden.txt is EACCES");

  // The folder may exist already (the page's file tree has one; a second run made one).
  CHECK(mkdir("/data/out", 0755) == 0 || errno == EEXIST, "mkdir /data/out");
  f = fopen("/data/out/ok.txt", "w");
  CHECK(f != NULL, "creating /data/out/ok.txt");
  CHECK(fputs("written\n", f) >= 0 && fclose(f) == 0, "writing /data/out/ok.txt");
  f = fopen("/data/out/ok.txt", "r");
  CHECK(f != NULL, "reading /data/out/ok.txt back");
  fclose(f);

  errno = 0;
  CHECK(rename("/data/out/ok.txt", "/data/moved.txt") == -1 && errno == EACCES, "renaming out of /data/out is EACCES");
  errno = 0;
  CHECK(open("/data/../escape.txt", O_RDONLY) == -1 && errno == EPERM, "\"..\" out of the preopen is EPERM");
  errno = 0;
  CHECK(open("/data/out/../../escape.txt", O_RDONLY) == -1 && errno == EPERM, "\"..\" twice is EPERM");

  printf("denied-c: ok\n");
  return 0;
}
