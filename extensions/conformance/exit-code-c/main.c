// build: command
/*
 * exit-code-c: WASI conformance in C (wasi-libc), run as a command.
 *
 * Prints one line, then exits with status 3 on purpose (proc_exit(3)). Expected exit
 * status: 3. Any other status means the host lost it.
 */

#include <stdio.h>
#include <stdlib.h>

int main(void) {
  printf("exit-code-c: exiting with status 3 on purpose\n");
  exit(3);
}
