/**
 * Plan 9 register names as `go tool objdump` prints them: general registers
 * carry no size (AX is AL/AX/EAX/RAX's 16/32/64-bit form, R8 any width of
 * r8), except the legacy high-byte registers AH/CH/DH/BH.
 */

export const GPR = ['AX', 'CX', 'DX', 'BX', 'SP', 'BP', 'SI', 'DI', 'R8', 'R9', 'R10', 'R11', 'R12', 'R13', 'R14', 'R15'];
/** Byte registers without a REX prefix (4–7 are AH..BH). */
export const GPR8_LEGACY = ['AL', 'CL', 'DL', 'BL', 'AH', 'CH', 'DH', 'BH'];
/** Byte registers with a REX prefix (4–7 are SPL..DIL, printed SP..DI). */
export const GPR8_REX = ['AL', 'CL', 'DL', 'BL', 'SP', 'BP', 'SI', 'DI', 'R8', 'R9', 'R10', 'R11', 'R12', 'R13', 'R14', 'R15'];
export const SEGMENT = ['ES', 'CS', 'SS', 'DS', 'FS', 'GS'];

function numbered(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`);
}
export const XMM = numbered('X', 32);
export const YMM = numbered('Y', 32);
export const ZMM = numbered('Z', 32);
export const MMX = numbered('M', 8);
export const X87 = numbered('F', 8);
export const CREG = numbered('CR', 16);
export const DREG = numbered('DR', 16);
export const KREG = numbered('K', 8);

/** Name of general register `n` (0..15) of `width` bits; `rex` selects SPL..DIL over AH..BH. */
export function gprName(n: number, width: number, rex: boolean): string {
  if (width === 8) return rex || n >= 8 ? GPR8_REX[n]! : GPR8_LEGACY[n]!;
  return GPR[n]!;
}

/** Vector register `n` of a 16/32/64-byte vector. */
export function vecName(n: number, bytes: number): string {
  return bytes === 64 ? ZMM[n]! : bytes === 32 ? YMM[n]! : XMM[n]!;
}
