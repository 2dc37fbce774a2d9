"use client";

import { useState } from "react";
import { makeShareLink } from "../../../lib/share/client";
import { ShareError } from "../../../lib/share/errors";
import { FtxError, writeFtx } from "../../../lib/share/ftx";
import type { ModuleSource, PageError } from "../use-extension-session";
import type { WorkbenchState } from "../workbench/state";
import { toShareState } from "./convert";
import { downloadBytes } from "./download";

const BUTTON = "rounded border border-zinc-700 px-3 py-1 text-sm hover:border-zinc-500 disabled:opacity-40";

interface Props {
  state: WorkbenchState;
  /** The module the page holds (built, prebuilt or uploaded), for the downloads and for sharing an upload. */
  module: ModuleSource | undefined;
  /** Shows (or, with `undefined`, clears) the page's error. */
  onError(error: PageError | undefined): void;
}

/** Share (copies a link and says so), and the downloads: the extension as a `.ftx`, the module alone as `.wasm`. */
export function ShareMenu({ state, module, onError }: Props) {
  const [sharing, setSharing] = useState(false);
  const [made, setMade] = useState<{ url: string; note: string } | undefined>();

  const share = async () => {
    const shared = toShareState(state, module);
    if (!shared) {
      onError({ title: "Nothing to share yet", message: "Open an example or a module first." });
      return;
    }
    setSharing(true);
    try {
      const link = await makeShareLink(shared, window.location.origin);
      const where = link.where === "fragment" ? "the state is in the link itself" : "the state is stored on this server";
      let copied = true;
      try {
        await navigator.clipboard.writeText(link.url);
      } catch {
        copied = false;
      }
      setMade({ url: link.url, note: copied ? `Link copied to the clipboard (${where}).` : `Copy this link (${where}); the clipboard refused.` });
      onError(undefined);
    } catch (error) {
      setMade(undefined);
      onError(error instanceof ShareError ? { title: error.title, message: error.message } : { title: "Could not share", message: String(error) });
    } finally {
      setSharing(false);
    }
  };

  const baseName = (module?.label ?? state.label ?? "extension").replace(/\.(wasm|ftx)$/, "") || "extension";
  const downloadFtx = () => {
    if (!module) return;
    try {
      downloadBytes(writeFtx({ manifestText: state.buffers.manifest, module: module.bytes }, `${baseName}.ftx`), `${baseName}.ftx`, "application/zip");
      onError(undefined);
    } catch (error) {
      onError({ title: "Could not pack the .ftx", message: error instanceof FtxError ? error.message : String(error) });
    }
  };
  const downloadWasm = () => module && downloadBytes(module.bytes, `${baseName}.wasm`, "application/wasm");

  return (
    <div className="flex min-w-0 flex-wrap items-center gap-1">
      <button type="button" onClick={() => void share()} disabled={sharing} data-testid="share-button" title="Copy a link that opens this state" className={BUTTON}>
        {sharing ? "Sharing…" : "Share"}
      </button>
      <button
        type="button"
        onClick={downloadFtx}
        disabled={!module || state.buffers.manifest.trim() === ""}
        data-testid="download-ftx"
        aria-label="Download .ftx"
        title="Download extension.toml and the module as a FrankenTerm package (frankenterm extension install NAME.ftx)"
        className={BUTTON}
      >
        .ftx
      </button>
      <button type="button" onClick={downloadWasm} disabled={!module} data-testid="download-wasm" aria-label="Download .wasm" title="Download the module alone" className={BUTTON}>
        .wasm
      </button>
      {made ? (
        <span className="flex min-w-0 items-center gap-1 text-xs text-emerald-300" data-testid="share-status" role="status">
          {made.note}
          <input
            readOnly
            value={made.url}
            data-testid="share-link"
            aria-label="Share link"
            onFocus={(e) => e.target.select()}
            className="w-48 rounded border border-zinc-700 bg-zinc-900 px-1 font-mono text-xs text-zinc-300"
          />
        </span>
      ) : null}
    </div>
  );
}
