/**
 * Reads and rewrites the code section (WebAssembly Core Specification 2.0, §5.5.13):
 * `vec(code)`, each `code` a u32 size then `vec(locals)` and the body expression.
 *
 * Two phases. {@link planCode} walks every body once, checks its structure (nesting,
 * a final `end` exactly at the end of the body) and collects the edits of the fuel and
 * memory-cap passes. {@link writeCode} then copies each body with its edits applied and
 * appends the helper functions. Locals are copied verbatim; the fuel pass appends one `i64`
 * local after them, so no existing local index changes, except in a function that takes its
 * fuel as a parameter (`fuel-passing.ts`), whose declared locals move up by one;
 * helpers are appended after every existing function, so no function index changes.
 */

import { BinaryReader } from "./binary-reader";
import { BinaryWriter } from "./binary-writer";
import { applyEdits, sortEdits, type CodeEdit, type EditWriter } from "./code-edits";
import { FuelPlanner } from "./fuel";
import { checkInstructionIndices, type IndexSpace } from "./index-space";
import { isMemoryGrow } from "./memory-cap";
import { sectionLabel, sectionReader, expectEnd, type RawSection } from "./module-sections";
import { decodeInstruction, op as opcodeBytes, skipValueType } from "./opcodes";

// A local alias: transpiled ESM turns each `op.x` on an import into a getter call.
const op = opcodeBytes;

/** One function body as found, and the edits planned for it. */
export interface PlannedBody {
  /** Function index (imports included). */
  readonly functionIndex: number;
  /** Offset of the first byte after the size (the locals vector). */
  readonly start: number;
  /** Offset one past the body's last byte (its final `end`). */
  readonly end: number;
  /** Edits sorted by offset. */
  readonly edits: readonly CodeEdit[];
}

/** The result of reading the code section. */
export interface CodePlan {
  readonly bodies: readonly PlannedBody[];
  /** Whether any live code uses a bulk operation (so `__ft_charge_bulk` is needed). */
  readonly usesBulkCharge: boolean;
  /** Number of `memory.grow` instructions redirected to `__ft_grow`. */
  readonly growSites: number;
  /** Whether some body has a `return_call*` (then no function may take fuel: `fuel-passing.ts`). */
  readonly tailCalls: boolean;
}

/** Which passes to plan. */
export interface CodePasses {
  readonly fuel: boolean;
  readonly memoryCap: boolean;
  /**
   * Parameter count of each defined function, in order (`readParamCounts`): the fuel
   * local's index is parameters + declared locals. Needed when `fuel` is set.
   */
  readonly paramCounts?: readonly number[];
  /**
   * By function index (imports included): 1 for a function that takes its fuel as its last
   * parameter and returns it as its last result (`fuel-passing.ts`). None without `fuel`.
   */
  readonly takesFuel?: Uint8Array;
  /** By defined-function index: the block type of its result (0x40 or one value type), for `openBody`. */
  readonly resultBlockTypes?: Uint8Array;
}

/**
 * Reads every body of the code section and plans the passes' edits.
 * @param firstFunctionIndex index of the first defined function (= number of imported functions).
 * @param space the original index spaces; every type, function and global index is checked.
 * @throws WasmFormatError for malformed bodies, unknown or unsupported instructions, bad
 *   nesting, or an index out of range.
 */
