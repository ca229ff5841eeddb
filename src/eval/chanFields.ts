/**
 * `ch.qcount`, `ch.buf`, …: the fields of the runtime's `hchan<T>` a channel
 * points to, as Delve offers them (not Go syntax; a channel has no fields in
 * Go, so no valid expression changes meaning). `buf` is typed as what it
 * holds, a pointer to `[dataqsiz]T`, rather than the runtime's
 * unsafe.Pointer. They are read-only (setExpression refuses them).
 */
import { underlying, type ChanType } from '../dwarf/goTypes.js';
import type { Value } from '../values/value.js';
import { fieldNamed, type ValueReader } from '../values/valueReader.js';
import { EvalError } from './errors.js';
import { pointerTo } from './results.js';
import { arrayOf } from './typeLookup.js';

/** Field `name` of channel `v`'s hchan, or undefined when hchan has no such field. */
export function chanField(r: ValueReader, v: Value, name: string, what: string): Value | undefined {
  const ct = underlying(v.type) as ChanType;
  const h = ct.header.kind === 'pointer' ? ct.header.elem : undefined;
  const f = h && fieldNamed(h, name);
  if (!h || !f) return undefined;
  const p = r.pointer(v);
  if (p === 0) throw new EvalError(`cannot read ${what}.${name}: ${what} is nil`);
  // Read-only: a write to the runtime's own channel state would corrupt it.
  const field: Value = { type: f.type, addr: p + f.offset, computed: true };
  if (name !== 'buf') return field;
  const size = fieldNamed(h, 'dataqsiz');
  const cap = size ? Number(r.int({ type: size.type, addr: p + size.offset })) : 0;
  if (cap < 0 || cap > 2 ** 40) throw new EvalError(`bad channel state: dataqsiz ${cap}`);
  return { type: pointerTo(r.dwarf, arrayOf(r.dwarf, ct.elem, cap)), bytes: r.bytesAt(field, 0, 8), computed: true };
}
