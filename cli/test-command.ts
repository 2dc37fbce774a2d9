export const TEST_USAGE = "usage: extension-playground test <spec.toml>… [--format tap|junit]";
export async function runTestCommand(_argv: readonly string[], _out: NodeJS.WritableStream, _err: NodeJS.WritableStream): Promise<number> {
  return 2;
}
