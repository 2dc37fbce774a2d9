/**
 * The instruction encoding: which opcodes exist and which immediates follow each, so a
 * function body can be walked instruction by instruction without understanding it
 * (WebAssembly Core Specification 2.0, §5.4 "Instructions", plus the proposals shipped in
 * browsers since: tail calls, threads/atomics, relaxed SIMD).
 *
 * Supported: MVP, sign extension (0xC0–0xC4), non-trapping float-to-int (0xFC 0–7), bulk
 * memory and reference types (0xFC 8–17, 0xD0–0xD2, 0x25/0x26, 0x1C), multi-value block
 * types, fixed-width SIMD and relaxed SIMD (0xFD), tail calls (0x12, 0x13), atomics (0xFE).
 * Recognised but refused with a {@link WasmFormatError} (`unsupported`): exception handling,
 * typed function references and GC, whose control flow or types the fuel pass does not model.
 */

import type { BinaryReader } from "./binary-reader";
import { formatOpcode } from "./wasm-format-error";

/** The shape of an instruction's immediates (§5.4). */
export type Immediates =
  /** nothing after the opcode */
  | "none"
  /** §5.4.1 blocktype: 0x40, a value type, or an s33 type index */
  | "blockType"
  /** one u32 index (label, function, local, global, table, memory, data, element) */
  | "index"
  /** two u32 indices (call_indirect, memory.init, memory.copy, table.init, table.copy) */
  | "twoIndices"
  /** br_table: vec(labelidx) labelidx */
  | "branchTable"
  /** select t*: vec(valtype) */
  | "selectTypes"
  /** §5.4.6 memarg: align u32 (bit 6 set: a memory index follows), offset */
  | "memarg"
  /** i32.const: s32 */
  | "i32"
  /** i64.const: s64 */
  | "i64"
  /** f32.const: 4 bytes */
  | "f32"
  /** f64.const: 8 bytes */
  | "f64"
  /** ref.null: heap type (s33) */
  | "heapType"
  /** v128.const and i8x16.shuffle: 16 bytes */
  | "bytes16"
  /** extract/replace lane: one lane-index byte */
  | "lane"
  /** v128.loadN_lane / storeN_lane: memarg then a lane-index byte */
  | "memargLane"
  /** atomic.fence: one reserved byte */
  | "reservedByte";

/** What the decoder knows about one opcode. */
export interface OpcodeInfo {
  /** Text-format name, for messages. */
  readonly name: string;
  readonly immediates: Immediates;
  /** Set when the opcode is recognised but not supported: the feature it belongs to. */
  readonly unsupported?: string;
}

/** One decoded instruction. Offsets are absolute into the module. */
export interface Instruction {
  /** Offset of the (first) opcode byte. */
  readonly offset: number;
  /** Offset one past the last immediate byte. */
  readonly end: number;
  /** The first opcode byte; for prefixed instructions the prefix (0xFC, 0xFD, 0xFE). */
  readonly opcode: number;
  /** The u32 sub-opcode after a prefix, or -1. */
  readonly subOpcode: number;
  /**
   * For "index" and "twoIndices" immediates, the first index; for a block type, its type
   * index or -1 (empty or single value type); otherwise 0.
   */
  readonly firstIndex: number;
}

/** Opcode bytes the passes refer to by name. */
export const op = {
  unreachable: 0x00,
  nop: 0x01,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  brTable: 0x0e,
  return: 0x0f,
  call: 0x10,
  callIndirect: 0x11,
  returnCall: 0x12,
  returnCallIndirect: 0x13,
  drop: 0x1a,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  globalGet: 0x23,
  globalSet: 0x24,
  memorySize: 0x3f,
  memoryGrow: 0x40,
  refFunc: 0xd2,
  i32Const: 0x41,
  i64Const: 0x42,
  i32Add: 0x6a,
  i64LtS: 0x53,
  i64GtU: 0x56,
  i64Add: 0x7c,
  i64Sub: 0x7d,
  i64ExtendI32U: 0xad,
  prefixGc: 0xfb,
  prefixMisc: 0xfc,
  prefixSimd: 0xfd,
  prefixAtomic: 0xfe,
} as const;

