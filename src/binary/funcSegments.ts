/**
 * Per-function line segments: the function's PCs cut into maximal runs of
 * constant (file, line, inline index), merged from the pcfile, pcln and
 * PCDATA_InlTreeIndex tables. Each segment start is a PC where a new source
 * line (or a new inlined copy of one) begins.
 */
import { PcTable } from './pcvalue.js';

export interface Segments {
  readonly count: number;
  /** Start offsets from the entry; segment i ends where i+1 starts (the last at the function's size). */
  readonly starts: Uint32Array;
  /** File ids (filetab offsets), -1 when unknown. */
  readonly files: Int32Array;
  /** Lines, -1 when unknown. */
  readonly lines: Int32Array;
  /** Innermost inline-tree index, -1 for the function's own code. */
  readonly inls: Int32Array;
}

/**
 * Merges the tables over [0, size). `fileId` maps a pcfile value (a CU-local
 * file number) to a file id. Past a table's end its value is -1, as in gosym.
 */
export function mergeSegments(
  size: number,
  file: PcTable,
  line: PcTable,
  inl: PcTable | undefined,
  fileId: (v: number) => number,
): Segments {
  const starts: number[] = [];
  const files: number[] = [];
  const lines: number[] = [];
  const inls: number[] = [];
  let fi = 0;
  let li = 0;
  let ii = 0;
  let pos = 0;
  let lastFileVal = NaN;
  let lastFileId = -1;
  while (pos < size) {
    // Skip runs that end at or before pos (including empty runs).
    while (fi < file.ends.length && file.ends[fi]! <= pos) fi++;
    while (li < line.ends.length && line.ends[li]! <= pos) li++;
    if (inl) while (ii < inl.ends.length && inl.ends[ii]! <= pos) ii++;
    const fv = fi < file.ends.length ? file.values[fi]! : -1;
    const lv = li < line.ends.length ? line.values[li]! : -1;
    const iv = inl && ii < inl.ends.length ? inl.values[ii]! : -1;
    let next = size;
    if (fi < file.ends.length) next = Math.min(next, file.ends[fi]!);
    if (li < line.ends.length) next = Math.min(next, line.ends[li]!);
    if (inl && ii < inl.ends.length) next = Math.min(next, inl.ends[ii]!);
    if (fv !== lastFileVal) {
      lastFileVal = fv;
      lastFileId = fv < 0 ? -1 : fileId(fv);
    }
    const n = starts.length;
    if (n === 0 || files[n - 1] !== lastFileId || lines[n - 1] !== lv || inls[n - 1] !== iv) {
      starts.push(pos);
      files.push(lastFileId);
      lines.push(lv);
      inls.push(iv);
    }
    pos = next;
  }
  return {
    count: starts.length,
    starts: Uint32Array.from(starts),
    files: Int32Array.from(files),
    lines: Int32Array.from(lines),
    inls: Int32Array.from(inls),
  };
}
