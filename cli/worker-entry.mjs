// The worker_threads entry: register TypeScript and the shim mapping, then run worker.ts.
import "./register.mjs";

await import("./worker.ts");
