/**
 * Memory references on the wire: we hand them out as "0x…"; clients may send
 * those back, or decimal. NaN when the text is not an address.
 */
export function parseAddress(ref: string): number {
  const t = ref.trim();
  const v = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : /^\d+$/.test(t) ? Number(t) : NaN;
  return Number.isSafeInteger(v) ? v : NaN;
}
