/**
 * An empty module, bundled in the browser in place of Node's `fs` (next.config.js): wabt's
 * single-file build requires it only on its Node path, which never runs in a Worker.
 */
export default {};
