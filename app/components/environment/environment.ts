/** The page's environment editor holds `KEY=VALUE` lines; blank lines and `#` comments are skipped. */
export function parseEnvironment(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const eq = trimmed.indexOf("=");
    if (eq > 0) vars[trimmed.slice(0, eq)] = trimmed.slice(eq + 1);
  }
  return vars;
}

/** What the editor starts with: a terminal-like environment. */
export const DEFAULT_ENVIRONMENT = [
  "TERM=xterm-256color",
  "HOME=/home/user",
  "SHELL=/bin/bash",
  "LANG=en_US.UTF-8",
  "FT_THEME=dracula",
].join("\n");
