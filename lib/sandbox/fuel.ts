/**
 * Fuel: deterministic instruction metering, injected into the code.
 *
 * The module gets a mutable `i64` global, exported as `__ft_fuel`, holding the fuel left.
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
 * **Where it is charged.** Each function body is cut into straight-line regions at every
 * point control can enter other than by falling through: function entry, the start of a
 * `loop` body (a branch target, so loops pay per iteration), the start of `if` and `else`
 * bodies, the code after an `end` (a branch target for `block` and `if`), and the code after
 * `br_if`. A region pays its whole cost, known statically, when it is entered. Calls do not
 * end a region: the callee pays for itself. Unreachable code (after `br`, `br_table`,
 * `return`, `unreachable`, `return_call*` up to the enclosing `end`/`else`) is not charged.
 *
 * **Where the counter lives.** The scheme of wasmtime's own code generator
 * (`crates/cranelift/src/func_environ.rs`: `fuel_function_entry`, `fuel_before_op`,
 * `fuel_after_op`, `fuel_check` at loop headers): each function keeps the fuel in a local
 * `i64`, loaded from the global on entry. A region's charge is a subtraction on that local
 * (a register), not a load and store of the global. The local is written back to the global
 * where another function could read it (before every call, `return_call*`, `return`, a
 * branch out of the function and its final `end`), before the guest's own `unreachable`,
 * and on the way to an out-of-fuel trap; it is read back after every call. It is checked
 * (`< 0` traps with `unreachable`, the global written first, so a trap with
 * `__ft_fuel < 0` is "out of fuel") where control can loop or leave: function entry, loop headers, and before a call that may reach the host (an
 * imported function or `call_indirect`), `return_call*`, `return`, a branch out of the
 * function and the function's end. Every cycle of execution passes a loop header or a
 * function entry, so a budget always ends a runaway guest, and no host function runs on
 * fuel the guest does not have.
 *
 * A direct call to a function that takes fuel (`fuel-passing.ts`) passes the local as an
 * argument and takes it back from the result instead (`callWithFuel`): no write-back, no
 * read after. Such a function finds the fuel in its last parameter, so its entry is charged
 * like a loop header, and it leaves through `closeBody`, which checks the local and returns
 * it; a `return` pushes it first.
 *
 * The global-counter schemes published before (wasm-instrument's and wasmer's metering
 * middleware, one `global.get`/`global.set` pair and a check per block) keep every charge
 * in memory; the local counter is what brings metering to wasmtime's native cost.
 *
 * **Counts.** A run that completes consumes exactly the sum of its regions' costs, on every
 * run: the same as with a check per region. Where this differs from wasmtime: a region
 * that cannot be paid traps at the next check rather than wasmtime's overrun-and-clamp;
 * a trap inside a region has already paid for all of it. After a trap that is neither out
 * of fuel nor the guest's own `unreachable` (an out-of-bounds access, a division by zero),
 * `__ft_fuel` holds the value written back last (at the trapping function's last call, or
 * its caller's call into it), so it shows less than was consumed since; wasmtime's fuel
 * after such a trap is approximate in the same way (its comment in `fuel_before_op`:
 * "close to the actual amount").
 */

import { BinaryReader } from "./binary-reader";
import type { BinaryWriter } from "./binary-writer";
import type { CodeEdit, FuelEdit } from "./code-edits";
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

/** What the planner needs to know about the function it plans. */
export interface FuelFunction {
  /** The whole module (for `br_table`'s targets). */
  readonly bytes: Uint8Array;
  /** Offset of the body's first instruction (after the locals). */
  readonly codeStart: number;
  /** Index of the fuel local: the function's parameters plus its declared locals. */
  readonly local: number;
  /** Functions below this index are imports (host functions). */
  readonly importedFunctions: number;
  /**
   * True when this function takes the fuel as its last parameter and gives it back as its
   * last result (`fuel-passing.ts`); `local` is then that parameter.
   */
  readonly fuelInParam: boolean;
  /** Whether function `index` takes fuel as a parameter, so a direct call passes the local. */
  readonly takesFuel: (index: number) => boolean;
}

/**
 * Plans the fuel code of one function body. Feed it every instruction in order with
 * {@link visit}, then call {@link finish}; it appends fuel edits (the declaration of the
 * fuel local is the rewriter's: `declareFuelLocal`). Assumes well-nested control (the
 * rewriter checks that).
 */
