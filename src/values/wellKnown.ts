/**
 * Values read by what they mean rather than by their layout, spelled as the
 * program itself would print them:
 *  - time.Time as Time.String() without the monotonic reading
 *    ("1977-05-25 18:00:00 +0000 UTC"), in the Time's own Location read from
 *    memory (its zone table, transitions and POSIX rule; nil is UTC);
 *  - time.Duration as Duration.String() ("1.5s", "2h0m0s", "100ms");
 *  - an integer of a named type by the package constants of that type, as
 *    Delve names them: an exact match "ByteConst (255)", and, when every
 *    non-zero constant of the type is a distinct single bit, a combination
 *    "bitZero|bitOne (3)";
 *  - a reflect.Value by the value it holds, as fmt prints one
 *    ("reflect.Value(int) 42"; "<invalid reflect.Value>" for the zero Value).
 * The raw fields stay the value's children.
 */
import type { Dwarf } from '../dwarf/dwarf.js';
import type { GoType, StructField } from '../dwarf/goTypes.js';
import { underlying } from '../dwarf/goTypes.js';
import { zoneByRule, type ZoneAt } from './tzRule.js';
import type { Value } from './value.js';
import { encodeInt, fieldNamed, type ValueReader } from './valueReader.js';

// ───────────── time.Duration ─────────────

/** `v / 10^prec` as ".ddd" with trailing zeros (and a bare ".") dropped; returns the text and v / 10^prec. */
function fraction(v: bigint, prec: number): [string, bigint] {
  let digits = '';
  let nonZero = false;
  for (let i = 0; i < prec; i++) {
    const d = v % 10n;
    nonZero ||= d !== 0n;
    if (nonZero) digits = d.toString() + digits;
    v /= 10n;
  }
  return [nonZero ? `.${digits}` : '', v];
}

