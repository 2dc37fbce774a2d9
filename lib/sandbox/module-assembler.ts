/**
 * Writes the instrumented module: the original sections in their original order, byte for
 * byte, except those replaced or removed, with new sections inserted where §5.5.2's order
 * puts them (WebAssembly Core Specification 2.0, §5.5 "Modules").
 */

import { BinaryWriter } from "./binary-writer";
import { rankOf, readVector, type RawSection } from "./module-sections";

/** Section-level changes, keyed by section id (non-custom sections only). */
export interface SectionChanges {
  /** New content for sections that exist (or should exist) in the output. */
  readonly content: ReadonlyMap<number, Uint8Array>;
  /** Sections to drop. */
  readonly removed: ReadonlySet<number>;
}

/**
 * The content of a vector-shaped section (type, function, global, export) with `extra`
 * entries appended: the new count, the original entries verbatim, then the new ones.
 * @param section the existing section, or undefined to make a new one.
 * @param extraCount number of entries encoded in `extra`.
 */
export function appendToVector(
  bytes: Uint8Array,
  section: RawSection | undefined,
  extraCount: number,
  extra: Uint8Array,
): Uint8Array {
  const out = new BinaryWriter((section ? section.end - section.contentStart : 0) + extra.length + 8);
  if (section === undefined) return out.u32(extraCount).bytes(extra).finish();
  const vector = readVector(bytes, section);
  out.u32(vector.count + extraCount);
  out.bytes(bytes.subarray(vector.itemsStart, vector.end));
  return out.bytes(extra).finish();
}

/**
 * Assembles the output module. Custom sections stay where they were; a section that did
 * not exist is inserted before the first later-ranked section (or at the end).
 */
export function assembleModule(
  bytes: Uint8Array,
  sections: readonly RawSection[],
  changes: SectionChanges,
): Uint8Array<ArrayBuffer> {
  const present = new Set(sections.map((section) => section.id));
  const pending = [...changes.content.keys()]
    .filter((id) => !present.has(id))
    .sort((a, b) => (rankOf(a) ?? 0) - (rankOf(b) ?? 0));
  const out = new BinaryWriter(bytes.length + 4096);
  out.bytes(bytes.subarray(0, 8));

  const writeSection = (id: number, content: Uint8Array) => {
    out.byte(id).u32(content.length).bytes(content);
  };
  const flushBefore = (rank: number) => {
    for (let next = pending[0]; next !== undefined && (rankOf(next) ?? 0) < rank; next = pending[0]) {
      pending.shift();
      const content = changes.content.get(next);
      if (content !== undefined) writeSection(next, content);
    }
  };

  for (const section of sections) {
    const rank = rankOf(section.id);
    if (rank !== undefined) flushBefore(rank);
    if (changes.removed.has(section.id) && rank !== undefined) continue;
    const replacement = rank !== undefined ? changes.content.get(section.id) : undefined;
    if (replacement !== undefined) writeSection(section.id, replacement);
    else out.bytes(bytes.subarray(section.offset, section.end));
  }
  flushBefore(Number.POSITIVE_INFINITY);
  return out.finish();
}
