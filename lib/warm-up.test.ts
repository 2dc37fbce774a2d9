/**
 * The spare Worker's warm-up (lib/instance.ts `warmUp`): it must run every step, or a spare
 * silently compiles nothing ahead (its sample manifest is checked like any manifest).
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { warmUp } from "./instance";

test("warmUp runs every step on its sample manifest", () => {
  assert.equal(warmUp(), true);
});
