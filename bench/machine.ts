/** The machine a Node run measures on, for the report header and the JSON. */

import { cpus, platform, release, totalmem } from "node:os";

/** Where and with what the numbers were taken. */
export interface Machine {
  node: string;
  v8: string;
  platform: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  gcExposed: boolean;
}

/** The machine this process runs on. */
export function machine(): Machine {
  const list = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${platform()} ${release()}`,
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    gcExposed: typeof globalThis.gc === "function",
  };
}

