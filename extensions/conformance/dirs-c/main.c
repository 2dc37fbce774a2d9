// build: command
/*
 * dirs-c: WASI conformance in C (wasi-libc), run as a command.
 *
 * Under the writable preopen /work: mkdir (and EEXIST), a listing with readdir (".",
 * "..", names, d_type) including a directory of 300 files with long names, so that
 * wasi-libc needs several fd_readdir calls and resumes from cookies; rmdir of a non-empty
 * directory (ENOTEMPTY), then of an empty one. Exits 0; on the first failed check prints
 * "FAIL ..." on stderr and exits 1.
 */

#include <dirent.h>
#include <errno.h>
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

#define MANY 300

static void touch(const char *path) {
  FILE *f = fopen(path, "w");
  CHECK(f != NULL, path);
  fclose(f);
}

static int compare(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(void) {
  CHECK(mkdir("/work/d", 0755) == 0, "mkdir /work/d");
  errno = 0;
  CHECK(mkdir("/work/d", 0755) == -1 && errno == EEXIST, "mkdir of an existing directory is EEXIST");
  touch("/work/d/c.txt");
  touch("/work/d/a.txt");
  touch("/work/d/b.txt");
  CHECK(mkdir("/work/d/sub", 0755) == 0, "mkdir /work/d/sub");

  DIR *dir = opendir("/work/d");
  CHECK(dir != NULL, "opendir /work/d");
  char *names[16];
  int count = 0, dots = 0, sub_is_dir = 0;
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) {
      dots++;
      continue;
    }
    CHECK(count < 16, "too many entries");
    names[count++] = strdup(entry->d_name);
    if (strcmp(entry->d_name, "sub") == 0) sub_is_dir = entry->d_type == DT_DIR;
  }
  closedir(dir);
  CHECK(dots == 2, "readdir lists . and ..");
  CHECK(sub_is_dir, "sub has d_type DT_DIR");
  qsort(names, count, sizeof names[0], compare);
  char listing[128] = {0};
  for (int i = 0; i < count; i++) {
    strcat(listing, names[i]);
    strcat(listing, i + 1 < count ? " " : "");
  }
  if (strcmp(listing, "a.txt b.txt c.txt sub") != 0) {
    fprintf(stderr, "FAIL listing is \"%s\", expected \"a.txt b.txt c.txt sub\"\n", listing);
    exit(1);
  }

  /* many entries: several fd_readdir calls, resumed from cookies */
  CHECK(mkdir("/work/many", 0755) == 0, "mkdir /work/many");
  char path[128];
  for (int i = 0; i < MANY; i++) {
    snprintf(path, sizeof path, "/work/many/a-rather-long-file-name-to-fill-the-buffer-%03d.txt", i);
    touch(path);
  }
  dir = opendir("/work/many");
  CHECK(dir != NULL, "opendir /work/many");
  int seen[MANY] = {0}, total = 0;
  while ((entry = readdir(dir)) != NULL) {
    int n;
    if (sscanf(entry->d_name, "a-rather-long-file-name-to-fill-the-buffer-%03d.txt", &n) == 1) {
      CHECK(n >= 0 && n < MANY && !seen[n], "each file listed once");
      seen[n] = 1;
      total++;
    }
  }
  closedir(dir);
  CHECK(total == MANY, "all 300 files listed");

  errno = 0;
  CHECK(rmdir("/work/d") == -1 && errno == ENOTEMPTY, "rmdir of a non-empty directory is ENOTEMPTY");
  CHECK(unlink("/work/d/a.txt") == 0 && unlink("/work/d/b.txt") == 0 && unlink("/work/d/c.txt") == 0, "unlink");
  errno = 0;
  CHECK(unlink("/work/d/sub") == -1 && (errno == EISDIR || errno == EPERM), "unlink of a directory fails");
  CHECK(rmdir("/work/d/sub") == 0, "rmdir sub");
  CHECK(rmdir("/work/d") == 0, "rmdir /work/d");
  struct stat st;
  errno = 0;
  CHECK(stat("/work/d", &st) == -1 && errno == ENOENT, "removed directory is gone");
  CHECK(stat("/work/many", &st) == 0 && S_ISDIR(st.st_mode), "stat of a directory");

  printf("dirs-c: ok\n");
  return 0;
}
