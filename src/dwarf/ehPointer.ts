/**
 * The DW_EH_PE_* pointer encodings of `.eh_frame` (LSB / System V ABI): the
 * low nibble is the value's format, bits 4-6 what it is relative to. Only
 * absolute and PC-relative values occur in x86-64 code's unwind tables.
 */
import type { Reader } from '../binary/reader.js';

export const DW_EH_PE_absptr = 0x00;
export const DW_EH_PE_omit = 0xff;
const DW_EH_PE_pcrel = 0x10;
const DW_EH_PE_indirect = 0x80;

/**
 * Reads a pointer in encoding `enc` at r.pos; `here` is the load address of
 * r.pos (the base of a PC-relative value), `addrSize` the size of absptr.
 */
export function readEncodedPointer(r: Reader, enc: number, here: number, addrSize: number): number {
  if (enc === DW_EH_PE_omit) return 0;
  const at = r.pos;
  let v: number;
  switch (enc & 0x0f) {
    case 0x00:
      v = r.uint(addrSize);
      break;
    case 0x01:
      v = r.uleb();
      break;
    case 0x02:
      v = r.u16();
      break;
    case 0x03:
      v = r.u32();
      break;
    case 0x04:
      v = r.u64();
      break;
    case 0x09:
      v = r.sleb();
      break;
    case 0x0a:
      v = (r.u16() << 16) >> 16;
      break;
    case 0x0b:
      v = r.i32();
      break;
    case 0x0c:
      v = Number(r.i64big());
      break;
    default:
      return r.fail(`unsupported pointer format 0x${enc.toString(16)}`, at);
  }
  if (enc & DW_EH_PE_indirect) r.fail('indirect pointers need the process memory', at);
  switch (enc & 0x70) {
    case 0x00:
      return v;
    case DW_EH_PE_pcrel:
      return here + v;
    default:
      return r.fail(`unsupported pointer application 0x${(enc & 0x70).toString(16)}`, at);
  }
}
