/**
 * A call's panic value, and its text as Go's runtime prints it when no more
 * code may run (printpanicval): a string as it is, an error by its message
 * when the debugger can read it (errors.New's *errors.errorString, a
 * *fmt.wrapError), a value of a basic kind by its value, and anything else
 * as `(T) value`. calls.ts first asks an error's Error() or a Stringer's
 * String(), as the runtime does before printing.
 */
import { underlying } from '../dwarf/goTypes.js';
import { formatValue } from '../values/format.js';
import { dynamicOf } from '../values/interfaces.js';
import type { Value } from '../values/value.js';
import { encodeInt, fieldNamed, type ValueReader } from '../values/valueReader.js';

const MAX_TEXT = 4096;

/** The panic value (an `any`) as an `any` value, or undefined when DWARF has no empty interface type. */
function panicEface(r: ValueReader, typeWord: bigint, dataWord: bigint): Value | undefined {
  const eface = r.dwarf.typeByName('interface {}');
  if (!eface) return undefined;
  const bytes = new Uint8Array(16);
  bytes.set(encodeInt(typeWord, 8), 0);
  bytes.set(encodeInt(dataWord, 8), 8);
  return { type: eface, bytes, computed: true };
}

/** The panic's dynamic value, when its type is known to DWARF. */
export function panicValue(r: ValueReader, typeWord: bigint, dataWord: bigint): Value | undefined {
  const e = panicEface(r, typeWord, dataWord);
  const d = e && dynamicOf(r, e);
  return d && !d.nil ? d.value : undefined;
}

/** The panic's text without running code: a string, errors.New's message, a basic value, else `(T) value`. */
export function panicText(r: ValueReader, typeWord: bigint, dataWord: bigint): string {
  const e = panicEface(r, typeWord, dataWord);
  if (!e) return `panic: a value of the type at 0x${typeWord.toString(16)}`;
  const d = dynamicOf(r, e);
  if (d.nil) return 'panic: nil';
  if (!d.type || !d.value) return `panic: a value of the type at 0x${d.typeAddr.toString(16)} (unknown to DWARF)`;
  try {
    return `panic: ${valueText(r, d.value)}`;
  } catch {
    return `panic: (${d.type.name}) at 0x${dataWord.toString(16)}`;
  }
}

function valueText(r: ValueReader, v: Value): string {
  const u = underlying(v.type);
  if (u.kind === 'string') return stringText(r, v);
  const msg = errorMessage(r, v);
  if (msg !== undefined) return msg;
  const basic = ['bool', 'int', 'uint', 'uintptr', 'float', 'complex'].includes(u.kind);
  const text = formatValue(r, v, {});
  if (basic && v.type.name === u.name) return text;
  return basic ? `${v.type.name}(${text})` : `(${v.type.name}) ${text}`;
}

function stringText(r: ValueReader, v: Value): string {
  const { bytes, len } = r.stringBytes(v, MAX_TEXT);
  const s = new TextDecoder().decode(bytes);
  return len > bytes.length ? `${s}…` : s;
}

/** The message of the error types whose Error() returns a string field of theirs. */
function errorMessage(r: ValueReader, v: Value): string | undefined {
  const u = underlying(v.type);
  if (u.kind !== 'pointer') return undefined;
  const target = r.deref(v, u.elem);
  if (!target) return undefined;
  const field = ERROR_STRING_FIELDS[u.elem.name];
  const f = field ? fieldNamed(u.elem, field) : undefined;
  return f ? stringText(r, r.field(target, f)) : undefined;
}

/** Error types of the standard library whose Error() is one string field. */
const ERROR_STRING_FIELDS: Record<string, string> = {
  'errors.errorString': 's',
  'fmt.wrapError': 'msg',
  'fmt.wrapErrors': 'msg',
};
