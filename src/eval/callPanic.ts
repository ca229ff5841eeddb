/**
 * The text of a call's panic, as Go's runtime prints the value (printpanicval):
 * a string as it is, an error by its message when the debugger can read it
 * without another call (errors.New's *errors.errorString, the runtime's own
 * error strings, a *fmt.wrapError), a value of a basic kind by its value, and
 * anything else as `(T) value`.
 */
import { underlying } from '../dwarf/goTypes.js';
import { formatValue } from '../values/format.js';
import { dynamicOf } from '../values/interfaces.js';
import type { Value } from '../values/value.js';
import { encodeInt, fieldNamed, type ValueReader } from '../values/valueReader.js';

const MAX_TEXT = 4096;

export function panicText(r: ValueReader, typeWord: bigint, dataWord: bigint): string {
  const eface = r.dwarf.typeByName('interface {}');
  if (!eface) return `panic: a value of the type at 0x${typeWord.toString(16)}`;
  const bytes = new Uint8Array(16);
  bytes.set(encodeInt(typeWord, 8), 0);
  bytes.set(encodeInt(dataWord, 8), 8);
  const d = dynamicOf(r, { type: eface, bytes, computed: true });
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