/** 0xFC sub-opcodes whose last operand is a count of bytes or table elements. */
export const miscOp = {
  memoryInit: 8,
  memoryCopy: 10,
  memoryFill: 11,
  tableInit: 12,
  tableCopy: 14,
  tableGrow: 15,
  tableFill: 17,
} as const;

/** Value types as single bytes (§5.3.1–§5.3.4: numtype, vectype, reftype). */
export const valueTypes: ReadonlySet<number> = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f]);

/** Typed-reference value type prefixes (`ref null ht`, `ref ht`): function references / GC. */
export const typedReferencePrefixes: ReadonlySet<number> = new Set([0x63, 0x64]);

const exceptions = "exception handling";
const functionReferences = "typed function references";
const gc = "garbage collection";

function table(entries: ReadonlyArray<readonly [number, string, Immediates, string?]>): Map<number, OpcodeInfo> {
  const map = new Map<number, OpcodeInfo>();
  for (const [code, name, immediates, unsupported] of entries) {
    map.set(code, unsupported === undefined ? { name, immediates } : { name, immediates, unsupported });
  }
  return map;
}

function range(first: number, last: number, name: string, immediates: Immediates): Array<[number, string, Immediates]> {
  const out: Array<[number, string, Immediates]> = [];
  for (let code = first; code <= last; code++) out.push([code, name, immediates]);
  return out;
}

/** Single-byte opcodes (§5.4.1–§5.4.7). */
export const singleByteOpcodes: ReadonlyMap<number, OpcodeInfo> = table([
  [0x00, "unreachable", "none"],
  [0x01, "nop", "none"],
  [0x02, "block", "blockType"],
  [0x03, "loop", "blockType"],
  [0x04, "if", "blockType"],
  [0x05, "else", "none"],
  [0x06, "try", "blockType", exceptions],
  [0x07, "catch", "index", exceptions],
  [0x08, "throw", "index", exceptions],
  [0x09, "rethrow", "index", exceptions],
  [0x0a, "throw_ref", "none", exceptions],
  [0x0b, "end", "none"],
  [0x0c, "br", "index"],
  [0x0d, "br_if", "index"],
  [0x0e, "br_table", "branchTable"],
  [0x0f, "return", "none"],
  [0x10, "call", "index"],
  [0x11, "call_indirect", "twoIndices"],
  [0x12, "return_call", "index"],
  [0x13, "return_call_indirect", "twoIndices"],
  [0x14, "call_ref", "index", functionReferences],
  [0x15, "return_call_ref", "index", functionReferences],
  [0x18, "delegate", "index", exceptions],
  [0x19, "catch_all", "none", exceptions],
  [0x1a, "drop", "none"],
  [0x1b, "select", "none"],
  [0x1c, "select", "selectTypes"],
  [0x1f, "try_table", "blockType", exceptions],
  [0x20, "local.get", "index"],
  [0x21, "local.set", "index"],
  [0x22, "local.tee", "index"],
  [0x23, "global.get", "index"],
  [0x24, "global.set", "index"],
  [0x25, "table.get", "index"],
  [0x26, "table.set", "index"],
  ...range(0x28, 0x35, "load", "memarg"),
  ...range(0x36, 0x3e, "store", "memarg"),
  [0x3f, "memory.size", "index"],
  [0x40, "memory.grow", "index"],
  [0x41, "i32.const", "i32"],
  [0x42, "i64.const", "i64"],
  [0x43, "f32.const", "f32"],
  [0x44, "f64.const", "f64"],
  // 0x45–0xBF: comparisons, arithmetic, conversions; 0xC0–0xC4: sign extension.
  ...range(0x45, 0xc4, "numeric", "none"),
  [0xd0, "ref.null", "heapType"],
  [0xd1, "ref.is_null", "none"],
  [0xd2, "ref.func", "index"],
  [0xd3, "ref.eq", "none", gc],
  [0xd4, "ref.as_non_null", "none", functionReferences],
  [0xd5, "br_on_null", "index", functionReferences],
  [0xd6, "br_on_non_null", "index", functionReferences],
]);

