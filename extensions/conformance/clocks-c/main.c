// build: command
/*
 * clocks-c: WASI conformance in C (wasi-libc), run as a command.
 *
 * The monotonic clock never goes back; nanosleep(20 ms) really waits (poll_oneoff on a
 * clock, measured on the monotonic clock); the realtime clock is after 2020; resolutions
 * are positive; CPU-time clocks are refused. Exits 0; on the first failed check prints
 * "FAIL ..." on stderr and exits 1.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK(cond, what)                                                                  \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      fprintf(stderr, "FAIL line %d: %s (errno %d: %s)\n", __LINE__, what, errno, strerror(errno)); \
      exit(1);                                                                             \
    }                                                                                      \
  } while (0)

static int64_t nanos(clockid_t id) {
  struct timespec ts;
  CHECK(clock_gettime(id, &ts) == 0, "clock_gettime");
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(void) {
  int64_t previous = nanos(CLOCK_MONOTONIC);
  for (int i = 0; i < 1000; i++) {
    int64_t now = nanos(CLOCK_MONOTONIC);
    CHECK(now >= previous, "the monotonic clock never goes back");
    previous = now;
  }

  int64_t before = nanos(CLOCK_MONOTONIC);
  struct timespec twenty_ms = {0, 20 * 1000 * 1000};
  CHECK(nanosleep(&twenty_ms, NULL) == 0, "nanosleep");
  int64_t slept = nanos(CLOCK_MONOTONIC) - before;
  if (slept < 20 * 1000 * 1000) {
    fprintf(stderr, "FAIL nanosleep(20 ms) returned after %lld ns\n", (long long)slept);
    exit(1);
  }

  CHECK(nanos(CLOCK_REALTIME) > (int64_t)1577836800 * 1000000000, "realtime is after 2020-01-01");
  struct timespec res;
  CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0 && (res.tv_sec > 0 || res.tv_nsec > 0), "monotonic resolution");
  CHECK(clock_getres(CLOCK_REALTIME, &res) == 0 && (res.tv_sec > 0 || res.tv_nsec > 0), "realtime resolution");
  struct timespec cpu;
  CHECK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == -1, "no process CPU-time clock");

  printf("clocks-c: ok (slept %lld ms)\n", (long long)(slept / 1000000));
  return 0;
}
