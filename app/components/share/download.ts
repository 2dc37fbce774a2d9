/** Saves bytes as a file the browser downloads (an object URL on a transient link). */
export function downloadBytes(bytes: Uint8Array, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by now; the URL may go.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
