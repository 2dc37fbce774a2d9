import assert from "node:assert/strict";
import { test } from "node:test";
import { instrument } from "./instrument";
import { wat } from "./test-support";

test("facts list every function import with its type, past memory, table and global imports", async () => {
  const bytes = await wat(`(module
    (import "env" "memory" (memory 1))
    (import "env" "ft_log" (func (param i32 i32 i32)))
    (import "env" "table" (table 1 funcref))
    (import "env" "g" (global i32))
    (import "env" "ft_get_env" (func (param i64 i32) (result i32))))`);
  assert.deepEqual(instrument(bytes, { fuel: true, memoryCap: false }).facts.functionImports, [
    { module: "env", name: "ft_log", params: ["i32", "i32", "i32"], results: [] },
    { module: "env", name: "ft_get_env", params: ["i64", "i32"], results: ["i32"] },
  ]);
});