export class FuelPlanner {
  /** For each open block/loop/if: whether the code where it opened was unreachable. */
  private readonly openedDead: boolean[] = [];
  private dead = false;
  private regionStart: number;
  private regionCost = functionEntryCost;
  private regionDead = false;
  /** How the current region's charge is checked: entry, loop header, or not at all. */
  private regionKind: "entry" | "loop" | "plain" = "entry";
  /**
   * True after a call until the next point that needs the local: the callee has changed
   * the global, so the local is read back lazily (consecutive calls need no read and write
   * in between). Every point where control can branch or join reads it back first, so at
   * every region start the local holds the fuel.
   */
  private stale = false;
  /** Whether the body has a `return_call*` (a function that takes fuel cannot: `fuel-passing.ts`). */
  sawTailCall = false;

  /** @param edits where planned edits are appended. */
  constructor(
    private readonly fn: FuelFunction,
    private readonly edits: CodeEdit[],
  ) {
    this.regionStart = fn.codeStart;
  }

  /** Accounts for one instruction; `depth` 0 `end` is the end of the function. */
  visit(instruction: Instruction): void {
    this.regionCost += operatorCost(instruction);
    const live = !this.dead;
    if (isBulkOperation(instruction) && live) {
      this.materialize(instruction.offset);
      this.edits.push({ kind: "chargeBulk", at: instruction.offset, local: this.fn.local });
    }
    switch (instruction.opcode) {
      case op.block:
        this.openedDead.push(this.dead);
        break;
      case op.loop:
        if (live) this.materialize(instruction.offset);
        this.openedDead.push(this.dead);
        this.startRegion(instruction.end, "loop");
        break;
      case op.if:
        if (live) this.materialize(instruction.offset);
        this.openedDead.push(this.dead);
        this.startRegion(instruction.end);
        break;
      case op.else:
        if (live) this.materialize(instruction.offset);
        this.dead = this.openedDead[this.openedDead.length - 1] ?? false;
        this.startRegion(instruction.end);
        break;
      case op.end: {
        const opened = this.openedDead.pop();
        if (opened === undefined) {
          // The function's own end: leaving by falling through. With the fuel in a parameter,
          // the end closes the `openBody` block, and `closeBody` after it checks and returns
          // the local, for this path and for every branch to the function's label.
          if (live) {
            if (this.fn.fuelInParam) this.materialize(instruction.offset);
            else this.leave(instruction.offset, true);
          }
          if (this.fn.fuelInParam) this.edits.push({ kind: "closeBody", at: instruction.end, local: this.fn.local });
          return; // finish() closes the region
        }
        if (live) this.materialize(instruction.offset);
        this.dead = opened;
        this.startRegion(instruction.end);
        break;
      }
      case op.brIf:
        if (live) {
          this.materialize(instruction.offset);
          if (this.leavesFunction(instruction.firstIndex)) this.leaveByBranch(instruction.offset);
        }
        this.startRegion(instruction.end);
        break;
      case op.br:
      case op.brTable:
        if (live) {
          const leaves =
            instruction.opcode === op.br ? this.leavesFunction(instruction.firstIndex) : this.tableLeavesFunction(instruction);
          if (leaves) this.leaveByBranch(instruction.offset);
          // A branch target inside the function expects the local to hold the fuel.
          if (instruction.opcode === op.brTable || !leaves || this.fn.fuelInParam) this.materialize(instruction.offset);
        }
        this.transfer(instruction);
        break;
      case op.return:
        if (this.fn.fuelInParam) {
          // Also in code this planner calls dead: a block opened there is validated as live code.
          if (live) {
            this.materialize(instruction.offset);
            this.edits.push({ kind: "check", at: instruction.offset, local: this.fn.local });
          }
          this.edits.push({ kind: "pushFuel", at: instruction.offset, local: this.fn.local });
        } else if (live) {
          this.leave(instruction.offset, true);
        }
        this.transfer(instruction);
        break;
      case op.returnCall:
      case op.returnCallIndirect:
        this.sawTailCall = true;
        if (live) this.leave(instruction.offset, true);
        this.transfer(instruction);
        break;
      case op.unreachable:
        // A trap: the count must be exact, and is "out of fuel" when already negative.
        if (live) this.leave(instruction.offset, false);
        this.transfer(instruction);
        break;
      case op.call:
      case op.callIndirect:
        if (instruction.opcode === op.call && this.fn.takesFuel(instruction.firstIndex)) {
          // The callee gets the local as an argument and gives it back: no global traffic.
          // Rewritten in dead code too, where a nested block is still validated against the new type.
          if (live) this.materialize(instruction.offset);
          this.edits.push({ kind: "callWithFuel", at: instruction.offset, end: instruction.end, callee: instruction.firstIndex, local: this.fn.local });
          break;
        }
        if (!live) break;
        // The callee reads the global; a host function must not run on fuel the guest lacks.
        this.leave(instruction.offset, instruction.opcode === op.callIndirect || instruction.firstIndex < this.fn.importedFunctions);
        this.stale = true;
        break;
    }
  }

