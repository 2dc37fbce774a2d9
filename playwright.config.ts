import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";

// The server inherits both (the workers too, which evaluate this file again): a build cache
// of its own per run, so a first build is a miss, and a canary variable in the server's
// environment that no built module may carry (e2e/build-route.spec.ts).
process.env.PLAYGROUND_DATA_DIR ??= mkdtempSync(join(tmpdir(), "playground-e2e-"));
process.env.PLAYGROUND_E2E_CANARY ??= `canary-${randomUUID()}`;

/** The port the production server listens on during tests (not 3000, so a served playground can keep running). */
const PORT = Number(process.env.E2E_PORT ?? 3123);

/**
 * End-to-end tests: the production build (`next start`) driven in Debian's Chromium.
 * No browser is downloaded: `executablePath` points at /usr/bin/chromium.
 */
export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: `npx next start -p ${PORT} -H 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: false,
    timeout: 120_000,
  },
});
