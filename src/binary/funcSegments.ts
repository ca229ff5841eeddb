/**
 * Per-function line segments: the function's PCs cut into maximal runs of
 * constant (file, line, inline index), merged from the pcfile, pcln and
 * PCDATA_InlTreeIndex tables. Each segment start is a PC where a new source
 * line (or a new inlined copy of one) begins.
 */
import type { PcTable } from './pcvalue.js';

/** Ints per segment in Segments.data. */
export const SEG = 4;

/**
 * Segment i is data[SEG*i .. SEG*i+3] = [start offset from the entry, file id
 * (filetab offset, -1 unknown), line (-1 unknown), innermost inline-tree index
 * (-1: the function's own code)]. A segment ends where the next starts (the
 * last at the function's size).
 */
export interface Segments {
  readonly count: number;
  readonly data: Int32Array;
}

/**
 * Merges the tables over [0, size). `fileId` maps a pcfile value (a CU-local
 * file number) to a file id. Past a table's end its value is -1, as in gosym.
 */
export function mergeSegments(size: number, file: PcTable, line: PcTable, inl: PcTable | undefined, fileId: (v: number) => number): Segments {
  const inlT = inl ?? new Int32Array(0);
  const nf = file.length;
  const nl = line.length;
  const ni = inlT.length;
  // Every segment starts at 0 or at a run end: an upper bound on the count.
  const out = new Int32Array(SEG * ((nf + nl + ni) / 2 + 1));
  let count = 0;
  let fi = 0;
  let li = 0;
  let ii = 0;
  let pos = 0;
  let lastFileVal = NaN;
  let lastFileId = -1;
  while (pos < size) {
    // Skip runs that end at or before pos (including empty runs).
    while (fi < nf && file[fi]! <= pos) fi += 2;
    while (li < nl && line[li]! <= pos) li += 2;
    while (ii < ni && inlT[ii]! <= pos) ii += 2;
    const fv = fi < nf ? file[fi + 1]! : -1;
    const lv = li < nl ? line[li + 1]! : -1;
    const iv = ii < ni ? inlT[ii + 1]! : -1;
    let next = size;
    if (fi < nf && file[fi]! < next) next = file[fi]!;
    if (li < nl && line[li]! < next) next = line[li]!;
    if (ii < ni && inlT[ii]! < next) next = inlT[ii]!;
    if (fv !== lastFileVal) {
      lastFileVal = fv;
      lastFileId = fv < 0 ? -1 : fileId(fv);
    }
    const q = SEG * (count - 1);
    if (count === 0 || out[q + 1] !== lastFileId || out[q + 2] !== lv || out[q + 3] !== iv) {
      const w = SEG * count++;
      out[w] = pos;
      out[w + 1] = lastFileId;
      out[w + 2] = lv;
      out[w + 3] = iv;
    }
    pos = next;
  }
  return { count, data: out.slice(0, SEG * count) };
}
