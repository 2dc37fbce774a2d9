/** `test`'s usage: its own module, so that main.ts prints it without loading the spec code. */
export const TEST_USAGE = `usage: extension-playground test <spec.toml>… [options]

  --format tap|junit    TAP version 14 (default) or JUnit XML, on stdout
  --verbose             also print each run's output (as \`run\` does) on stderr
  --json                with --verbose: that output as JSON Lines
  --cache-dir DIR       the module cache (as for run)
  -h, --help            this text

Exit status: 0 every expectation held, 1 one did not, 2 usage, 3 a spec or a file it names
cannot be used. The spec format: cli/README.md.`;
