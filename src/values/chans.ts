/**
 * Channel values: a chan is a pointer to `hchan<T>` {qcount, dataqsiz, buf,
 * closed, sendx, recvx, ...}. Buffered values sit in a ring at buf; the next
 * to be received is at recvx.
 */
import { underlying, type ChanType, type GoType } from '../dwarf/goTypes.js';
import { ValueError, type Value } from './value.js';
import { fieldNamed, decodeInt, type ValueReader } from './valueReader.js';

export interface ChanState {
  nil: boolean;
  len: number;
  cap: number;
  closed: boolean;
  elem: GoType;
  /** Buffered values [start, start+count) in receive order. */
  buffered(start: number, count: number): Value[];
}

export function chanState(r: ValueReader, v: Value): ChanState {
  const ct = underlying(v.type) as ChanType;
  const p = r.pointer(v);
  const elem = ct.elem;
  if (p === 0) return { nil: true, len: 0, cap: 0, closed: false, elem, buffered: () => [] };
  const h = ct.header.kind === 'pointer' ? ct.header.elem : undefined;
  if (!h) throw new ValueError('chan layout: no hchan type in DWARF');
  const hb = r.read(p, h.size);
  const num = (name: string): number => {
    const f = fieldNamed(h, name);
    if (!f) throw new ValueError(`chan layout: no hchan.${name} in DWARF`);
    return Number(decodeInt(hb.subarray(f.offset, f.offset + f.type.size), false));
  };
  const len = num('qcount');
  const cap = num('dataqsiz');
  const buf = num('buf');
  const recvx = num('recvx');
  const closed = num('closed') !== 0;
  if (len > cap || cap > 2 ** 40) throw new ValueError(`bad channel state qcount ${len} dataqsiz ${cap}`);
  return {
    nil: false,
    len,
    cap,
    closed,
    elem,
    buffered(start, count) {
      const out: Value[] = [];
      for (let k = start; k < Math.min(len, start + count); k++) {
        const idx = (recvx + k) % cap;
        out.push({ type: elem, addr: buf + idx * elem.size });
      }
      return out;
    },
  };
}