/** 0xFC-prefixed opcodes: non-trapping float-to-int (0–7), bulk memory and tables (8–17). */
export const miscOpcodes: ReadonlyMap<number, OpcodeInfo> = table([
  ...range(0, 7, "trunc_sat", "none"),
  [8, "memory.init", "twoIndices"],
  [9, "data.drop", "index"],
  [10, "memory.copy", "twoIndices"],
  [11, "memory.fill", "index"],
  [12, "table.init", "twoIndices"],
  [13, "elem.drop", "index"],
  [14, "table.copy", "twoIndices"],
  [15, "table.grow", "index"],
  [16, "table.size", "index"],
  [17, "table.fill", "index"],
]);

/**
 * Sub-opcodes 0x00–0xFF left unassigned by the fixed-width SIMD proposal (reserved gaps in
 * its opcode table); everything else up to 0xFF, and relaxed SIMD 0x100–0x113, exists.
 */
const simdGaps: ReadonlySet<number> = new Set([
  0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb, 0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2,
  0xee,
]);

/** 0xFD-prefixed opcodes: fixed-width SIMD and relaxed SIMD. */
export const simdOpcodes: ReadonlyMap<number, OpcodeInfo> = table([
  ...range(0x00, 0x0a, "v128.load", "memarg"),
  [0x0b, "v128.store", "memarg"],
  [0x0c, "v128.const", "bytes16"],
  [0x0d, "i8x16.shuffle", "bytes16"],
  ...range(0x0e, 0x14, "simd", "none"),
  ...range(0x15, 0x22, "extract/replace_lane", "lane"),
  ...range(0x23, 0x53, "simd", "none"),
  ...range(0x54, 0x5b, "v128.load/store_lane", "memargLane"),
  [0x5c, "v128.load32_zero", "memarg"],
  [0x5d, "v128.load64_zero", "memarg"],
  ...range(0x5e, 0xff, "simd", "none").filter(([code]) => !simdGaps.has(code)),
  ...range(0x100, 0x113, "relaxed simd", "none"),
]);

/** 0xFE-prefixed opcodes: threads (atomic memory accesses, wait/notify, fence). */
export const atomicOpcodes: ReadonlyMap<number, OpcodeInfo> = table([
  [0x00, "memory.atomic.notify", "memarg"],
  [0x01, "memory.atomic.wait32", "memarg"],
  [0x02, "memory.atomic.wait64", "memarg"],
  [0x03, "atomic.fence", "reservedByte"],
  ...range(0x10, 0x4e, "atomic load/store/rmw", "memarg"),
]);

/** A map as a dense array, for decoding without hashing. */
function dense(map: ReadonlyMap<number, OpcodeInfo>): ReadonlyArray<OpcodeInfo | undefined> {
  const array = new Array<OpcodeInfo | undefined>(Math.max(...map.keys()) + 1).fill(undefined);
  for (const [code, info] of map) array[code] = info;
  return array;
}

const singleByteTable = dense(singleByteOpcodes);

/** Decoding tables by prefix byte. */
const prefixTables: ReadonlyMap<number, ReadonlyArray<OpcodeInfo | undefined>> = new Map([
  [op.prefixMisc, dense(miscOpcodes)],
  [op.prefixSimd, dense(simdOpcodes)],
  [op.prefixAtomic, dense(atomicOpcodes)],
]);

/**
 * Reads one instruction at the reader's position, skipping its immediates.
 * @throws WasmFormatError for an unknown opcode, a recognised but unsupported one
 *   (`unsupported: true`), a malformed immediate, or bytes running out.
 */
