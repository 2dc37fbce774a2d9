"use client";

const EDITOR = "w-full rounded border border-zinc-800 bg-zinc-900 p-2 font-mono text-xs";
const TITLE = "text-xs font-semibold uppercase tracking-wide text-zinc-400";

interface Props {
  env: string;
  stdin: string;
  args: string;
  /** True for a WASI command, which takes arguments. */
  command: boolean;
  fileName: string;
  onEnv(text: string): void;
  onStdin(text: string): void;
  onArgs(text: string): void;
}

/** The environment, stdin and (for a command) argv the extension sees, with when each edit takes effect. */
export function EnvironmentPanel({ env, stdin, args, command, fileName, onEnv, onStdin, onArgs }: Props) {
  return (
    <div className="space-y-4">
      <section className="space-y-1">
        <h3 className={TITLE}>Environment</h3>
        <textarea
          value={env}
          onChange={(e) => onEnv(e.target.value)}
          spellCheck={false}
          data-testid="env-editor"
          aria-label="Environment (KEY=VALUE per line)"
          className={`h-32 ${EDITOR}`}
        />
        <p className="text-xs text-zinc-500">
          KEY=VALUE per line. The extension sees only what <code>[permissions] environment</code> allows. An edit applies to the next call
          without a reload: <code>ft_get_env</code> reads the environment when it is called, as FrankenTerm does. WASI&apos;s{" "}
          <code>environ_get</code> (<code>std::env::var</code>, <code>getenv</code>) gets it at load, since libc reads it once.
        </p>
      </section>
      <section className="space-y-1">
        <h3 className={TITLE}>stdin</h3>
        <textarea
          value={stdin}
          onChange={(e) => onStdin(e.target.value)}
          spellCheck={false}
          data-testid="stdin-editor"
          aria-label="stdin"
          placeholder="What the extension reads on fd 0 (then end-of-file)"
          className={`h-20 ${EDITOR}`}
        />
        <p className="text-xs text-zinc-500">
          Read from fd 0, then end-of-file. An edit applies to the next call without a reload: fd 0 then reads the new text from its start. A
          command&apos;s Run starts afresh with it.
        </p>
      </section>
      <section className="space-y-1">
        <h3 className={TITLE}>Arguments</h3>
        <div className="flex min-w-0 items-center gap-2 font-mono text-xs">
          <span className="shrink-0 text-zinc-500">{fileName || "module.wasm"}</span>
          <input
            value={args}
            onChange={(e) => onArgs(e.target.value)}
            spellCheck={false}
            data-testid="args-input"
            aria-label="Arguments after argv[0]"
            placeholder={command ? "arguments, separated by spaces" : "a command's arguments (this module is a reactor)"}
            className="min-w-0 flex-1 rounded border border-zinc-800 bg-zinc-900 px-2 py-1"
          />
        </div>
        <p className="text-xs text-zinc-500">argv after the file name, for a WASI command; &quot;quotes&quot; group words. Used by the next Run.</p>
      </section>
    </div>
  );
}
