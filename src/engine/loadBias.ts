/**
 * Where the kernel put the program's image: the entry address the process
 * really has, from its auxiliary vector (/proc/PID/auxv, AT_ENTRY). For a
 * position-independent executable (ELF ET_DYN) it differs from the file's
 * e_entry by the load bias; for ET_EXEC it equals e_entry. The vector is
 * written at exec, so it is readable from the exec stop on and at attach.
 */
import { readFileSync } from 'node:fs';

const AT_NULL = 0n;
const AT_ENTRY = 9n;

/** AT_ENTRY of process `pid`, or undefined when its auxv cannot be read. */
export function runtimeEntry(pid: number): number | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(`/proc/${pid}/auxv`);
  } catch {
    return undefined;
  }
  // Pairs of 64-bit (type, value) words, ended by AT_NULL.
  for (let off = 0; off + 16 <= bytes.length; off += 16) {
    const type = bytes.readBigUInt64LE(off);
    if (type === AT_NULL) break;
    if (type === AT_ENTRY) return Number(bytes.readBigUInt64LE(off + 8));
  }
  return undefined;
}