  /** Closes the last region; call once after the function's final `end`. */
  finish(): void {
    this.closeRegion();
  }

  /** After an unconditional transfer the rest of the block is unreachable. */
  private transfer(instruction: Instruction): void {
    if (instruction.subOpcode >= 0) return;
    this.dead = true;
    this.stale = false; // unreachable code; the code after the block's end gets the fuel from branches
    this.startRegion(instruction.end);
  }

  /** True when label `depth` is the function body's own (a branch to it returns). */
  private leavesFunction(depth: number): boolean {
    return depth === this.openedDead.length;
  }

  private tableLeavesFunction(instruction: Instruction): boolean {
    const reader = new BinaryReader(this.fn.bytes, instruction.offset + 1, instruction.end, "br_table", "instruction");
    const count = reader.readU32();
    for (let i = 0; i <= count; i++) if (this.leavesFunction(reader.readU32())) return true;
    return false;
  }

  /**
   * Control leaves the function (or enters a callee) before `at`: write the local back
   * (and check it). Not needed while the local is stale: nothing has been charged since the
   * last call returned, so the global already holds the fuel, and it was checked (the
   * callee checked it before returning; a host call does not change it).
   */
  private leave(at: number, check: boolean): void {
    if (!this.stale) this.edits.push({ kind: "spill", at, local: this.fn.local, check });
  }

  /**
   * A branch to the function's own label before `at`. With the fuel in a parameter the
   * branch lands before `closeBody`, which returns the local; it is checked here all the
   * same, so the trap happens where it always did (a `br_if` not taken traps as well).
   */
  private leaveByBranch(at: number): void {
    if (!this.fn.fuelInParam) {
      this.leave(at, true);
      return;
    }
    this.materialize(at);
    this.edits.push({ kind: "check", at, local: this.fn.local });
  }

  /** Reads the global back into the local before `at` if a call has made it stale. */
  private materialize(at: number): void {
    if (!this.stale) return;
    this.edits.push({ kind: "reload", at, local: this.fn.local });
    this.stale = false;
  }

  private startRegion(at: number, kind: "loop" | "plain" = "plain"): void {
    this.closeRegion();
    this.regionStart = at;
    this.regionCost = 0;
    this.regionDead = this.dead;
    this.regionKind = kind;
  }

  private closeRegion(): void {
    if (this.regionDead || (this.regionCost === 0 && this.regionKind === "plain")) return;
    // A function that takes fuel finds it in its parameter on entry: charged like a loop header.
    const check = this.regionKind === "entry" && this.fn.fuelInParam ? "loop" : this.regionKind;
    this.edits.push({ kind: "charge", at: this.regionStart, cost: this.regionCost, local: this.fn.local, check });
  }
}

/**
 * Writes the code of one fuel edit (see the module comment):
 * - `charge`, entry: `global.get $fuel  i64.const c  i64.sub  local.tee $f` + trap check;
 * - `charge`, loop header: `local.get $f  i64.const c  i64.sub  local.tee $f` + trap check (no
 *   subtraction when the header costs 0), where the trap check is `i64.const 0  i64.lt_s  if
 *   local.get $f  global.set $fuel  unreachable  end`;
 * - `charge`, other: `local.get $f  i64.const c  i64.sub  local.set $f`;
 * - `spill`: `local.get $f  global.set $fuel`, + check when asked;
 * - `reload`: `global.get $fuel  local.set $f`;
 * - `chargeBulk`: spill, `call __ft_charge_bulk`, reload;
 * - `check`: the trap check, writing the global on the way to the trap;
 * - `pushFuel`: `local.get $f` (before a `return` of a function that takes fuel);
 * - `callWithFuel`: `local.get $f  call callee  local.set $f`;
 * - `openBody`: `block blockType`; `closeBody`: `check`, `local.get $f`, `end`;
 * where check is `local.get $f  i64.const 0  i64.lt_s  if  unreachable  end` (the spill has
 * written the global already).
 */
