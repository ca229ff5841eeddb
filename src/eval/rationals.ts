/**
 * Exact rationals for untyped floating-point constants: Go evaluates constant
 * expressions exactly (`0.1 + 0.2 == 0.3` is true), so a float literal keeps
 * the rational its digits denote, and constant arithmetic stays exact until
 * a value is shown or converted (then it is rounded to the nearest float64).
 */

/** n/d in lowest terms, d > 0. */
export interface Rat {
  n: bigint;
  d: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a || 1n;
}

export function rat(n: bigint, d = 1n): Rat {
  if (d === 0n) throw new RangeError('zero denominator');
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return { n: n / g, d: d / g };
}

/** The rational a Go float literal denotes ("1.5e-3", "0x1.8p1", "1_000.5"), or undefined if it is not one. */
export function ratFromLiteral(text: string): Rat | undefined {
  const s = text.replace(/_/g, '').toLowerCase();
  const hex = /^0x([0-9a-f]*)(?:\.([0-9a-f]*))?p([+-]?\d+)$/.exec(s);
  if (hex) {
    const [, ip = '', fp = '', ex] = hex;
    const digits = BigInt(`0x${ip + fp || '0'}`);
    const e = BigInt(ex!) - BigInt(fp.length * 4);
    return e >= 0n ? rat(digits << e) : rat(digits, 1n << -e);
  }
  const dec = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/.exec(s);
  if (!dec || (dec[1] === '' && !dec[2])) return undefined;
  const [, ip = '', fp = '', ex = '0'] = dec;
  const digits = BigInt(ip + fp || '0');
  const e = BigInt(ex) - BigInt(fp.length);
  if (e > 10_000n || e < -10_000n) return undefined;
  return e >= 0n ? rat(digits * 10n ** e) : rat(digits, 10n ** -e);
}

/** The exact rational of a float64 (every finite double is one). */
export function ratFromNumber(x: number): Rat {
  if (!Number.isFinite(x)) throw new RangeError('not finite');
  if (Number.isInteger(x)) return rat(BigInt(x));
  let d = 1n;
  let m = x;
  while (!Number.isInteger(m)) {
    m *= 2;
    d *= 2n;
  }
  return rat(BigInt(m), d);
}

function bitLength(x: bigint): number {
  return (x < 0n ? -x : x).toString(2).length;
}

/** The float64 nearest n/d (within one rounding of 64-bit quotient precision). */
export function ratToNumber(r: Rat): number {
  const LIMIT = 2n ** 53n;
  const an = r.n < 0n ? -r.n : r.n;
  if (an < LIMIT && r.d < LIMIT) return Number(r.n) / Number(r.d);
  const shift = bitLength(r.n) - bitLength(r.d) - 64;
  const q = shift >= 0 ? r.n / (r.d << BigInt(shift)) : (r.n << BigInt(-shift)) / r.d;
  return Number(q) * 2 ** shift;
}

export function ratOp(op: string, a: Rat, b: Rat): Rat | undefined {
  switch (op) {
    case '+':
      return rat(a.n * b.d + b.n * a.d, a.d * b.d);
    case '-':
      return rat(a.n * b.d - b.n * a.d, a.d * b.d);
    case '*':
      return rat(a.n * b.n, a.d * b.d);
    case '/':
      return b.n === 0n ? undefined : rat(a.n * b.d, a.d * b.n);
    default:
      return undefined;
  }
}

/** Sign of a - b. */
export function ratCompare(a: Rat, b: Rat): number {
  const x = a.n * b.d - b.n * a.d;
  return x < 0n ? -1 : x > 0n ? 1 : 0;
}

/**
 * n/d in Go's %g style with up to 17 significant digits, trailing zeros
 * dropped ("1e+400", "1.5e+309"): for constants beyond float64's range, whose
 * float64 would read ±Inf.
 */
export function ratToExponent(r: Rat): string {
  if (r.n === 0n) return '0';
  const neg = r.n < 0n;
  const a = neg ? -r.n : r.n;
  // e: the decimal exponent, floor(log10(a/d)).
  let e = a.toString().length - r.d.toString().length;
  const below = (x: bigint, k: number) => (k >= 0 ? x < r.d * 10n ** BigInt(k) : x * 10n ** BigInt(-k) < r.d);
  if (below(a, e)) e--;
  const k = 16 - e;
  const num = k >= 0 ? a * 10n ** BigInt(k) : a;
  const den = k >= 0 ? r.d : r.d * 10n ** BigInt(-k);
  let q = (2n * num + den) / (2n * den);
  if (q >= 10n ** 17n) {
    q = (q + 5n) / 10n;
    e++;
  }
  const digits = q.toString().replace(/0+$/, '');
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const exp = Math.abs(e).toString().padStart(2, '0');
  return `${neg ? '-' : ''}${mant}e${e < 0 ? '-' : '+'}${exp}`;
}
