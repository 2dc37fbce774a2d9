/**
 * The inspector's worker: reading modules off the page's thread, so a large module never
 * freezes the page. It makes the inspector's report (`lib/inspect/`, whose rules import
 * the WASI layer's tables, which only workers load) and runs `wabt` (the WebAssembly
 * Binary Toolkit compiled to WebAssembly) to disassemble a module or assemble edited text.
 * The page reaches it through comlink (`app/components/inspector/inspector-worker.ts`).
 */

import { expose } from "comlink";
import wabtInit from "wabt";
import { inspectModule, type ModuleReport } from "../lib/inspect/inspect";
import { sizeTips, type SizeTip } from "../lib/inspect/size-tips";
import type { Manifest } from "../lib/manifest/types";

type Wabt = Awaited<ReturnType<typeof wabtInit>>;

/** Every post-MVP feature the sandbox accepts (`lib/sandbox/opcodes.ts`), for wabt's reader and parser. */
const FEATURES = {
  simd: true,
  bulk_memory: true,
  reference_types: true,
  multi_value: true,
  sign_extension: true,
  sat_float_to_int: true,
  mutable_globals: true,
  tail_call: true,
  threads: true,
} as const;

let wabt: Promise<Wabt> | undefined;

/** The answer to `disassemble`: the text, or why wabt could not read the module. */
export type DisassembleResponse = { ok: true; text: string; lines: number } | { ok: false; error: string };

/** The answer to `assemble`: the binary, or wabt's message naming the line and column. */
export type AssembleResponse = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/** The answer to `inspect`: the report and size tips, or why the module cannot be read. */
export type InspectResponse = { ok: true; report: ModuleReport; tips: SizeTip[] } | { ok: false; error: string };

const api = {
  /** The inspector's report on `bytes` against `manifest`. */
  inspect(bytes: Uint8Array, manifest: Manifest): InspectResponse {
    try {
      const report = inspectModule(bytes, manifest);
      return { ok: true, report, tips: sizeTips(report.structure) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  },

  /**
   * The module in the text format, with names from the name section (and generated ones,
   * `$f12`, where it has none) so calls and exports are readable.
   */
  async disassemble(bytes: Uint8Array): Promise<DisassembleResponse> {
    const toolkit = await (wabt ??= wabtInit());
    let module: ReturnType<Wabt["readWasm"]> | undefined;
    try {
      module = toolkit.readWasm(bytes, { readDebugNames: true, ...FEATURES });
      module.generateNames();
      module.applyNames();
      const text = module.toText({ foldExprs: false, inlineExport: true });
      let lines = 1;
      for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines++;
      return { ok: true, text, lines };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    } finally {
      module?.destroy();
    }
  },

  /**
   * Assembles WAT text into a module, with a name section from its `$names`.
   * @param fileName shown in wabt's messages (`wat-tour.wat:12:5: error: …`).
   */
  async assemble(fileName: string, text: string): Promise<AssembleResponse> {
    const toolkit = await (wabt ??= wabtInit());
    let module: ReturnType<Wabt["parseWat"]> | undefined;
    try {
      module = toolkit.parseWat(fileName, text, FEATURES);
      module.validate();
      return { ok: true, bytes: new Uint8Array(module.toBinary({ write_debug_names: true }).buffer) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    } finally {
      module?.destroy();
    }
  },
};

/** The API the page sees through comlink. */
export type InspectorWorkerApi = typeof api;

expose(api);
