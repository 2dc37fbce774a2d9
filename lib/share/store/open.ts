/**
 * The app server's store, chosen by the environment: PostgreSQL when `DATABASE_URL` is set,
 * else the filesystem under `PLAYGROUND_DATA_DIR` (default `.data/` in the working
 * directory). Opened once per process, on first use. Server only.
 */

import { join, resolve } from "node:path";
import { FilesystemStore } from "./filesystem";
import { PostgresStore } from "./postgres";
import type { ContentStore } from "./types";

/** Where the store lives, from an environment. */
export type StoreLocation = { kind: "postgres"; url: string } | { kind: "filesystem"; dir: string };

/** Reads {@link StoreLocation} from `env` (`DATABASE_URL`, `PLAYGROUND_DATA_DIR`). */
export function storeLocation(env: Record<string, string | undefined> = process.env): StoreLocation {
  if (env.DATABASE_URL) return { kind: "postgres", url: env.DATABASE_URL };
  // The ignore comment keeps Turbopack from tracing the whole project into the server output for a path only known at run time.
  const dir = env.PLAYGROUND_DATA_DIR ? resolve(/* turbopackIgnore: true */ env.PLAYGROUND_DATA_DIR) : join(process.cwd(), ".data");
  return { kind: "filesystem", dir };
}

/** Opens the store at `location`. @throws when it cannot be reached or created. */
export function openStore(location: StoreLocation): Promise<ContentStore> {
  return location.kind === "postgres" ? PostgresStore.open(location.url) : FilesystemStore.open(location.dir);
}

let shared: Promise<ContentStore> | undefined;

/** This process's store (opened on first call; a failed open is retried on the next call). */
export function appStore(): Promise<ContentStore> {
  shared ??= openStore(storeLocation()).catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
