/**
 * Our register-ABI assignment (src/eval/callAbi.ts) against the compiler: for
 * every function of real binaries built with `-gcflags=all=-N -l`, the DWARF
 * the compiler wrote says where each formal parameter is at the function's
 * entry (the first location-list entry, or a single expression): register
 * pieces (DW_OP_regN or DW_OP_regx, with DW_OP_piece) for a register argument,
 * DW_OP_call_frame_cfa / DW_OP_fbreg off (the frame base is the CFA, the
 * callee's SP+8) for a stack one. Every parameter with a location must agree.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dwarf, locationAt, type DwarfFunction } from '../../src/dwarf/dwarf.js';
import type { GoType } from '../../src/dwarf/goTypes.js';
import { AbiError, abiLayout, alignOf, type AbiPlace } from '../../src/eval/callAbi.js';
import { dwarfSectionsOf, largeBinary } from '../dwarf/support.js';
import { buildFixture } from '../support/goBuild.js';

/** DWARF register numbers on amd64 of RAX RBX RCX RDI RSI R8 R9 R10 R11 (System V psABI numbering). */
const DWARF_INT = [0, 3, 2, 5, 4, 8, 9, 10, 11];
/** X0 is DWARF register 17. */
const DWARF_XMM0 = 17;

type Where = { kind: 'regs'; regs: [number, number, number?][] } | { kind: 'stack'; offset: number } | { kind: 'other'; hex: string };

function uleb(b: Uint8Array, i: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    const x = b[i++]!;
    v += (x & 0x7f) * 2 ** shift;
    shift += 7;
    if (x < 0x80) return [v, i];
  }
}

function sleb(b: Uint8Array, i: number): [number, number] {
  let v = 0;
  let shift = 0;
  let x: number;
  do {
    x = b[i++]!;
    v += (x & 0x7f) * 2 ** shift;
    shift += 7;
  } while (x >= 0x80);
  if (x & 0x40) v -= 2 ** shift;
  return [v, i];
}

/** What a location expression says, in the few forms Go's compiler writes for a parameter at entry. */
function whereOf(expr: Uint8Array): Where {
  const hex = Buffer.from(expr).toString('hex');
  if (expr.length === 1 && expr[0] === 0x9c) return { kind: 'stack', offset: 0 }; // DW_OP_call_frame_cfa
  if (expr[0] === 0x91) {
    const [off, end] = sleb(expr, 1); // DW_OP_fbreg
    return end === expr.length ? { kind: 'stack', offset: off } : { kind: 'other', hex };
  }
  const regs: [number, number][] = [];
  let pending: number | undefined;
  for (let i = 0; i < expr.length; ) {
    const op = expr[i++]!;
    if (op >= 0x50 && op <= 0x6f) pending = op - 0x50;
    else if (op === 0x90) [pending, i] = uleb(expr, i);
    else if (op === 0x93) {
      let size: number;
      [size, i] = uleb(expr, i);
      // A piece with no location before it: a part the compiler says is dead (-1 matches any register).
      regs.push([pending ?? -1, size]);
      pending = undefined;
    } else return { kind: 'other', hex };
  }
  if (pending !== undefined) regs.push([pending, 0]);
  return regs.length ? { kind: 'regs', regs } : { kind: 'other', hex };
}

/** Our place of a value, in the DWARF's terms: register numbers with piece sizes (0 when the whole value is one register). */
function ours(p: AbiPlace): Where {
  if (p.kind === 'stack') return { kind: 'stack', offset: p.offset };
  const regs = p.pieces.map((x): [number, number, number] => [x.cls === 'int' ? DWARF_INT[x.reg]! : DWARF_XMM0 + x.reg, x.size, x.offset]);
  return { kind: 'regs', regs };
}

/**
 * Whether the compiler's place agrees with ours: the same stack offset, or
 * the same registers with the same sizes in order. DWARF pieces follow the
 * value's bytes, with a piece with no register for a dead part or (not
 * always) for padding: so either the registers in order, padding left out,
 * or the register at each byte offset, a dead piece covering what we put there.
 */
