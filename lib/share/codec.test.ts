import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { deflateSync } from "fflate";
import { MAX_LINK_LENGTH, decodeState, defaultShareLimits, encodeState, fragmentFor, fragmentLink, stateFromFragment } from "./codec";
import { ShareError, type ShareErrorKind } from "./errors";
import { checkShareState, fromBase64url, toBase64url, type ShareState } from "./state";

const STATE: ShareState = {
  version: 1,
  extension: { kind: "sources", language: "wat", label: "demo", tabs: [{ name: "main.wat", text: '(module (func (export "on_reload")))' }] },
  manifest: '[extension]\nname = "demo"\n',
  environment: "TERM=xterm-256color\n# a comment\n",
  stdin: "line one\n",
  args: ["--verbose"],
  files: { "/data": null, "/data/a.txt": { text: "hello" }, "/data/b.bin": { bytes: toBase64url(new Uint8Array([0, 255, 1])) } },
  selection: { event: "config.reload", payload: '{"path":"/x"}' },
};

/** Frames raw bytes as encodeState does, for hand-made bad inputs. */
function frame(deflated: Uint8Array, declared = deflated.length): Uint8Array {
  const out = new Uint8Array(5 + deflated.length);
  out[0] = 1;
  new DataView(out.buffer).setUint32(1, declared, true);
  out.set(deflated, 5);
  return out;
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** The ShareError `run` throws; checks its kind. */
function refusal(kind: ShareErrorKind, run: () => unknown): ShareError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ShareError, `expected a ShareError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    return error;
  }
  assert.fail("accepted");
}

describe("base64url", () => {
  test("round-trips every length and byte", () => {
    for (let n = 0; n < 40; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 97 + n) & 255);
      const text = toBase64url(bytes);
      assert.match(text, /^[A-Za-z0-9_-]*$/);
      assert.deepEqual(fromBase64url(text), bytes);
    }
    assert.equal(toBase64url(new Uint8Array([0xfb, 0xff])), "-_8");
  });

  test("a character outside the alphabet is named with its position", () => {
    assert.equal(refusal("not-base64url", () => fromBase64url("abc+def")).message, 'the link holds "+" at position 4, outside base64url\'s A–Z a–z 0–9 - _');
  });
});

describe("share state codec", () => {
  test("a state round-trips through the framed bytes and through a fragment", () => {
    assert.deepEqual(decodeState(encodeState(STATE)), STATE);
    const fragment = fragmentFor(STATE);
    assert.ok(fragment.startsWith("share="));
    assert.deepEqual(stateFromFragment(`#${fragment}`), STATE);
  });

  test("a link is made only while it stays under 8 KB", () => {
    const small = fragmentLink("https://play.example/", STATE);
    assert.ok(small?.startsWith("https://play.example/#share="));
    const noise = crypto.getRandomValues(new Uint8Array(12_000));
    const large: ShareState = { ...STATE, extension: { kind: "module", name: "big.wasm", bytes: toBase64url(noise) } };
    assert.equal(fragmentLink("https://play.example/", large), undefined);
    assert.deepEqual(decodeState(encodeState(large)), large);
  });

  test("truncated: a cut link, a cut frame and an empty one", () => {
    const fragment = fragmentFor(STATE);
    const whole = fragment.length - "share=".length;
    const cutAt = "share=".length + (whole - (whole % 4) - 8);
    assert.match(refusal("truncated", () => stateFromFragment(fragment.slice(0, cutAt))).message, /^the link is cut short: it holds \d+ of its \d+ compressed bytes$/);
    // 4n + 1 characters cannot come from any encoder.
    const cut = fragment.slice(0, "share=".length + 4 * 10 + 1);
    assert.match(refusal("truncated", () => stateFromFragment(cut)).message, /cannot end a byte/);
    assert.equal(refusal("truncated", () => stateFromFragment("share=")).message, "the link ends right after #share=: its data is missing");
    assert.match(refusal("truncated", () => decodeState(new Uint8Array([1, 2]))).message, /even its header takes 5/);
  });

  test("not base64url", () => {
    assert.match(refusal("not-base64url", () => stateFromFragment("share=abc%20def")).message, /"%" at position 4/);
  });

  test("not a valid deflate stream: garbage of the right length, trailing bytes, a foreign marker", () => {
    const garbage = new TextEncoder().encode("this is not deflate data at all");
    assert.match(refusal("not-deflate", () => decodeState(frame(garbage))).message, /^the link is not a valid deflate stream: /);
    const real = encodeState(STATE);
    const longer = new Uint8Array(real.length + 3);
    longer.set(real);
    assert.match(refusal("not-deflate", () => decodeState(longer)).message, /3 bytes after its \d+-byte deflate stream/);
    assert.match(refusal("not-deflate", () => decodeState(new Uint8Array([0x78, 0, 0, 0, 0]))).message, /marker/);
  });

  test("a bomb is stopped at the cap while inflating", () => {
    const bomb = frame(deflateSync(new Uint8Array(64 * 1024 * 1024).fill(32), { level: 9 }));
    assert.ok(bomb.length < 70_000);
    const limits = defaultShareLimits();
    const error = refusal("bomb", () => decodeState(bomb, limits));
    assert.match(error.message, new RegExp(`^the link inflates past ${limits.maxStateBytes} bytes \\(stopped after \\d+ bytes`));
    const stopped = Number(/stopped after (\d+)/.exec(error.message)?.[1]);
    assert.ok(stopped < limits.maxStateBytes + 2 * 1024 * 1024, `stopped within one slice's output of the cap (${stopped})`);
    // A bomb that fits a link: under 8 KB, past the cap.
    const linkBomb = toBase64url(frame(deflateSync(new Uint8Array(limits.maxStateBytes + 1).fill(32), { level: 9 })));
    assert.ok(linkBomb.length < MAX_LINK_LENGTH);
    refusal("bomb", () => stateFromFragment(`share=${linkBomb}`));
  });

  test("oversized: a fragment past 8 KB, a frame declaring more than a share holds", () => {
    assert.match(refusal("oversized", () => stateFromFragment(`share=${"A".repeat(MAX_LINK_LENGTH + 1)}`)).message, /at most 8192/);
    assert.match(refusal("oversized", () => decodeState(frame(new Uint8Array(10), 3 * 1024 * 1024))).message, /declares 3145728 compressed bytes/);
  });

  test("not JSON and not UTF-8 are schema errors", () => {
    assert.match(refusal("schema", () => decodeState(frame(deflateSync(new TextEncoder().encode("{nope"))))).message, /not JSON/);
    assert.match(refusal("schema", () => decodeState(frame(deflateSync(new Uint8Array([0xff, 0xfe]))))).message, /not UTF-8/);
  });
});

