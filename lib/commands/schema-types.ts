/**
 * Types of the command and result documents, generated from schemas/*.schema.json by
 * scripts/generate-command-types.ts (json-schema-to-typescript). Do not edit: change the
 * schemas and run `npx tsx scripts/generate-command-types.ts`.
 */
/**
 * What a guest may ask the native executor (executor/) to do, and the exact input the executor accepts on stdin. A document is a single command object or a batch: an array of 1 to 10000 commands, run in order, answered in one result document (result.schema.json). The executor validates with typed serde deserialisation that mirrors this schema keyword for keyword (executor/src/command.rs, executor/src/fields.rs, executor/src/limits.rs); schemas/fixtures/ holds the cases both must judge alike. Integers are JSON-safe integers (|n| <= 2^53 - 1, RFC 7493 section 2.2) because every JavaScript hop (guest host, route, ajv) holds numbers as IEEE doubles. Every string carries the pattern ^[^\uD800-\uDFFF]*$, which (with ajv's default unicodeRegExp: true) refuses unpaired surrogates such as "\ud800": JSON.parse keeps them, Rust strings cannot hold them. Lengths are counted in Unicode code points, as maxLength specifies.
 */
export type CommandDocument = Command | Batch;
/**
 * One command: an object with exactly the members `action` (which of the variants below) and `args` (whose shape the action fixes).
 */
export type Command =
  AddCommand | SubtractCommand | Sha256Command | Base64EncodeCommand | SleepMsCommand | RunBinaryCommand;
/**
 * An integer from -(2^53 - 1) to 2^53 - 1 (Number.MIN_SAFE_INTEGER to Number.MAX_SAFE_INTEGER). As JSON Schema defines `integer`, any number with a zero fractional part counts: 1.0 and 1e3 are accepted.
 */
export type SafeInteger = number;
/**
 * Any text of at most 1048576 Unicode code points (1 MiB of ASCII); the command works on its UTF-8 bytes.
 */
export type Text = string;
/**
 * The absolute path of the program, at most 4096 code points (PATH_MAX), without NUL. It must be spelled exactly as on the allow-list: there is no canonicalisation.
 */
export type BinaryPath = string;
/**
 * One argument, at most 32768 code points, without NUL (the kernel takes C strings).
 */
export type ProcessArgument = string;
/**
 * Commands run one after another by one executor process; result i answers command i. The batch is accepted or rejected as a whole: one invalid command means none runs.
 *
 * @minItems 1
 * @maxItems 10000
 */
export type Batch = [Command, ...Command[]];

/**
 * a + b. The value is the sum; a sum outside the safe-integer range is an error result with code `overflow`, never a wrapped or rounded number.
 */
export interface AddCommand {
  action: "add";
  args: IntegerPair;
}
/**
 * The operands of add and subtract.
 */
export interface IntegerPair {
  a: SafeInteger;
  b: SafeInteger;
}
/**
 * a - b. The value is the difference; a difference outside the safe-integer range is an error result with code `overflow`.
 */
export interface SubtractCommand {
  action: "subtract";
  args: IntegerPair;
}
/**
 * The SHA-256 digest (FIPS 180-4) of the UTF-8 bytes of `text`, as 64 lowercase hexadecimal digits.
 */
export interface Sha256Command {
  action: "sha256";
  args: TextArgs;
}
/**
 * The input of sha256 and base64_encode.
 */
export interface TextArgs {
  text: Text;
}
/**
 * The base64 encoding (RFC 4648 section 4: standard alphabet, `=` padding, no line breaks) of the UTF-8 bytes of `text`.
 */
export interface Base64EncodeCommand {
  action: "base64_encode";
  args: TextArgs;
}
/**
 * Blocks the executor, and so the rest of the batch, for `ms` milliseconds. The value is { "slept_ms": ms }.
 */
export interface SleepMsCommand {
  action: "sleep_ms";
  args: SleepArgs;
}
/**
 * The input of sleep_ms.
 */
export interface SleepArgs {
  /**
   * Milliseconds to sleep, 0 to 1000.
   */
  ms: number;
}
/**
 * Runs the program at `path` with `args`, without a shell, with an empty environment, stdin closed, and a time limit. Only programs on the server's allow-list (environment variable EXECUTOR_ALLOW_BINARIES: absolute paths separated by ':', matched as exact strings) may run. The list is empty by default, and then every run_binary is a valid command whose result is the error `run_binary_disabled` ("run_binary is disabled: the server's allow-list is empty"). A path not on a non-empty list gives `run_binary_not_allowed`.
 */
export interface RunBinaryCommand {
  action: "run_binary";
  args: RunBinaryArgs;
}
/**
 * The input of run_binary.
 */
