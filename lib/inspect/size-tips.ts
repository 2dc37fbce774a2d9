/**
 * The documentation's "binary size tips" made concrete for one module: what each tip would
 * save on these bytes. The tips that need no optimizer are computed here from the
 * sections; what `wasm-opt -Oz` saves is measured on the server (Debian's binaryen) and
 * passed in.
 */

import type { ModuleStructure } from "./module-structure";

/** One tip and what it would save on this module. */
export interface SizeTip {
  /** What to do, as a build flag or command. */
  readonly tip: string;
  /** Bytes it would remove from this module (0 when it is already done). */
  readonly savesBytes: number;
  /** Why, in one sentence. */
  readonly why: string;
}

/** Custom sections only debuggers and profilers read (the engine ignores them). */
function isDebugSection(name: string): boolean {
  return name.startsWith(".debug") || name === "sourceMappingURL" || name === "external_debug_info";
}

/**
 * The tips for `structure`, largest saving first.
 * @param optimizedBytes the size `wasm-opt -Oz` produced for this module, when known.
 */
export function sizeTips(structure: ModuleStructure, optimizedBytes?: number): SizeTip[] {
  const custom = structure.sections.filter((s) => s.customName !== undefined);
  const sum = (pick: (name: string) => boolean) => custom.filter((s) => pick(s.customName ?? "")).reduce((n, s) => n + s.bytes, 0);
  const tips: SizeTip[] = [
    {
      tip: "rustc -C strip=debuginfo / clang without -g",
      savesBytes: sum(isDebugSection),
      why: "DWARF sections (.debug_*) are read only by debuggers",
    },
    {
      tip: "rustc -C strip=symbols / clang -s (wasm-ld --strip-all)",
      savesBytes: sum((n) => n === "name"),
      why: "the name section only names functions in stack traces, profiles and this inspector",
    },
    {
      tip: "wasm-opt --strip-producers",
      savesBytes: sum((n) => n === "producers" || n === "target_features"),
      why: "the producers and target_features sections record the toolchain; the engine ignores them",
    },
  ];
  if (optimizedBytes !== undefined) {
    tips.push({
      tip: "wasm-opt -Oz",
      savesBytes: Math.max(0, structure.byteLength - optimizedBytes),
      why: `binaryen's size optimization: ${structure.byteLength.toLocaleString("en")} → ${optimizedBytes.toLocaleString("en")} bytes`,
    });
  }
  return tips.sort((a, b) => b.savesBytes - a.savesBytes);
}
