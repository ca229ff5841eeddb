/**
 * Corrupt DWARF: truncated and bit-flipped sections of a real binary
 * (deterministic PRNG). Every query must either succeed or throw DecodeError:
 * never another exception, never a hang.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecodeError } from '../../src/binary/reader.js';
import { Dwarf, locationAt } from '../../src/dwarf/dwarf.js';
import { FrameTable } from '../../src/dwarf/frame.js';
import type { GoType } from '../../src/dwarf/goTypes.js';
import { evalLocation } from '../../src/dwarf/ops.js';
import type { DwarfSections } from '../../src/dwarf/sections.js';
import { dwarfSectionsOf, dwvalues, prng } from './support.js';

type Key = keyof DwarfSections;

/** Exercises the public API on `s`, swallowing DecodeErrors query by query. */
function workload(s: DwarfSections, rnd: () => number): { ok: number; decodeErrors: number } {
  let ok = 0;
  let decodeErrors = 0;
  const q = (f: () => void): void => {
    try {
      f();
      ok++;
    } catch (e) {
      if (e instanceof DecodeError) decodeErrors++;
      else throw e;
    }
  };
  let dw: Dwarf | undefined;
  q(() => {
    dw = new Dwarf(s);
  });
  if (!dw) return { ok, decodeErrors };
  const d = dw;
  let fns: { lowPC: number; offset: number }[] = [];
  q(() => {
    fns = d.functions();
  });
  q(() => {
    for (const c of d.compileUnits().slice(0, 8)) d.lineTable(c);
  });
  q(() => d.globals('main'));
  // Functions in depth, with their location lists and expressions.
  const ctx = { regs: () => 0x1000n, cfa: 0x2000, frameBase: 0x2000, readMemory: (_a: number, n: number) => new Uint8Array(n), ptrSize: 8 as const };
  for (let i = 0; i < 12 && fns.length; i++) {
    const f = fns[Math.floor(rnd() * fns.length)]!;
    q(() => {
      const fn = d.functionAt(f.lowPC) ?? d.functionByOffset(f.offset);
      for (const v of fn.variables) {
        const expr = v.location instanceof Uint8Array ? v.location : v.location ? locationAt(v.location, f.lowPC) : undefined;
        if (expr) q(() => evalLocation(expr, ctx));
        q(() => walkType(d.type(v.typeOffset), new Set()));
      }
      d.variablesAt(f.lowPC);
      d.lineRowsForFunction(fn);
    });
  }
  for (const name of ['main.Order', 'runtime.g', 'map[string]int', '*main.Node']) {
    q(() => {
      const t = d.typeByName(name);
      if (t) walkType(t, new Set());
    });
  }
  q(() => {
    const f = s.frame ? new FrameTable(s.frame) : undefined;
    for (let i = 0; i < 20 && fns.length; i++) q(() => f?.unwindRulesAt(fns[Math.floor(rnd() * fns.length)]!.lowPC + 3));
  });
  return { ok, decodeErrors };
}

/** Touches every reachable type (fields, elems, keys, headers), once each. */
function walkType(t: GoType, seen: Set<number>): void {
  if (seen.has(t.offset) || seen.size > 5000) return;
  seen.add(t.offset);
  switch (t.kind) {
    case 'struct':
    case 'string':
      for (const f of t.fields) walkType(f.type, seen);
      break;
    case 'slice':
      for (const f of t.fields) walkType(f.type, seen);
      walkType(t.elem, seen);
      break;
    case 'pointer':
    case 'array':
      walkType(t.elem, seen);
      break;
    case 'map':
      walkType(t.key, seen);
      walkType(t.elem, seen);
      walkType(t.header, seen);
      break;
    case 'chan':
      walkType(t.elem, seen);
      walkType(t.header, seen);
      break;
    case 'func':
      for (const p of [...t.params, ...t.results]) walkType(p, seen);
      break;
    case 'interface':
      walkType(t.layout, seen);
      break;
    case 'typedef':
      walkType(t.target, seen);
      break;
  }
}

function mutate(s: DwarfSections, key: Key, rnd: () => number, mode: 'truncate' | 'flip'): DwarfSections {
  const orig = s[key]!;
  let bytes: Uint8Array;
  if (mode === 'truncate') {
    bytes = orig.slice(0, Math.floor(rnd() * orig.length));
  } else {
    bytes = orig.slice();
    const flips = 1 + Math.floor(rnd() * 8);
    for (let i = 0; i < flips; i++) bytes[Math.floor(rnd() * bytes.length)]! ^= 1 << Math.floor(rnd() * 8);
  }
  return { ...s, [key]: bytes };
}

describe('corrupt DWARF never throws anything but DecodeError', () => {
  for (const version of [5, 4] as const) {
    const keys: Key[] =
      version === 5 ? ['info', 'abbrev', 'line', 'loclists', 'rnglists', 'addr', 'frame'] : ['info', 'abbrev', 'line', 'loc', 'ranges', 'frame'];
    it(`DWARF ${version}: ${keys.length * 30} mutated copies`, () => {
      const base = dwarfSectionsOf(dwvalues(version, true));
      const rnd = prng(version * 7919);
      let decodeErrors = 0;
      let cases = 0;
      for (const key of keys) {
        for (let i = 0; i < 30; i++) {
          const s = mutate(base, key, rnd, i % 3 === 0 ? 'truncate' : 'flip');
          const r = workload(s, prng(i + 1));
          decodeErrors += r.decodeErrors;
          cases++;
        }
      }
      assert.equal(cases, keys.length * 30);
      // The corruption must actually be seen, or this test proves nothing.
      assert.ok(decodeErrors > cases / 2, `${decodeErrors} DecodeErrors over ${cases} cases`);
    });
  }
  it('the unmutated sections run the whole workload without a DecodeError', () => {
    const r = workload(dwarfSectionsOf(dwvalues(5, true)), prng(1));
    assert.equal(r.decodeErrors, 0);
    assert.ok(r.ok > 50);
  });
});
