/**
 * Stands in for Node's `fs` in browser bundles (see `turbopack.resolveAlias` in
 * next.config.js): `wabt`'s Emscripten loader names `require("fs")` but only calls it
 * when it runs under Node.
 */
export {};
