/**
 * Event names and subscription patterns of FrankenTerm's `src/events.rs`.
 */

/** The twelve events the host code defines, in its order. */
export const KNOWN_EVENTS = [
  "config.reload",
  "pane.focus",
  "pane.created",
  "pane.closed",
  "pane.output",
  "pane.title_changed",
  "tab.created",
  "tab.closed",
  "window.focus",
  "key.pressed",
  "session.save",
  "session.restore",
] as const;
export type KnownEvent = (typeof KNOWN_EVENTS)[number];

const PREFIXES = new Set(KNOWN_EVENTS.map((event) => event.split(".")[0]));

/**
 * Checks a subscription: an exact event name, `*`, or `prefix.*` (dot required).
 * @returns `undefined` when valid, else why not (for a manifest error).
 */
export function checkSubscription(pattern: string): string | undefined {
  if (pattern === "*" || (KNOWN_EVENTS as readonly string[]).includes(pattern)) return undefined;
  if (pattern.endsWith(".*")) {
    const prefix = pattern.slice(0, -2);
    return PREFIXES.has(prefix) ? undefined : `no event starts with "${prefix}." (known prefixes: ${[...PREFIXES].join(", ")})`;
  }
  return `unknown event "${pattern}"; expected one of ${KNOWN_EVENTS.join(", ")}, "*" or "prefix.*"`;
}

/** True when `event` is matched by the subscription `pattern` (exact, `*`, `prefix.*`). */
export function subscriptionMatches(pattern: string, event: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith(".*")) return event.startsWith(pattern.slice(0, -1));
  return pattern === event;
}