/** Duration.String() of `ns` nanoseconds. */
export function formatDuration(ns: bigint): string {
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    // Below a second the unit shrinks: ns, µs, ms, with a fraction of it.
    if (u === 0n) return '0s';
    const [unit, prec] = u < 1000n ? ['ns', 0] : u < 1_000_000n ? ['µs', 3] : ['ms', 6];
    const [frac, whole] = fraction(u, prec as number);
    out = `${whole}${frac}${unit}`;
  } else {
    const [frac, secs] = fraction(u, 9);
    u = secs;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

// ───────────── time.Time ─────────────

const HAS_MONOTONIC = 1n << 63n;
const U64 = (1n << 64n) - 1n;
/** Seconds from 0001-01-01 (Go's internal epoch) to 1885-01-01 (the monotonic wall epoch) and to 1970-01-01. */
const WALL_TO_INTERNAL = 59453308800n;
const UNIX_TO_INTERNAL = 62135596800n;

const pad = (n: bigint | number, w: number) => {
  const s = (n < 0 ? -n : n).toString().padStart(w, '0');
  return n < 0 ? `-${s}` : s;
};

/** Proleptic Gregorian year, month, day of `days` days after 1970-01-01. */
function civil(days: bigint): [bigint, bigint, bigint] {
  const z = days + 719468n;
  const era = (z >= 0n ? z : z - 146096n) / 146097n;
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const day = doy - (153n * mp + 2n) / 5n + 1n;
  const month = mp < 10n ? mp + 3n : mp - 9n;
  return [yoe + era * 400n + (month <= 2n ? 1n : 0n), month, day];
}

/** Time.Format("2006-01-02 15:04:05.999999999 -0700 MST") of Unix second `unix` + `nsec` in zone `z`. */
export function formatTime(unix: bigint, nsec: number, z: ZoneAt): string {
  const local = unix + BigInt(z.offset);
  const sod = ((local % 86400n) + 86400n) % 86400n;
  const [y, mo, d] = civil((local - sod) / 86400n);
  const [frac] = fraction(BigInt(nsec), 9);
  const offMin = Math.trunc(z.offset / 60);
  const off = `${offMin < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(offMin) / 60), 2)}${pad(Math.abs(offMin) % 60, 2)}`;
  const clock = `${pad(sod / 3600n, 2)}:${pad((sod / 60n) % 60n, 2)}:${pad(sod % 60n, 2)}${frac}`;
  return `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)} ${clock} ${off} ${z.name || off}`;
}

function need(t: GoType, name: string): StructField {
  const f = fieldNamed(t, name);
  if (!f) throw new Error(`no field ${name} in ${t.name}`);
  return f;
}

const utf8 = new TextDecoder();
/** Zones found per reader (one stop: memory does not change under it), by location address and second. */
const zoneMemo = new WeakMap<ValueReader, Map<string, ZoneAt | 'unloaded'>>();

/** The zone of *time.Location `loc` at Unix second `sec`, as Location.lookup finds it. */
function zoneOf(r: ValueReader, locType: GoType, loc: number, sec: bigint): ZoneAt | 'unloaded' {
  if (loc === 0) return { name: 'UTC', offset: 0 };
  let memo = zoneMemo.get(r);
  if (!memo) zoneMemo.set(r, (memo = new Map()));
  const key = `${loc}:${sec}`;
  let z = memo.get(key);
  if (z === undefined) memo.set(key, (z = lookupZone(r, locType, loc, sec)));
  return z;
}

function lookupZone(r: ValueReader, locType: GoType, loc: number, sec: bigint): ZoneAt | 'unloaded' {
  const lt = underlying(locType);
  if (lt.kind !== 'pointer') return { name: 'UTC', offset: 0 };
  const l: Value = { type: lt.elem, addr: loc };
  const str = (v: Value) => utf8.decode(r.stringBytes(v, 256).bytes);
  const name = str(r.field(l, need(l.type, 'name')));
  const zoneF = need(l.type, 'zone');
  const zones = r.sliceHeader(r.field(l, zoneF));
  // time.Local before its first use: initLocal has not filled it (nor named it "Local") yet.
  if (zones.len === 0) return name === '' && r.dwarf.global('time.localLoc')?.address === loc ? 'unloaded' : { name: 'UTC', offset: 0 };
  const zu = underlying(zoneF.type);
  const zoneT = zu.kind === 'slice' ? zu.elem : undefined;
  if (!zoneT || zones.len > 1 << 16) throw new Error('bad time.Location zone table');
  const [zName, zOffset, zDST] = [need(zoneT, 'name'), need(zoneT, 'offset'), need(zoneT, 'isDST')];
  const zoneAt = (v: Value): ZoneAt => ({ name: str(r.field(v, zName)), offset: Number(r.int(r.field(v, zOffset))) });
  const zoneValue = (i: number): Value => r.elems({ addr: zones.data }, zoneT, i, 1)[0]!;
  const isDST = (i: number) => r.bool(r.field(zoneValue(i), zDST));
  const int = (f: string) => r.int(r.field(l, need(l.type, f)));
  const cacheZone = r.pointer(r.field(l, need(l.type, 'cacheZone')));
  if (cacheZone !== 0 && int('cacheStart') <= sec && sec < int('cacheEnd')) return zoneAt({ type: zoneT, addr: cacheZone });
  const txF = need(l.type, 'tx');
  const tu = underlying(txF.type);
  if (tu.kind !== 'slice') throw new Error('bad time.Location transition table');
  const txT = tu.elem;
  const txs = r.sliceHeader(r.field(l, txF));
  if (txs.len < 0 || txs.len > 1 << 16) throw new Error('bad time.Location transition table');
  const [tWhen, tIndex] = [need(txT, 'when'), need(txT, 'index')];
  const tx = (i: number) => r.elems({ addr: txs.data }, txT, i, 1)[0]!;
  const when = (i: number) => r.int(r.field(tx(i), tWhen));
  const index = (i: number) => Number(r.int(r.field(tx(i), tIndex)));
  if (txs.len === 0 || sec < when(0)) {
    // Before the first transition: the first standard-time zone (Location.lookupFirstZone).
    let first = 0;
    let used = false;
    for (let i = 0; i < txs.len && !used; i++) used = index(i) === 0;
    if (used) {
      first = -1;
      if (isDST(index(0))) for (let zi = index(0) - 1; zi >= 0 && first < 0; zi--) if (!isDST(zi)) first = zi;
      for (let zi = 0; zi < zones.len && first < 0; zi++) if (!isDST(zi)) first = zi;
      if (first < 0) first = 0;
    }
    return zoneAt(zoneValue(first));
  }
  let lo = 0;
  let hi = txs.len;
  while (hi - lo > 1) {
    const m = (lo + hi) >> 1;
    if (sec < when(m)) hi = m;
    else lo = m;
  }
  if (lo === txs.len - 1) {
    const extend = str(r.field(l, need(l.type, 'extend')));
    const z = extend ? zoneByRule(extend, Number(sec)) : undefined;
    if (z) return z;
  }
  return zoneAt(zoneValue(index(lo)));
}

/** Time.String() of a time.Time value without its monotonic reading, or undefined when it does not look like one. */
export function timeText(r: ValueReader, v: Value): string | undefined {
  const wallF = fieldNamed(v.type, 'wall');
  const extF = fieldNamed(v.type, 'ext');
  const locF = fieldNamed(v.type, 'loc');
  if (!wallF || !extF || !locF) return undefined;
  const wall = BigInt.asUintN(64, r.int(r.field(v, wallF)));
  const ext = BigInt.asIntN(64, r.int(r.field(v, extF)));
  const nsec = Number(wall & 0x3fffffffn);
  // With the monotonic bit, wall holds 33 bits of seconds since 1885; else ext holds seconds since year 1.
  const sec = wall & HAS_MONOTONIC ? WALL_TO_INTERNAL + (((wall << 1n) & U64) >> 31n) : ext;
  const unix = sec - UNIX_TO_INTERNAL;
  const z = zoneOf(r, locF.type, r.pointer(r.field(v, locF)), unix);
  if (z === 'unloaded') return `${formatTime(unix, nsec, { name: 'UTC', offset: 0 })} (time.Local not loaded yet: shown in UTC)`;
  return formatTime(unix, nsec, z);
}

// ───────────── named integers ─────────────

const isSingleBit = (x: bigint) => x !== 0n && (x & (x - 1n)) === 0n;

/** The constant name(s) of `n`, a value of named integer type `t`: "ByteConst", "bitZero|bitOne", or undefined. */
export function constantName(dw: Dwarf, t: GoType, n: bigint): string | undefined {
  // Only types the program declared: a builtin `int` would name every 1 after some constant.
  if (!t.name.includes('.') || t.name.startsWith('C.')) return undefined;
  const consts = dw.constantsOf(t);
  if (consts.length === 0) return undefined;
  const bits = 64;
  const key = BigInt.asUintN(bits, n);
  const exact = consts.find((c) => BigInt.asUintN(bits, c.value) === key);
  if (exact) return exact.name;
  const flags = consts.filter((c) => c.value !== 0n).map((c) => ({ name: c.name, bit: BigInt.asUintN(bits, c.value) }));
  if (key === 0n || !flags.every((c) => isSingleBit(c.bit)) || new Set(flags.map((c) => c.bit)).size !== flags.length) return undefined;
  flags.sort((a, b) => (a.bit < b.bit ? -1 : 1));
  let rest = key;
  const names: string[] = [];
  for (const c of flags) {
    if (rest & c.bit) {
      names.push(c.name);
      rest &= ~c.bit;
    }
  }
  return rest === 0n ? names.join('|') : undefined;
}

// ───────────── reflect.Value ─────────────

/** reflect's flagIndir: ptr points at the value; without it, ptr is the (pointer-shaped) value itself. */
const FLAG_INDIR = 1n << 7n;

/**
 * The value a reflect.Value {typ_, ptr, flag} holds: null for the zero Value,
 * undefined when it does not look like one or its type is not in DWARF.
 */
export function reflectHeld(r: ValueReader, v: Value): Value | null | undefined {
  const typF = fieldNamed(v.type, 'typ_');
  const ptrF = fieldNamed(v.type, 'ptr');
  const flagF = fieldNamed(v.type, 'flag');
  if (!typF || !ptrF || !flagF) return undefined;
  const typ = r.pointer(r.field(v, typF));
  if (typ === 0) return null;
  const t = r.dwarf.typeByRuntimeAddr(typ);
  if (!t) return undefined;
  const ptr = r.pointer(r.field(v, ptrF));
  if (BigInt.asUintN(64, r.int(r.field(v, flagF))) & FLAG_INDIR) return { type: t, addr: ptr };
  if (t.size > 8) return undefined;
  return { type: t, bytes: encodeInt(BigInt(ptr), 8).subarray(0, t.size), computed: true };
}
