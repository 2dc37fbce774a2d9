// Node resolves `@bytecodealliance/preview2-shim/*` to the shim's Node build, which lacks
// `createCli`; the worker uses the browser build. Unit tests of lib/wasi run that same
// browser build in Node through this resolve hook.
import { register } from "node:module";

register("./browser-shim.mjs", import.meta.url);