function agrees(theirs: Where, mine: Where): boolean {
  if (theirs.kind === 'stack' || mine.kind === 'stack') return JSON.stringify(theirs) === JSON.stringify(mine);
  if (theirs.kind !== 'regs' || mine.kind !== 'regs') return false;
  // A value in one register is written without a piece (and a trailing zero-size field pads the type).
  if (theirs.regs.length === 1 && theirs.regs[0]![1] === 0) return mine.regs.length === 1 && theirs.regs[0]![0] === mine.regs[0]![0];
  const live = theirs.regs.filter(([r]) => r !== -1);
  if (live.length === mine.regs.length && live.every(([r, n], i) => r === mine.regs[i]![0] && n === mine.regs[i]![1])) return true;
  const at = new Map<number, number>();
  const dead: [number, number][] = [];
  let off = 0;
  for (const [r, n] of theirs.regs) {
    if (r === -1) dead.push([off, off + n]);
    else at.set(off, r);
    off += n;
  }
  const mineOff = new Map<number, number>();
  for (const [r, , o] of mine.regs as [number, number, number][]) mineOff.set(o, r);
  for (const [o, r] of at) if (mineOff.get(o) !== r) return false;
  for (const o of mineOff.keys()) if (!at.has(o) && !dead.some(([lo, hi]) => o >= lo && o < hi)) return false;
  return true;
}

/**
 * Go's stack ABI (ABI0): every argument on the stack in order, each at its
 * alignment. Go functions the runtime calls from assembly are compiled to it
 * (runtime.newproc, reflect.callMethod, …); their DWARF says so.
 */
function abi0Offsets(types: GoType[]): number[] {
  let off = 0;
  return types.map((t) => {
    off = Math.ceil(off / alignOf(t)) * alignOf(t);
    const at = off;
    off += t.size;
    return at;
  });
}

/**
 * Places where the compiler's DWARF is wrong, each checked against the
 * machine code of a call site (`go tool objdump`): scavengeOne loads
 * maxPages into DI before CALL findScavengeCandidate, as the ABI says, but
 * the DWARF of its parameter `max` names CX (the register of `minimum`).
 */
const DWARF_ERRATA = new Set(['runtime.(*pallocData).findScavengeCandidate max']);

/**
 * A generic function's or method's shape instance takes its dictionary as a
 * pointer argument (first for a function, right after the receiver for a
 * method); DWARF lists it as the formal `.dict` only sometimes. The closures
 * inside it and the type:.eq functions of shaped types take none. Answers
 * where the unlisted dictionary goes, or -1.
 */
function hiddenDict(fn: DwarfFunction): number {
  if (!fn.name.includes('[go.shape.') || fn.name.startsWith('type:') || fn.variables.some((v) => v.name === '.dict')) return -1;
  const tail = fn.name.slice(fn.name.lastIndexOf(']') + 1);
  if (tail === '') return 0;
  return /^\)?\.[^.]+$/.test(tail) && !/^\)?\.func\d+$/.test(tail) ? 1 : -1;
}

interface Tally {
  functions: number;
  abi0Functions: number;
  shapedFunctions: number;
  errata: number;
  params: number;
  registerParams: number;
  stackParams: number;
  skipped: number;
  disagree: string[];
}

function checkFunction(dw: Dwarf, fn: DwarfFunction, tally: Tally): void {
  const formals = fn.variables.filter((v) => v.kind === 'param' && !v.isReturn && v.depth === 0);
  const results = fn.variables.filter((v) => v.kind === 'param' && v.isReturn && v.depth === 0);
  if (!formals.length) return;
  let layout: ReturnType<typeof abiLayout>;
  let types: GoType[];
  let hidden = -1;
  try {
    types = formals.map((v) => dw.type(v.typeOffset));
    const abiArgs = [...types];
    hidden = hiddenDict(fn);
    if (hidden >= 0) {
      abiArgs.splice(hidden, 0, dw.typeByName('uintptr')!);
      tally.shapedFunctions++;
    }
    layout = abiLayout(
      abiArgs,
      results.map((v) => dw.type(v.typeOffset)),
    );
  } catch (e) {
    if (!(e instanceof AbiError)) throw e;
    tally.skipped++;
    return;
  }
  const places = formals.map((v) => {
    const loc = v.location instanceof Uint8Array ? v.location : v.location && locationAt(v.location, fn.lowPC);
    return loc ? whereOf(loc) : undefined;
  });
  const located = places.map((p, i) => [p, i] as const).filter(([p]) => p && p.kind !== 'other') as [Where, number][];
  // ABI0: all on the stack where we would use registers, at the stack ABI's offsets.
  if (located.length && located.every(([p]) => p.kind === 'stack') && layout.args.some((a) => a.kind === 'regs')) {
    const abi0 = abi0Offsets(types);
    tally.abi0Functions++;
    for (const [p, i] of located) {
      tally.params++;
      tally.stackParams++;
      if ((p as { offset: number }).offset !== abi0[i])
        tally.disagree.push(`${fn.name} ${formals[i]!.name}: DWARF ${JSON.stringify(p)}, ABI0 offset ${abi0[i]}`);
    }
    return;
  }
  tally.functions++;
  for (const [theirs, i] of located) {
    const v = formals[i]!;
    const mine = ours(layout.args[i + (hidden >= 0 && i >= hidden ? 1 : 0)]!);
    tally.params++;
    if (theirs.kind === 'regs') tally.registerParams++;
    else tally.stackParams++;
    if (!agrees(theirs, mine)) {
      if (DWARF_ERRATA.has(`${fn.name} ${v.name}`)) tally.errata++;
      else tally.disagree.push(`${fn.name} ${v.name} (${types[i]!.name}): DWARF ${JSON.stringify(theirs)}, ours ${JSON.stringify(mine)}`);
    }
  }
}

