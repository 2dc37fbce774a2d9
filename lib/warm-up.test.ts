/**
 * The spare Worker's warm-up (lib/instance.ts `warmUp`): it must run every step, or a spare
 * silently compiles nothing ahead (its sample manifest is checked like any manifest).
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { warmUp, warmUpGuest } from "./instance";
import wabtInit from "wabt";
import { WARM_UP_GUEST_WAT, warmUpGuestBytes } from "./warm-up-guest";

test("warmUp runs every step on its sample manifest", () => {
  assert.equal(warmUp(), true);
});

test("warmUpGuest loads and calls its guest twice (compiled now, then from the compiled module)", async () => {
  assert.equal(await warmUpGuest(), true);
});

test("the warm-up guest's bytes are its WAT assembled (wat2wasm, no name section)", async () => {
  const module = (await wabtInit()).parseWat("warm-up.wat", WARM_UP_GUEST_WAT);
  try {
    assert.deepEqual(warmUpGuestBytes(), new Uint8Array(module.toBinary({}).buffer));
  } finally {
    module.destroy();
  }
});
