/** SHA-256 (FIPS 180-4) of module bytes, as lowercase hex: the cache key. Web Crypto, so it runs on the page, in workers and in Node. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
