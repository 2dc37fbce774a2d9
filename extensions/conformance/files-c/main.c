// build: command
/*
 * files-c: WASI conformance in C (wasi-libc), run as a command.
 *
 * Under the writable preopen /work: create, write, read back, append, seek (SET, CUR,
 * END, a negative result), pread/pwrite, truncate (ftruncate and "w"), rename across
 * directories, unlink. Leaves /work/final.txt = "files-c: ok\n". Exits 0; on the first
 * failed check prints "FAIL ..." on stderr and exits 1.
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

static void write_file(const char *path, const char *mode, const char *text) {
  FILE *f = fopen(path, mode);
  CHECK(f != NULL, path);
  CHECK(fputs(text, f) >= 0, "fputs");
  CHECK(fclose(f) == 0, "fclose");
}

static void expect_contents(const char *path, const char *expected) {
  char buf[256] = {0};
  FILE *f = fopen(path, "r");
  CHECK(f != NULL, path);
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  CHECK(fclose(f) == 0, "fclose");
  if (n != strlen(expected) || memcmp(buf, expected, n) != 0) {
    fprintf(stderr, "FAIL %s holds \"%s\", expected \"%s\"\n", path, buf, expected);
    exit(1);
  }
}

int main(void) {
  /* create, write, read back */
  write_file("/work/notes.txt", "w", "hello\n");
  expect_contents("/work/notes.txt", "hello\n");

  /* append */
  write_file("/work/notes.txt", "a", "world\n");
  expect_contents("/work/notes.txt", "hello\nworld\n");

  /* seeks */
  int fd = open("/work/notes.txt", O_RDWR);
  CHECK(fd >= 0, "open O_RDWR");
  CHECK(lseek(fd, 0, SEEK_END) == 12, "lseek SEEK_END");
  CHECK(lseek(fd, 6, SEEK_SET) == 6, "lseek SEEK_SET");
  char word[6] = {0};
  CHECK(read(fd, word, 5) == 5 && memcmp(word, "world", 5) == 0, "read after seek");
  CHECK(lseek(fd, 0, SEEK_CUR) == 11, "lseek SEEK_CUR");
  CHECK(lseek(fd, -6, SEEK_END) == 6, "lseek negative from END");
  errno = 0;
  CHECK(lseek(fd, -100, SEEK_CUR) == -1 && errno == EINVAL, "seek before the start is EINVAL");

  /* pwrite / pread leave the position alone */
  CHECK(pwrite(fd, "HELLO", 5, 0) == 5, "pwrite");
  char head[6] = {0};
  CHECK(pread(fd, head, 5, 0) == 5 && memcmp(head, "HELLO", 5) == 0, "pread");
  CHECK(lseek(fd, 0, SEEK_CUR) == 6, "position unchanged by pread/pwrite");

  /* truncate */
  CHECK(ftruncate(fd, 5) == 0, "ftruncate");
  struct stat st;
  CHECK(fstat(fd, &st) == 0 && st.st_size == 5, "size after ftruncate");
  CHECK(close(fd) == 0, "close");
  expect_contents("/work/notes.txt", "HELLO");
  write_file("/work/notes.txt", "w", "");
  CHECK(stat("/work/notes.txt", &st) == 0 && st.st_size == 0, "fopen \"w\" truncates");

  /* rename across directories */
  CHECK(mkdir("/work/a", 0755) == 0, "mkdir /work/a");
  CHECK(mkdir("/work/b", 0755) == 0, "mkdir /work/b");
  write_file("/work/a/x.txt", "w", "moved\n");
  CHECK(rename("/work/a/x.txt", "/work/b/y.txt") == 0, "rename");
  errno = 0;
  CHECK(stat("/work/a/x.txt", &st) == -1 && errno == ENOENT, "old name is gone");
  expect_contents("/work/b/y.txt", "moved\n");

  /* unlink */
  CHECK(unlink("/work/b/y.txt") == 0, "unlink");
  errno = 0;
  CHECK(open("/work/b/y.txt", O_RDONLY) == -1 && errno == ENOENT, "unlinked file is gone");

  /* a write to a read-only descriptor fails */
  fd = open("/work/notes.txt", O_RDONLY);
  CHECK(fd >= 0, "open O_RDONLY");
  errno = 0;
  CHECK(write(fd, "x", 1) == -1 && errno == EBADF, "writing a read-only fd is EBADF");
  close(fd);

  write_file("/work/final.txt", "w", "files-c: ok\n");
  printf("files-c: ok\n");
  return 0;
}
