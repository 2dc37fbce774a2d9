// Makes TypeScript importable in this thread (tsx) and maps
// `@bytecodealliance/preview2-shim/*` to its browser build, which lib/wasi is written
// against (the same hook the unit tests and the bench use). Imported first by the
// launcher (bin.mjs) and by each instance's worker (worker-entry.mjs): Node 20 does not
// carry `--import` hooks into worker_threads, so every thread registers its own.
import { register } from "node:module";
import { register as registerTsx } from "tsx/esm/api";

registerTsx();
register("../scripts/test-hooks/browser-shim.mjs", import.meta.url);