describe("share state schema and versions", () => {
  test("an unknown version is refused, naming the versions read", () => {
    assert.equal(
      refusal("unknown-version", () => decodeState(frame(deflateSync(json({ ...STATE, version: 7 }))))).message,
      "the state is version 7, made by a newer playground; this one reads versions 1–1",
    );
    assert.match(refusal("unknown-version", () => checkShareState({ ...STATE, version: 0 })).message, /older than any this playground reads/);
    assert.match(refusal("unknown-version", () => checkShareState({ ...STATE, version: "1" })).message, /no version number \(found the string "1"\)/);
  });

  test("a schema mismatch names the member at fault", () => {
    assert.equal(refusal("schema", () => checkShareState({ ...STATE, stdin: 5 })).message, "/stdin must be string");
    assert.equal(refusal("schema", () => checkShareState({ ...STATE, extra: true })).message, 'the state must NOT have additional properties: "extra"');
    assert.equal(
      refusal("schema", () => checkShareState({ ...STATE, extension: { ...STATE.extension, language: "go" } })).message,
      '/extension/language must be equal to one of the allowed values: "rust", "c", "wat"',
    );
    assert.match(refusal("schema", () => checkShareState({ ...STATE, files: { "relative.txt": { text: "" } } })).message, /^\/files /);
    assert.match(refusal("schema", () => checkShareState({ ...STATE, extension: { kind: "module", name: "x", bytes: "a+b" } })).message, /^\/extension\/bytes must match pattern/);
    assert.match(refusal("schema", () => checkShareState({ ...STATE, extension: { ...STATE.extension, tabs: [] } })).message, /^\/extension\/tabs must NOT have fewer than 1 items/);
    assert.equal(refusal("schema", () => checkShareState([1])).message, "the state must be a JSON object, found an array");
  });
});
