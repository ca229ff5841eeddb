/**
 * A bounds-checked little-endian cursor over a byte slice.
 * Every read checks the bytes left; an underflow throws one DecodeError naming
 * the section and the offset, never a RangeError.
 */

export class DecodeError extends Error {
  constructor(
    readonly section: string,
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`${section}: ${detail} at offset 0x${offset.toString(16)}`);
    this.name = 'DecodeError';
  }
}

/** Largest address we represent as a JS number (2^53). */
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export class Reader {
  readonly view: DataView;
  /** Current offset relative to `bytes`. */
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly section: string,
    pos = 0,
    /** Offset of `bytes[0]` within the section, for error messages. */
    readonly base = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = pos;
  }

  get length(): number {
    return this.bytes.length;
  }
  get left(): number {
    return this.bytes.length - this.pos;
  }
  get eof(): boolean {
    return this.pos >= this.bytes.length;
  }

  fail(detail: string, at = this.pos): never {
    throw new DecodeError(this.section, this.base + at, detail);
  }

  /** Throws unless `n` bytes are available at the cursor (or at `at`). */
  need(n: number, at = this.pos): void {
    if (!(n >= 0) || at < 0 || at + n > this.bytes.length) {
      this.fail(`need ${n} bytes, ${Math.max(0, this.bytes.length - at)} left`, at);
    }
  }

  seek(pos: number): this {
    if (pos < 0 || pos > this.bytes.length) this.fail(`seek out of range (${pos})`, pos);
    this.pos = pos;
    return this;
  }
  skip(n: number): this {
    this.need(n);
    this.pos += n;
    return this;
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  /** A 64-bit value as a number; fails if it does not fit in 2^53. */
  u64(): number {
    const at = this.pos;
    const v = this.u64big();
    if (v > BigInt(MAX_SAFE)) this.fail(`64-bit value 0x${v.toString(16)} too large`, at);
    return Number(v);
  }
  u64big(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }
  i64big(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }
  /** Unsigned integer of `size` bytes (1, 2, 4 or 8). */
  uint(size: number): number {
    switch (size) {
      case 1:
        return this.u8();
      case 2:
        return this.u16();
      case 4:
        return this.u32();
      case 8:
        return this.u64();
      default:
        return this.fail(`unsupported integer size ${size}`);
    }
  }

  /** Unsigned LEB128 as a number (fails beyond 2^53). */
  uleb(): number {
    let result = 0;
    let mul = 1;
    const at = this.pos;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) break;
      mul *= 128;
      if (mul > 2 ** 63) this.fail('ULEB128 too long', at);
    }
    if (result > MAX_SAFE) this.fail('ULEB128 value too large', at);
    return result;
  }
  /** Signed LEB128 as a number. */
  sleb(): number {
    let result = 0;
    let mul = 1;
    let b: number;
    const at = this.pos;
    do {
      b = this.u8();
      result += (b & 0x7f) * mul;
      mul *= 128;
      if (mul > 2 ** 70) this.fail('SLEB128 too long', at);
    } while (b & 0x80);
    if (b & 0x40) result -= mul;
    if (!Number.isSafeInteger(result)) this.fail('SLEB128 value too large', at);
    return result;
  }
  /** Unsigned LEB128 as a bigint (for constants that may exceed 2^53). */
  ulebBig(): bigint {
    let result = 0n;
    let shift = 0n;
    const at = this.pos;
    for (;;) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
      if (shift > 70n) this.fail('ULEB128 too long', at);
    }
    return result;
  }
  slebBig(): bigint {
    let result = 0n;
    let shift = 0n;
    let b: number;
    const at = this.pos;
    do {
      b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (shift > 70n) this.fail('SLEB128 too long', at);
    } while (b & 0x80);
    if (b & 0x40) result -= 1n << shift;
    return result;
  }

  /** NUL-terminated string (UTF-8). */
  cstring(): string {
    const start = this.pos;
    const end = this.bytes.indexOf(0, start);
    if (end < 0) this.fail('unterminated string', start);
    this.pos = end + 1;
    return utf8(this.bytes.subarray(start, end));
  }
  /** NUL-terminated string at an absolute offset, cursor untouched. */
  cstringAt(off: number): string {
    if (off < 0 || off >= this.bytes.length) this.fail('string offset out of range', off);
    const end = this.bytes.indexOf(0, off);
    if (end < 0) this.fail('unterminated string', off);
    return utf8(this.bytes.subarray(off, end));
  }

  /** `n` bytes at the cursor, shared with the underlying buffer. */
  bytesN(n: number): Uint8Array {
    this.need(n);
    const s = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** A child reader over [off, off+len), errors reported at section offsets. */
  sub(off: number, len: number, section = this.section): Reader {
    this.need(len, off);
    return new Reader(this.bytes.subarray(off, off + len), section, 0, this.base + off);
  }
}

const decoder = new TextDecoder('utf-8');
export function utf8(b: Uint8Array): string {
  return decoder.decode(b);
}
