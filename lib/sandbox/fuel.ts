/**
 * Fuel: deterministic instruction metering, injected into the code.
 *
 * The module gets a mutable `i64` global, exported as `__ft_fuel`, holding the fuel left.
 * Each function body is cut into straight-line regions at every point control can enter
 * other than by falling through: function entry, the start of a `loop` body (a branch
 * target, so loops pay per iteration), the start of `if` and `else` bodies, the code after
 * an `end` (a branch target for `block` and `if`), and the code after `br_if`. Each region
 * begins with
 *
 *     global.get $fuel  i64.const <cost>  i64.sub  global.set $fuel
 *     global.get $fuel  i64.const 0  i64.lt_s  if  unreachable  end
 *
 * where `<cost>` is the sum of the region's instruction costs, known statically. A region
 * is paid in full on entry, so the count never depends on where a trap happens inside it.
 * Calls do not end a region: the callee pays for itself, and the code after the call was
 * already paid for when the region was entered.
 * When the fuel goes below zero the code traps with the global left negative: a trap with
 * `__ft_fuel < 0` is "out of fuel". Regions of cost 0 and unreachable code (after `br`,
 * `br_table`, `return`, `unreachable`, `return_call*` up to the enclosing `end`/`else`)
 * get no check.
 *
 * Costs follow wasmtime's default operator costs (`default_operator_cost` in wasmtime's
 * `OperatorCostStrategy::Default`), so a budget means the same here as in FrankenTerm's
 * host: `nop`, `drop`, `block`, `loop`, `unreachable`, `return`, `else`, `end` cost 0 and
 * every other instruction costs 1; entering a function costs 1 more, as wasmtime's
 * `tests/all/fuel.rs` shows (`add2`, three operators, consumes 4 per call). Bulk operations
 * (`memory.copy`, `memory.fill`, `memory.init`, `table.copy`, `table.fill`, `table.init`,
 * `table.grow`) additionally cost their count operand (1 per byte or element), charged at
 * run time by the appended helper `__ft_charge_bulk`, as recent wasmtime versions do
 * (`tests/all/fuel.wast`); without it one instruction could copy 4 GiB for 1 fuel.
 *
 * Where this differs from wasmtime: a region that cannot be paid in full traps before it
 * runs, whereas wasmtime checks only at function entries and loop headers and may overrun
 * by one region; and a trap inside a region has already paid for the whole region.
 */

import type { BinaryWriter } from "./binary-writer";
import type { CodeEdit } from "./code-edits";
import { miscOp, op as opcodeBytes, type Instruction } from "./opcodes";

// A local alias: transpiled ESM turns each `op.x` on an import into a getter call.
const op = opcodeBytes;

/** Opcodes that cost nothing (wasmtime: they generate no code or only a jump). */
const freeOpcodes: ReadonlySet<number> = new Set([
  op.nop,
  op.drop,
  op.block,
  op.loop,
  op.unreachable,
  op.return,
  op.else,
  op.end,
]);

/** 0xFC sub-opcodes whose count operand (on top of the stack) is charged at run time. */
const bulkOperations: ReadonlySet<number> = new Set(Object.values(miscOp));

/** Instructions after which the rest of the enclosing block is unreachable. */
const unconditionalTransfers: ReadonlySet<number> = new Set([
  op.br,
  op.brTable,
  op.return,
  op.unreachable,
  op.returnCall,
  op.returnCallIndirect,
]);

/** Fuel charged for entering a function, on top of its instructions (as in wasmtime). */
export const functionEntryCost = 1;

/** Static fuel cost of one instruction (wasmtime's default operator cost). */
export function operatorCost(instruction: Instruction): number {
  if (instruction.subOpcode >= 0) return 1;
  return freeOpcodes.has(instruction.opcode) ? 0 : 1;
}

/** True for bulk memory/table instructions, which also pay per byte or element. */
export function isBulkOperation(instruction: Instruction): boolean {
  return instruction.opcode === op.prefixMisc && bulkOperations.has(instruction.subOpcode);
}

