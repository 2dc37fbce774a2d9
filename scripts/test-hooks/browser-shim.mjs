const SHIM = /^@bytecodealliance\/preview2-shim\/([a-z-]+)$/;

/** Maps `@bytecodealliance/preview2-shim/NAME` to `dist/browser/NAME.js`. */
export async function resolve(specifier, context, next) {
  const match = SHIM.exec(specifier);
  if (!match) return next(specifier, context);
  const nodeBuild = await next(specifier, context);
  const url = nodeBuild.url.replace(/\/dist\/nodejs\/[a-z-]+\.js$/, `/dist/browser/${match[1]}.js`);
  return { url, format: "module", shortCircuit: true };
}