export function decodeInstruction(reader: BinaryReader): Instruction {
  const offset = reader.position;
  const opcode = reader.readByte();
  let subOpcode = -1;
  let info = singleByteTable[opcode];
  if (opcode >= op.prefixGc && opcode <= op.prefixAtomic) {
    subOpcode = reader.readU32();
    if (opcode === op.prefixGc) {
      reader.fail(`unsupported instruction ${formatOpcode(opcode, subOpcode)}: ${gc} is not supported`, offset, true);
    }
    info = prefixTables.get(opcode)?.[subOpcode];
    if (info === undefined) reader.fail(`unknown opcode ${formatOpcode(opcode, subOpcode)}`, offset);
  } else if (info === undefined) {
    reader.fail(`unknown opcode ${formatOpcode(opcode)}`, offset);
  }
  if (info.unsupported !== undefined) {
    const code = formatOpcode(opcode, subOpcode < 0 ? undefined : subOpcode);
    reader.fail(`unsupported instruction ${info.name} (${code}): ${info.unsupported} is not supported`, offset, true);
  }
  const firstIndex = skipImmediates(reader, info.immediates);
  return { offset, end: reader.position, opcode, subOpcode, firstIndex };
}

/** Skips the immediates of one instruction; returns the first index for index immediates. */
function skipImmediates(reader: BinaryReader, immediates: Immediates): number {
  switch (immediates) {
    case "none":
      return 0;
    case "blockType":
      return skipBlockType(reader);
    case "index":
      return reader.readU32();
    case "twoIndices": {
      const first = reader.readU32();
      reader.readU32();
      return first;
    }
    case "branchTable": {
      const count = reader.readU32();
      for (let i = 0; i <= count; i++) reader.readU32(); // `count` targets, then the default
      return 0;
    }
    case "selectTypes": {
      const count = reader.readU32();
      for (let i = 0; i < count; i++) skipValueType(reader);
      return 0;
    }
    case "memarg":
      skipMemarg(reader);
      return 0;
    case "i32":
      reader.readS32();
      return 0;
    case "i64":
      reader.skipLeb(64, true);
      return 0;
    case "f32":
      reader.skip(4);
      return 0;
    case "f64":
      reader.skip(8);
      return 0;
    case "heapType":
      reader.readS33();
      return 0;
    case "bytes16":
      reader.skip(16);
      return 0;
    case "lane":
      reader.skip(1);
      return 0;
    case "memargLane":
      skipMemarg(reader);
      reader.skip(1);
      return 0;
    case "reservedByte":
      reader.skip(1);
      return 0;
    default: {
      const unhandled: never = immediates;
      throw new Error(`unhandled immediates ${String(unhandled)}`);
    }
  }
}

/** §5.4.6 memarg, with the multi-memory extension (align bit 6 → memory index follows). */
function skipMemarg(reader: BinaryReader): void {
  const align = reader.readU32();
  if (align & 0x40) reader.readU32();
  reader.skipLeb(64, false); // offset: u32, or u64 with memory64; the engine checks the range
}

/**
 * §5.4.1 blocktype: 0x40 (empty), one value type, or a non-negative s33 type index.
 * @returns the type index, or -1 for the empty type or a single value type.
 * @throws WasmFormatError for a negative index or a typed-reference result type.
 */
export function skipBlockType(reader: BinaryReader): number {
  const start = reader.position;
  const first = reader.peekByte();
  if (first === 0x40 || valueTypes.has(first)) {
    reader.skip(1);
    return -1;
  }
  if (typedReferencePrefixes.has(first)) {
    reader.fail(`unsupported block type: ${functionReferences} are not supported`, start, true);
  }
  const index = reader.readS33();
  if (index < 0) reader.fail(`invalid block type 0x${first.toString(16)}`, start);
  return index;
}

/**
 * One value type byte (§5.3.1–§5.3.4).
 * @throws WasmFormatError for typed references (unsupported) or an unknown type code.
 */
export function skipValueType(reader: BinaryReader): number {
  const start = reader.position;
  const code = reader.readByte();
  if (valueTypes.has(code)) return code;
  if (typedReferencePrefixes.has(code)) {
    reader.fail(`unsupported value type: ${functionReferences} are not supported`, start, true);
  }
  return reader.fail(`invalid value type 0x${code.toString(16)}`, start);
}
