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
  /**
   * Bytes it would remove from this module (0 when it is already done). Negative only for
   * the size flags, when they made the module larger (shown as what they add).
   */
  readonly savesBytes: number;
  /** Why, in one sentence. */
  readonly why: string;
}

/**
 * Two builds of the editor's source, the release profile and the size profile (see
 * `BuildProfile` in lib/build/types.ts), measured by the build route.
 */
export interface SizeFlagsMeasure {
  readonly language: "rust" | "c";
  /** Bytes of the release-profile module. */
  readonly releaseBytes: number;
  /** Bytes of the size-profile module. */
  readonly sizeBytes: number;
}

/** The size profile's flags, as a reader would write them, and what they do. */
const SIZE_FLAGS: Record<SizeFlagsMeasure["language"], { flags: string; how: string }> = {
  rust: {
    flags: 'Cargo profile opt-level = "s", lto = true, codegen-units = 1 (rustc -C opt-level=s -C lto=fat -C codegen-units=1)',
    how: "link-time optimization drops the standard library code the extension never reaches",
  },
  c: { flags: "clang -Os", how: "optimizing for size instead of speed (wasi-libc is not built for LTO, so -flto drops nothing)" },
};

/** Custom sections only debuggers and profilers read (the engine ignores them). */
function isDebugSection(name: string): boolean {
  return name.startsWith(".debug") || name === "sourceMappingURL" || name === "external_debug_info";
}

/**
 * The tips for `structure`, largest saving first.
 * @param optimizedBytes the size `wasm-opt -Oz` produced for this module, when known.
 * @param sizeFlags the editor's source built with the release and the size flags, when measured.
 */
export function sizeTips(structure: ModuleStructure, optimizedBytes?: number, sizeFlags?: SizeFlagsMeasure): SizeTip[] {
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
  if (sizeFlags !== undefined) {
    const { flags, how } = SIZE_FLAGS[sizeFlags.language];
    tips.push({
      tip: flags,
      savesBytes: sizeFlags.releaseBytes - sizeFlags.sizeBytes,
      why: `the editor's source built both ways: ${sizeFlags.releaseBytes.toLocaleString("en")} bytes with the release flags → ${sizeFlags.sizeBytes.toLocaleString("en")} with these (${how})`,
    });
  }
  return tips.sort((a, b) => b.savesBytes - a.savesBytes);
}