function checkBinary(bin: string, sample: (i: number) => boolean): Tally {
  const dw = new Dwarf(dwarfSectionsOf(bin));
  const tally: Tally = {
    functions: 0,
    abi0Functions: 0,
    shapedFunctions: 0,
    errata: 0,
    params: 0,
    registerParams: 0,
    stackParams: 0,
    skipped: 0,
    disagree: [],
  };
  dw.functions().forEach((f, i) => {
    if (!f.lowPC || !sample(i)) return;
    checkFunction(dw, dw.functionByOffset(f.offset), tally);
  });
  return tally;
}

describe('register ABI assignment vs the compiler’s DWARF', () => {
  it('testdata/fneval (-N -l): every parameter of every function, the signatures made to cover the rules', () => {
    const t = checkBinary(buildFixture('fneval'), () => true);
    console.log(`fneval: ${JSON.stringify({ ...t, disagree: t.disagree.length })}`);
    assert.deepEqual(t.disagree, []);
    assert.ok(t.functions > 1000 && t.registerParams > 2000 && t.stackParams > 20, JSON.stringify({ ...t, disagree: undefined }));
    // The rules the fixture exercises, each read from the compiler's DWARF above, spelled out here.
    const dw = new Dwarf(dwarfSectionsOf(buildFixture('fneval')));
    const fn = (name: string) => dw.functionByOffset(dw.functions().find((f) => f.name === name)!.offset);
    const param = (f: string, p: string) => {
      const d = fn(f);
      const v = d.variables.find((x) => x.name === p)!;
      return whereOf(v.location instanceof Uint8Array ? v.location : locationAt(v.location!, d.lowPC)!);
    };
    assert.deepEqual(param('main.ints10', 'j'), { kind: 'stack', offset: 0 }); // the tenth int: no register left
    assert.deepEqual(param('main.floats16', 'p'), { kind: 'stack', offset: 0 }); // the sixteenth float
    assert.deepEqual(param('main.withBig', 'big'), { kind: 'stack', offset: 0 }); // six ints after four: does not fit
    assert.deepEqual(param('main.withBig', 'e'), { kind: 'regs', regs: [[4, 0]] }); // counters reset: RSI after RDI
    assert.deepEqual(param('main.withStructs', 'w'), { kind: 'stack', offset: 0 }); // holds a [2]int
  });

  it('testdata/fneval built by Go 1.22 (DWARF 4): the same assignment', () => {
    const t = checkBinary(buildFixture('fneval', { env: { GOTOOLCHAIN: 'go1.22.12' } }), () => true);
    console.log(`fneval, Go 1.22: ${JSON.stringify({ ...t, disagree: t.disagree.length })}`);
    assert.deepEqual(t.disagree, []);
    assert.ok(t.functions > 1000 && t.registerParams > 2000 && t.stackParams > 20, JSON.stringify({ ...t, disagree: undefined }));
  });

  it('cmd/compile built with -N -l: a sample of a large real binary', () => {
    const t = checkBinary(largeBinary(), (i) => i % 4 === 0);
    console.log(`cmd/compile: ${JSON.stringify({ ...t, disagree: t.disagree.length })}`);
    assert.deepEqual(t.disagree.slice(0, 20), []);
    assert.ok(t.functions > 2000, JSON.stringify({ ...t, disagree: undefined }));
  });
});
