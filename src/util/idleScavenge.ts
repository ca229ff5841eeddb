/**
 * Emptying V8's young generation while nothing waits for the adapter, so
 * that its next scavenge (minor GC) does not come in the middle of the
 * requests at a stop.
 *
 * A scavenge runs when the young generation is full, and takes time in
 * proportion to what survives in it (and to the old objects pointing into
 * it), not to the garbage. The warm-ups fill it while the program runs, so a
 * stop found it about half full (1.2–1.7 of ~2 MB, measured), and its
 * requests (~40 KB each for a struct's expansion) filled the rest: in every
 * timed run of vars.struct.deep a scavenge of 2–5 ms (idle machine) fell
 * inside its 20 requests. Node has no call for a minor GC without
 * --expose-gc (a V8 flag: it would change the flags V8 checks code caches
 * against), so the young generation is filled with short-lived garbage
 * instead, which makes V8 scavenge it then, in idle time; the garbage itself
 * costs nothing to collect.
 */
import { getHeapSpaceStatistics } from 'node:v8';

/** Emptied only when at least this share of the young generation is in use (less leaves a stop room enough). */
const MIN_FILL = 0.25;
/** Bytes of garbage allocated between two looks at the young generation. */
const CHUNK_BYTES = 64 * 1024;
/** Each piece of garbage: a small array (new space; large objects go elsewhere). */
const PIECE_ELEMENTS = 1022;

/** The young generation: bytes in use, and what it holds before it is scavenged (in use + available; space_size counts both semispaces). */
function newSpace(): { used: number; size: number } | undefined {
  for (const s of getHeapSpaceStatistics()) {
    if (s.space_name === 'new_space') return { used: s.space_used_size, size: s.space_used_size + s.space_available_size };
  }
  return undefined;
}

/** Keeps the last piece reachable until the next one, so that the optimiser cannot drop the allocation. */
const sink: unknown[] = [undefined];
/**
 * The young generation's use right after the last scavenge made here: the next one waits until
 * MIN_FILL more is in use, so that survivors filling a quarter of it are not scavenged again and
 * again.
 */
let floor = 0;

/**
 * Makes V8 scavenge now if the young generation is at least MIN_FILL in use
 * (above what survived the last scavenge made here). True when a scavenge
 * ran (the young generation's use went down): a warm-up then gives up its
 * turn, as the scavenge took about as long as one of its steps.
 */
export function emptyYoungGeneration(): boolean {
  const before = newSpace();
  if (!before || before.size === 0) return false;
  // V8 scavenged on its own since: what survived that is below the last floor.
  if (before.used < floor) floor = 0;
  if (before.used < floor + before.size * MIN_FILL) return false;
  // A scavenge comes at the latest once `size` more bytes were allocated (the space in use can only be smaller).
  const chunks = Math.ceil(before.size / CHUNK_BYTES) + 1;
  const perChunk = Math.ceil(CHUNK_BYTES / (PIECE_ELEMENTS * 8 + 16));
  let last = before.used;
  for (let c = 0; c < chunks; c++) {
    for (let i = 0; i < perChunk; i++) sink[0] = new Array(PIECE_ELEMENTS).fill(0);
    const now = newSpace();
    if (!now) break;
    if (now.used < last) {
      sink[0] = undefined;
      floor = now.used;
      return true;
    }
    last = now.used;
  }
  sink[0] = undefined;
  return false;
}
