/**
 * Reading a request body under a size cap, for every route that takes one (commands, builds
 * and formats, shares). Server only.
 */

/**
 * Reads `request`'s body, refusing it as soon as it passes `limit` bytes: at once when the
 * declared `content-length` is over it, else while streaming (the rest is not read).
 * @returns the bytes, or `"too large"`.
 */
export async function readCappedBody(request: Request, limit: number): Promise<Uint8Array | "too large"> {
  if (Number(request.headers.get("content-length") ?? "0") > limit) return "too large";
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      return "too large";
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