/**
 * Plans the fuel checks of one function body. Feed it every instruction in order with
 * {@link visit}, then call {@link finish}; it appends `charge` and `chargeBulk` edits.
 * Assumes well-nested control (the rewriter checks that).
 */
export class FuelPlanner {
  /** For each open block/loop/if: whether the code where it opened was unreachable. */
  private readonly openedDead: boolean[] = [];
  private dead = false;
  private regionStart: number;
  private regionCost = functionEntryCost;
  private regionDead = false;

  /**
   * @param codeStart offset of the body's first instruction (after the locals).
   * @param edits where planned edits are appended.
   */
  constructor(
    codeStart: number,
    private readonly edits: CodeEdit[],
  ) {
    this.regionStart = codeStart;
  }

  /** Accounts for one instruction; `depth` 0 `end` is the end of the function. */
  visit(instruction: Instruction): void {
    this.regionCost += operatorCost(instruction);
    if (isBulkOperation(instruction) && !this.dead) {
      this.edits.push({ kind: "chargeBulk", at: instruction.offset });
    }
    switch (instruction.opcode) {
      case op.block:
        this.openedDead.push(this.dead);
        break;
      case op.loop:
      case op.if:
        this.openedDead.push(this.dead);
        this.startRegion(instruction.end);
        break;
      case op.else:
        this.dead = this.openedDead[this.openedDead.length - 1] ?? false;
        this.startRegion(instruction.end);
        break;
      case op.end: {
        const opened = this.openedDead.pop();
        if (opened === undefined) return; // the function's own end: finish() closes the region
        this.dead = opened;
        this.startRegion(instruction.end);
        break;
      }
      case op.brIf:
        this.startRegion(instruction.end);
        break;
      default:
        if (instruction.subOpcode < 0 && unconditionalTransfers.has(instruction.opcode)) {
          this.dead = true;
          this.startRegion(instruction.end);
        }
    }
  }

  /** Closes the last region; call once after the function's final `end`. */
  finish(): void {
    this.closeRegion();
  }

  private startRegion(at: number): void {
    this.closeRegion();
    this.regionStart = at;
    this.regionCost = 0;
    this.regionDead = this.dead;
  }

  private closeRegion(): void {
    if (!this.regionDead && this.regionCost > 0) {
      this.edits.push({ kind: "charge", at: this.regionStart, cost: this.regionCost });
    }
  }
}

/** Writes the fuel check of a region of `cost` fuel (see the module comment). */
export function writeCharge(writer: BinaryWriter, fuelGlobal: number, cost: number): void {
  writer.byte(op.globalGet).u32(fuelGlobal);
  writer.byte(op.i64Const).s64(BigInt(cost));
  writer.byte(op.i64Sub);
  writer.byte(op.globalSet).u32(fuelGlobal);
  writeTrapIfNegative(writer, fuelGlobal);
}

/** `global.get $fuel  i64.const 0  i64.lt_s  if  unreachable  end` */
function writeTrapIfNegative(writer: BinaryWriter, fuelGlobal: number): void {
  writer.byte(op.globalGet).u32(fuelGlobal);
  writer.byte(op.i64Const).byte(0);
  writer.byte(op.i64LtS);
  writer.byte(op.if).byte(0x40);
  writer.byte(op.unreachable);
  writer.byte(op.end);
}

/**
 * The expression of `__ft_charge_bulk (param $count i32) (result i32)`: subtracts the
 * unsigned count from the fuel, traps when it goes negative, returns the count unchanged
 * so the bulk instruction after the call finds its operands as before.
 */
export function writeBulkChargeExpression(writer: BinaryWriter, fuelGlobal: number): void {
  writer.byte(op.globalGet).u32(fuelGlobal);
  writer.byte(op.localGet).u32(0);
  writer.byte(op.i64ExtendI32U);
  writer.byte(op.i64Sub);
  writer.byte(op.globalSet).u32(fuelGlobal);
  writeTrapIfNegative(writer, fuelGlobal);
  writer.byte(op.localGet).u32(0);
  writer.byte(op.end);
}
