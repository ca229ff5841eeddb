/**
 * Synthetic instructions covering the opcode space: every opcode of the
 * one-byte, 0F, 0F38 and 0F3A maps under a set of prefixes and ModRM forms,
 * and every opcode of the VEX and EVEX maps under random prefix fields,
 * each followed by pseudo-random bytes (SIB, displacement, immediates).
 * Deterministic: a fixed-seed PRNG.
 */

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s & 0xff;
  };
}

const LEGACY_PREFIX = new Set([0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67]);

export interface CandidateSet {
  prefixes: number[][];
  modrms: number[];
  seed: number;
}

/** Legacy-encoded candidates: prefixes × (one-byte, 0F, 0F38, 0F3A opcodes) × ModRM bytes, then 13 random bytes. */
export function legacyCandidates(set: CandidateSet): Uint8Array[] {
  const next = rng(set.seed);
  const out: Uint8Array[] = [];
  const sibs = [0x24, 0x25, 0x65, 0xc0, 0x05];
  const opcodes: number[][] = [];
  for (let op = 0; op < 256; op++) {
    if (!LEGACY_PREFIX.has(op) && (op & 0xf0) !== 0x40 && op !== 0x0f && op !== 0xc4 && op !== 0xc5 && op !== 0x62) opcodes.push([op]);
  }
  for (let op = 0; op < 256; op++) if (op !== 0x38 && op !== 0x3a) opcodes.push([0x0f, op]);
  for (let op = 0; op < 256; op++) opcodes.push([0x0f, 0x38, op], [0x0f, 0x3a, op]);
  for (const pre of set.prefixes) {
    for (const opc of opcodes) {
      for (const m of set.modrms) {
        const tail = Array.from({ length: 12 }, next);
        out.push(Uint8Array.from([...pre, ...opc, m, sibs[next() % sibs.length]!, ...tail]));
      }
    }
  }
  return out;
}

/** VEX (C4/C5) and EVEX (62) candidates over maps 1–3, every opcode, with random R/X/B/W/vvvv/L/pp (and z/L'L/b/V'/aaa). */
export function vectorCandidates(seed: number, modrms: number[]): Uint8Array[] {
  const next = rng(seed);
  const out: Uint8Array[] = [];
  for (let map = 1; map <= 3; map++) {
    for (let op = 0; op < 256; op++) {
      for (const m of modrms) {
        const tail = Array.from({ length: 10 }, next);
        if (map === 1 && next() & 1) out.push(Uint8Array.from([0xc5, next(), op, m, ...tail]));
        else out.push(Uint8Array.from([0xc4, (next() & 0xe0) | map, next(), op, m, ...tail]));
        const p0 = (next() & 0xf0) | map;
        const p1 = (next() & 0xfb) | 4;
        out.push(Uint8Array.from([0x62, p0, p1, next(), op, m, ...tail]));
      }
    }
  }
  return out;
}

/** Candidates laid out in fixed slots padded with NOPs, so a disassembler resynchronises at every slot. */
export function slotted(cands: Uint8Array[], slot = 32): Uint8Array {
  const buf = new Uint8Array(cands.length * slot).fill(0x90);
  cands.forEach((c, i) => buf.set(c.subarray(0, slot - 1), i * slot));
  return buf;
}
