/**
 * Validation of command and result documents against `schemas/*.schema.json` (JSON Schema
 * 2020-12) with ajv. The same schema files are used in the worker (before a command leaves
 * the guest's host) and in the route (before the executor runs it).
 */

import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import commandSchema from "../../schemas/command.schema.json" with { type: "json" };
import resultSchema from "../../schemas/result.schema.json" with { type: "json" };

/** Why a document was refused: where (a JSON Pointer into it) and what. */
export interface SchemaProblem {
  /** JSON Pointer of the offending value, `""` for the document itself. */
  path: string;
  /** ajv's message, e.g. `must be integer`. */
  message: string;
}

// Defaults matter: `unicodeRegExp` must stay true (the schemas refuse lone surrogates
// with a `u`-flag pattern); see schemas/fixtures/README.md.
const ajv = new Ajv2020({ allErrors: false });
let commandValidator: ValidateFunction | undefined;
let resultValidator: ValidateFunction | undefined;

/** Checks a parsed command document (one command or a batch). */
export function checkCommandDocument(document: unknown): SchemaProblem | undefined {
  commandValidator ??= ajv.compile(commandSchema);
  return commandValidator(document) ? undefined : mostSpecific(commandValidator.errors);
}

/** Checks a parsed executor output document. */
export function checkResultDocument(document: unknown): SchemaProblem | undefined {
  resultValidator ??= ajv.compile(resultSchema);
  return resultValidator(document) ? undefined : mostSpecific(resultValidator.errors);
}

/**
 * The error that says most: the deepest instance path, and among equals a keyword other
 * than `oneOf`/`const` (which only say that no variant matched). The schemas pick a
 * variant by `action`, so the deepest error is the one inside the variant the author meant.
 */
function mostSpecific(errors: ErrorObject[] | null | undefined): SchemaProblem {
  const all = errors ?? [];
  const best = [...all].sort((a, b) => depth(b) - depth(a) || vagueness(a) - vagueness(b))[0];
  if (!best) return { path: "", message: "does not match the schema" };
  if (best.keyword === "const") {
    // Every variant refused the same value: list what it could have been.
    const allowed = all.filter((e) => e.keyword === "const" && e.instancePath === best.instancePath).map((e) => JSON.stringify(e.params.allowedValue));
    return { path: best.instancePath, message: `must be one of ${allowed.join(", ")}` };
  }
  const extra = best.keyword === "additionalProperties" ? `: "${String(best.params.additionalProperty)}"` : "";
  return { path: best.instancePath, message: `${best.message ?? "is invalid"}${extra}` };
}

/** How little an error says: `oneOf`/`const` only that no variant matched, `type` only the kind. */
function vagueness(error: ErrorObject): number {
  if (error.keyword === "oneOf") return 3;
  if (error.keyword === "const") return 2;
  return error.keyword === "type" ? 1 : 0;
}

function depth(error: ErrorObject): number {
  return error.instancePath === "" ? 0 : error.instancePath.split("/").length;
}