export function writeFuelEdit(writer: BinaryWriter, edit: FuelEdit, fuelGlobal: number, bulkFunction: number): void {
  if (edit.kind === "openBody") {
    writer.byte(op.block).byte(edit.blockType);
    return;
  }
  const local = edit.local;
  switch (edit.kind) {
    case "charge":
      if (edit.check === "plain") {
        writer.byte(op.localGet).u32(local);
        writeSubtract(writer, edit.cost);
        writer.byte(op.localSet).u32(local);
        return;
      }
      writer.byte(edit.check === "entry" ? op.globalGet : op.localGet).u32(edit.check === "entry" ? fuelGlobal : local);
      if (edit.cost > 0 || edit.check === "entry") writeSubtract(writer, edit.cost);
      writer.byte(op.localTee).u32(local);
      writeTrapIfNegativeOnStack(writer, local, fuelGlobal);
      return;
    case "spill":
      writer.byte(op.localGet).u32(local).byte(op.globalSet).u32(fuelGlobal);
      if (edit.check) writeTrapIfNegative(writer, local);
      return;
    case "reload":
      writer.byte(op.globalGet).u32(fuelGlobal).byte(op.localSet).u32(local);
      return;
    case "chargeBulk":
      writer.byte(op.localGet).u32(local).byte(op.globalSet).u32(fuelGlobal);
      writer.byte(op.call).u32(bulkFunction);
      writer.byte(op.globalGet).u32(fuelGlobal).byte(op.localSet).u32(local);
      return;
    case "check":
      writeTrapIfNegativeWritingBack(writer, local, fuelGlobal);
      return;
    case "pushFuel":
      writer.byte(op.localGet).u32(local);
      return;
    case "callWithFuel":
      writer.byte(op.localGet).u32(local);
      writer.byte(op.call).u32(edit.callee);
      writer.byte(op.localSet).u32(local);
      return;
    case "closeBody":
      writeTrapIfNegativeWritingBack(writer, local, fuelGlobal);
      writer.byte(op.localGet).u32(local);
      writer.byte(op.end);
      return;
    default: {
      const unhandled: never = edit;
      throw new Error(`unhandled fuel edit ${JSON.stringify(unhandled)}`);
    }
  }
}

function writeSubtract(writer: BinaryWriter, cost: number): void {
  writer.byte(op.i64Const).s64(BigInt(cost));
  writer.byte(op.i64Sub);
}

/**
 * `i64.const 0  i64.lt_s  if  local.get $f  global.set $fuel  unreachable  end`, the fuel on
 * the stack: the global is written only on the way to the trap, no store per iteration or call.
 */
function writeTrapIfNegativeOnStack(writer: BinaryWriter, local: number, fuelGlobal: number): void {
  writer.byte(op.i64Const).byte(0);
  writer.byte(op.i64LtS);
  writer.byte(op.if).byte(0x40);
  writer.byte(op.localGet).u32(local).byte(op.globalSet).u32(fuelGlobal);
  writer.byte(op.unreachable);
  writer.byte(op.end);
}

/** `local.get $f` + {@link writeTrapIfNegativeOnStack}. */
function writeTrapIfNegativeWritingBack(writer: BinaryWriter, local: number, fuelGlobal: number): void {
  writer.byte(op.localGet).u32(local);
  writeTrapIfNegativeOnStack(writer, local, fuelGlobal);
}

/** `local.get $f  i64.const 0  i64.lt_s  if  unreachable  end` */
function writeTrapIfNegative(writer: BinaryWriter, local: number): void {
  writer.byte(op.localGet).u32(local);
  writer.byte(op.i64Const).byte(0);
  writer.byte(op.i64LtS);
  writer.byte(op.if).byte(0x40);
  writer.byte(op.unreachable);
  writer.byte(op.end);
}

/** `global.get $fuel  i64.const 0  i64.lt_s  if  unreachable  end` */
function writeGlobalTrapIfNegative(writer: BinaryWriter, fuelGlobal: number): void {
  writer.byte(op.globalGet).u32(fuelGlobal);
  writer.byte(op.i64Const).byte(0);
  writer.byte(op.i64LtS);
  writer.byte(op.if).byte(0x40);
  writer.byte(op.unreachable);
  writer.byte(op.end);
}

/**
 * The expression of `__ft_charge_bulk (param $count i32) (result i32)`: subtracts the
 * unsigned count from the fuel global (its callers write their local back first and read
 * it again after), traps when it goes negative, returns the count unchanged so the bulk
 * instruction after the call finds its operands as before.
 */
export function writeBulkChargeExpression(writer: BinaryWriter, fuelGlobal: number): void {
  writer.byte(op.globalGet).u32(fuelGlobal);
  writer.byte(op.localGet).u32(0);
  writer.byte(op.i64ExtendI32U);
  writer.byte(op.i64Sub);
  writer.byte(op.globalSet).u32(fuelGlobal);
  writeGlobalTrapIfNegative(writer, fuelGlobal);
  writer.byte(op.localGet).u32(0);
  writer.byte(op.end);
}
