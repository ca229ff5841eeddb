/**
 * Go's own spellings of scalars, so that what the debugger shows reads like
 * what `fmt` prints: strconv.FormatFloat(f, 'g', -1, bits), complex as
 * `(re+imi)`, strconv.Quote for strings and runes.
 */

/**
 * Shortest decimal digits that round-trip a float32 (JS only knows float64's).
 * toPrecision rounds ties away from zero; Go (like IEEE) picks the even digit.
 */
function shortest32(x: number): string {
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) !== x) continue;
    // An exact tie at this precision: the digits after the p-th are exactly "5".
    const m = /^(\d)\.?(\d*)e([+-]\d+)$/.exec(x.toExponential(Math.min(100, p + 60)));
    if (m) {
      const digits = (m[1]! + m[2]!).replace(/0+$/, '');
      if (digits.length === p + 1 && digits.endsWith('5')) {
        const down = Number(`${digits.slice(0, p)}e${Number(m[3]) - p + 1}`);
        const last = Number(digits[p - 1]);
        if (last % 2 === 0 && Math.fround(down) === x) return down.toPrecision(p);
      }
    }
    return s;
  }
  return x.toPrecision(9);
}

/** strconv.FormatFloat(x, 'g', -1, bits), which is also fmt's %v of a float. */
export function formatFloat(x: number, bits: 32 | 64 = 64): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const neg = x < 0;
  const a = Math.abs(x);
  // Shortest round-tripping digits and the decimal exponent: a = d.ddd × 10^exp.
  const e = bits === 32 ? Number(shortest32(a)).toExponential() : a.toExponential();
  // `d.ddde±x` or `de±x`, read by position: a regex costs a compile at its first use and another at its second (V8's tier-up), in the first page at a stop.
  const ei = e.indexOf('e');
  let digits = ei > 2 ? e[0]! + e.slice(2, ei) : e[0]!;
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  digits = end > 0 ? digits.slice(0, end) : '0';
  const exp = Number(e.slice(ei + 1));
  let out: string;
  // The shortest form uses %e when the exponent is < -4 or >= 6 (eprec = 6).
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ae = Math.abs(exp);
    out = `${mant}e${exp < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
  } else if (exp < 0) {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    out = digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return neg ? `-${out}` : out;
}

/** fmt's %v of a complex number: (re+imi). */
export function formatComplex(re: number, im: number, bits: 32 | 64 = 64): string {
  const r = formatFloat(re, bits);
  let i = formatFloat(im, bits);
  if (!i.startsWith('-') && !i.startsWith('+')) i = `+${i}`;
  return `(${r}${i}i)`;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function escapeRune(cp: number, quote: string): string {
  switch (cp) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
    case 0x5c:
      return '\\\\';
  }
  const ch = String.fromCodePoint(cp);
  if (ch === quote) return `\\${quote}`;
  if (PRINTABLE.test(ch)) return ch;
  if (cp < 0x80) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** Decodes one UTF-8 sequence at i: [code point, length], or [-1, 1] for an invalid byte. */
function decodeUtf8(b: Uint8Array, i: number): [number, number] {
  const c = b[i]!;
  if (c < 0x80) return [c, 1];
  const need = c >= 0xf8 ? -1 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 ? 1 : -1;
  if (need < 0 || i + need >= b.length) return [-1, 1];
  let cp = c & (0x3f >> need);
  for (let k = 1; k <= need; k++) {
    const x = b[i + k]!;
    if ((x & 0xc0) !== 0x80) return [-1, 1];
    cp = (cp << 6) | (x & 0x3f);
  }
  const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return [-1, 1];
  return [cp, need + 1];
}

/** strconv.Quote of raw string bytes (invalid UTF-8 as \x escapes). */
export function quoteBytes(b: Uint8Array): string {
  let out = '"';
  for (let i = 0; i < b.length; ) {
    // Printable ASCII but the quote and the backslash stands for itself: no table, no regex.
    const c = b[i]!;
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) {
      out += String.fromCharCode(c);
      i++;
      continue;
    }
    const [cp, n] = decodeUtf8(b, i);
    if (cp < 0) out += `\\x${b[i]!.toString(16).padStart(2, '0')}`;
    else out += escapeRune(cp, '"');
    i += n;
  }
  return `${out}"`;
}

/** strconv.QuoteRune. */
export function quoteRune(cp: number): string {
  if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
  return `'${escapeRune(cp, "'")}'`;
}

/** Length of the longest prefix of b (at most max bytes) that does not cut a UTF-8 sequence. */
export function utf8Prefix(b: Uint8Array, max: number): number {
  if (b.length <= max) return b.length;
  let n = max;
  // Back up over continuation bytes to a sequence start if the sequence would be cut.
  let k = n;
  while (k > 0 && k > n - 4 && (b[k]! & 0xc0) === 0x80) k--;
  if (k < n && k >= 0) {
    const [cp, len] = decodeUtf8(b, k);
    if (cp >= 0 && k + len > n) n = k;
  }
  return n;
}
