/** Which hooks an event calls, and in what order. */

import { subscriptionMatches } from "./events";
import type { Hook } from "./types";

/**
 * The hooks whose subscription matches `event` (exact, `*`, `prefix.*`), in manifest order.
 * FrankenTerm orders handlers by tier, then priority; within one WASM extension with no
 * priorities that is declaration order.
 */
export function matchingHooks(hooks: readonly Hook[], event: string): Hook[] {
  return hooks.filter((hook) => subscriptionMatches(hook.event, event));
}