export interface RunBinaryArgs {
  path: BinaryPath;
  /**
   * The program's arguments, not including argv[0]; passed as they are, nothing is expanded.
   *
   * @maxItems 256
   */
  args: ProcessArgument[];
}

/**
 * The executor (executor/) writes exactly one document, followed by a newline, for every run. Exit code 0: a result document, one result per command of the input (command.schema.json), in input order; commands that failed are results with status `error`, and the others still ran. Exit code 2: an error document with code `malformed_json` or `invalid_command`; nothing ran. Exit code 1: an error document with code `io_error` or `internal_error` (the executor failed; the input may be fine), if stdout could still be written.
 */
export type ResultDocument = ResultDocument1 | ErrorDocument;
/**
 * The result of command number `index`: status `ok` with a `value` whose shape depends on `action`, or status `error` with an `error`.
 */
export type CommandResult =
  IntegerResult | Sha256Result | Base64EncodeResult | SleepMsResult | RunBinaryResult | ErrorResult;
/**
 * The command's position in the input batch, from 0; 0 for a single command.
 */
export type Index = number;

/**
 * The input ran (exit code 0). A single command is answered like a batch of one.
 */
export interface ResultDocument1 {
  /**
   * @minItems 1
   * @maxItems 10000
   */
  results: [CommandResult, ...CommandResult[]];
}
/**
 * add or subtract succeeded: `value` is the exact result, a safe integer.
 */
export interface IntegerResult {
  index: Index;
  action: "add" | "subtract";
  status: "ok";
  value: number;
}
/**
 * sha256 succeeded: `value` is the digest in lowercase hexadecimal.
 */
export interface Sha256Result {
  index: Index;
  action: "sha256";
  status: "ok";
  value: string;
}
/**
 * base64_encode succeeded: `value` is padded standard base64 (RFC 4648 section 4).
 */
export interface Base64EncodeResult {
  index: Index;
  action: "base64_encode";
  status: "ok";
  value: string;
}
/**
 * sleep_ms succeeded: `value.slept_ms` echoes the requested duration, which the executor slept at least.
 */
export interface SleepMsResult {
  index: Index;
  action: "sleep_ms";
  status: "ok";
  value: {
    slept_ms: number;
  };
}
/**
 * run_binary started an allowed program and it ended (whatever its exit status).
 */
export interface RunBinaryResult {
  index: Index;
  action: "run_binary";
  status: "ok";
  value: {
    /**
     * The exit status, or null when a signal ended the program.
     */
    exit_code: number | null;
    /**
     * The number of the signal that ended the program, or null when it exited.
     */
    signal: number | null;
    /**
     * What the program wrote to stdout (at most 1 MiB kept), decoded as UTF-8 with invalid sequences replaced by U+FFFD.
     */
    stdout: string;
    /**
     * What the program wrote to stderr, kept and decoded like stdout.
     */
    stderr: string;
    /**
     * True when stdout or stderr is incomplete: over the cap, or still held open by a process the program left running.
     */
    truncated: boolean;
  };
}
/**
 * The command was valid but could not be carried out. The other commands of the batch are unaffected.
 */
export interface ErrorResult {
  index: Index;
  action: "add" | "subtract" | "sha256" | "base64_encode" | "sleep_ms" | "run_binary";
  status: "error";
  error: ActionError;
}
/**
 * Why a valid command failed.
 */
export interface ActionError {
  /**
   * overflow: an add/subtract result outside the safe-integer range. run_binary_disabled: the allow-list is empty. run_binary_not_allowed: the path is not on the allow-list. run_binary_failed: the program could not be started. run_binary_timeout: the program ran past its time limit (10 s) and was killed.
   */
  code: "overflow" | "run_binary_disabled" | "run_binary_not_allowed" | "run_binary_failed" | "run_binary_timeout";
  /**
   * A sentence for humans.
   */
  message: string;
}
/**
 * Nothing ran (exit code 2 for the input's fault, 1 for the executor's).
 */
export interface ErrorDocument {
  error: {
    /**
     * malformed_json (exit 2): stdin is not a JSON text the executor can read (empty, not UTF-8, a byte-order mark, bad syntax, nesting deeper than 128, a number beyond a double such as 1e400). invalid_command (exit 2): JSON that command.schema.json rejects; `path` says where. io_error (exit 1): reading stdin failed. internal_error (exit 1): a bug in the executor was caught.
     */
    code: "malformed_json" | "invalid_command" | "io_error" | "internal_error";
    /**
     * A sentence for humans naming what was wrong.
     */
    message: string;
    /**
     * Present for invalid_command only: a JSON Pointer (RFC 6901) to the offending value, such as /0/args/a; "" is the whole document. An unknown member is pointed at itself (/0/args/c); a missing one at its object (/0/args).
     */
    path?: string;
  };
}
