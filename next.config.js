// @ts-check

/**
 * Cross-origin isolation (COOP + COEP) gives the worker SharedArrayBuffer and
 * Atomics.wait, the fallback for blocking host calls where JSPI is missing.
 * @type {import('next').NextConfig}
 */
const nextConfig = {
  reactStrictMode: true,
  // wabt (the WAT build worker) requires `fs` on its Node path only; the browser gets an empty module.
  turbopack: { resolveAlias: { fs: { browser: "./lib/empty-module.ts" } } },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          { key: "Cross-Origin-Embedder-Policy", value: "require-corp" },
        ],
      },
    ];
  },
};

export default nextConfig;