export function planCode(
  bytes: Uint8Array,
  section: RawSection | undefined,
  firstFunctionIndex: number,
  space: IndexSpace,
  passes: CodePasses,
): CodePlan {
  const bodies: PlannedBody[] = [];
  let usesBulkCharge = false;
  let growSites = 0;
  let tailCalls = false;
  if (section === undefined) return { bodies, usesBulkCharge, growSites, tailCalls };
  const takesFuelArray = passes.takesFuel;
  const takesFuel = (index: number): boolean => takesFuelArray?.[index] === 1;

  const reader = sectionReader(bytes, section);
  const count = reader.readU32();
  for (let i = 0; i < count; i++) {
    const functionIndex = firstFunctionIndex + i;
    const where = `${sectionLabel(section.id)}, function ${functionIndex}`;
    const size = reader.readU32();
    const body = reader.slice(size, where, "function body");
    const start = body.position;
    const locals = readLocals(body);

    const edits: CodeEdit[] = [];
    let fuel: FuelPlanner | undefined;
    /** With the fuel in a parameter: the parameter's index; local indices from it on move up by one. */
    let fuelParam = -1;
    if (passes.fuel) {
      const params = passes.paramCounts?.[i];
      if (params === undefined) throw new Error(`no parameter count for function ${functionIndex} (a bug in lib/sandbox)`);
      const fuelInParam = takesFuel(functionIndex);
      let local: number;
      if (fuelInParam) {
        fuelParam = local = params;
        edits.push({ kind: "openBody", at: body.position, blockType: passes.resultBlockTypes?.[i] ?? 0x40 });
      } else {
        const groups = bytes.subarray(locals.groupsStart, body.position);
        edits.push({ kind: "declareFuelLocal", at: start, end: body.position, groupCount: locals.groupCount, groups });
        local = params + locals.total;
      }
      const fn = { bytes, codeStart: body.position, local, importedFunctions: firstFunctionIndex, fuelInParam, takesFuel };
      fuel = new FuelPlanner(fn, edits);
    }
    const open: number[] = []; // opcodes of the open block/loop/if
    let finished = false;
    while (!body.atEnd()) {
      if (finished) body.fail("function body continues after its final end");
      const instruction = decodeInstruction(body);
      checkInstructionIndices(body, space, instruction);
      switch (instruction.opcode) {
        case op.block:
        case op.loop:
        case op.if:
          open.push(instruction.opcode);
          break;
        case op.else:
          if (open[open.length - 1] !== op.if) body.fail("else outside of an if", instruction.offset);
          open[open.length - 1] = op.else; // a second else is an error too
          break;
        case op.end:
          if (open.pop() === undefined) finished = true;
          break;
        case op.localGet:
        case op.localSet:
        case op.localTee:
          if (fuelParam >= 0 && instruction.firstIndex >= fuelParam) {
            const { offset: at, end, opcode, firstIndex: index } = instruction;
            edits.push({ kind: "renumberLocal", at, end, opcode, index });
          }
          break;
        case op.refFunc:
          // A reference is called without fuel (call_indirect, the host): it names the wrapper.
          if (takesFuel(instruction.firstIndex)) {
            edits.push({ kind: "refFunc", at: instruction.offset, end: instruction.end, function: instruction.firstIndex });
          }
          break;
        default:
          if (passes.memoryCap && isMemoryGrow(instruction)) {
            edits.push({ kind: "redirectGrow", at: instruction.offset, end: instruction.end });
            growSites++;
          }
      }
      fuel?.visit(instruction);
    }
    if (!finished) body.fail("unexpected end of function body: missing final end");
    fuel?.finish();
    if (fuel?.sawTailCall) tailCalls = true;
    if (edits.some((edit) => edit.kind === "chargeBulk")) usesBulkCharge = true;
    bodies.push({ functionIndex, start, end: body.end, edits: sortEdits(edits) });
  }
  expectEnd(reader);
  return { bodies, usesBulkCharge, growSites, tailCalls };
}

/**
 * §5.5.13 locals: vec((n: u32, t: valtype)). Returns the number of groups, where the first
 * group starts, and how many locals they declare.
 */
function readLocals(reader: BinaryReader): { groupCount: number; groupsStart: number; total: number } {
  const groupCount = reader.readU32();
  const groupsStart = reader.position;
  let total = 0;
  for (let i = 0; i < groupCount; i++) {
    total += reader.readU32();
    skipValueType(reader);
  }
  return { groupCount, groupsStart, total };
}

/**
 * Writes the content of the new code section: the planned bodies with their edits, then
 * `appended` helper bodies (each a complete expression ending in `end`, without locals).
 */
export function writeCode(
  bytes: Uint8Array,
  plan: CodePlan,
  appended: readonly ((writer: BinaryWriter) => void)[],
  writeEdit: EditWriter,
): Uint8Array {
  const out = new BinaryWriter(bytes.length + 1024);
  out.u32(plan.bodies.length + appended.length);
  for (const planned of plan.bodies) {
    if (planned.edits.length === 0) {
      out.u32(planned.end - planned.start).bytes(bytes.subarray(planned.start, planned.end));
      continue;
    }
    const rewritten = new BinaryWriter(planned.end - planned.start + planned.edits.length * 24);
    applyEdits(bytes, planned.start, planned.end, planned.edits, rewritten, writeEdit);
    out.u32(rewritten.length).bytes(rewritten.finish());
  }
  for (const writeExpression of appended) {
    const helper = new BinaryWriter(64);
    helper.u32(0); // no locals
    writeExpression(helper);
    out.u32(helper.length).bytes(helper.finish());
  }
  return out.finish();
}
