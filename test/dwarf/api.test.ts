/**
 * The queries the debugger makes, on the dwvalues fixture. Expectations come
 * from the Go source of the fixture, the Go runtime's data layouts, the ELF
 * symbol table and the pclntab (src/binary), not from the DWARF decoder.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { GoBinary } from '../../src/binary/goBinary.js';
import { Dwarf } from '../../src/dwarf/dwarf.js';
import type { GoType, StructType } from '../../src/dwarf/goTypes.js';
import { dwarfSectionsOf, dwvalues, dwvaluesGo122 } from './support.js';

function layout(t: GoType | undefined): string {
  assert.ok(t && (t.kind === 'struct' || t.kind === 'string' || t.kind === 'slice'), `struct-like type, got ${t?.kind} ${t?.name}`);
  return t.fields.map((f) => `${f.name}@${f.offset}:${f.type.name}`).join(' ');
}

function struct(t: GoType | undefined): StructType {
  assert.equal(t?.kind, 'struct', `${t?.name}`);
  return t as StructType;
}

function open(bin: string): { dw: Dwarf; gb: GoBinary } {
  const gb = GoBinary.open(readFileSync(bin));
  return { dw: new Dwarf(dwarfSectionsOf(bin), gb.elf.symbol('runtime.types')?.value), gb };
}

for (const version of [5, 4] as const) {
  describe(`Go types, DWARF ${version}`, () => {
    const { dw, gb } = open(dwvalues(version));

    it('main.Item: embedded fields, nested anonymous struct, arrays', () => {
      const item = struct(dw.typeByName('main.Item'));
      assert.deepEqual(
        item.fields.map((f) => [f.name, f.offset, f.type.name, f.embedded]),
        [
          ['Point', 0, 'main.Point', true],
          ['Named', 16, '*main.Named', true],
          ['ID', 24, 'int64', false],
          ['Tags', 32, '[]string', false],
          ['Inner', 56, 'struct { A uint8; B [3]uint16 }', false],
          ['Price', 64, 'float64', false],
        ],
      );
      assert.equal(item.size, 72);
      const inner = struct(item.fields[4]!.type);
      const b = inner.fields[1]!.type;
      assert.ok(b.kind === 'array' && b.count === 3 && b.elem.name === 'uint16' && b.size === 6);
    });

    it('a cyclic type resolves lazily to the same object', () => {
      const node = struct(dw.typeByName('main.Node'));
      const next = node.fields[1]!.type;
      assert.ok(next.kind === 'pointer');
      assert.equal(next.elem, node);
      assert.equal(dw.typeByName('*main.Node'), next);
    });

    it('every kind in main.Order', () => {
      const o = struct(dw.typeByName('main.Order'));
      const kinds = Object.fromEntries(o.fields.map((f) => [f.name, `${f.type.kind} ${f.type.size}`]));
      assert.deepEqual(kinds, {
        Items: 'slice 24',
        ByPoint: 'map 8',
        Counts: 'map 8',
        Head: 'pointer 8',
        Any: 'interface 16',
        Shape: 'interface 16',
        Err: 'interface 16',
        Done: 'chan 8',
        Results: 'chan 8',
        OnEvent: 'func 8',
        Raw: 'unsafePointer 8',
        Z64: 'complex 8',
        Z128: 'complex 16',
        Flags: 'array 4',
        Ptr: 'uintptr 8',
        Small: 'int 1',
        Medium: 'int 2',
        Word: 'int 4',
        U: 'uint 8',
        U8: 'uint 1',
        U16: 'uint 2',
        U32: 'uint 4',
        U64: 'uint 8',
        F32: 'float 4',
        Rn: 'int 4',
        By: 'uint 1',
        Mi: 'int 8',
        Is: 'slice 24',
        H: 'func 8',
        P: 'struct 24',
        Matrix: 'array 48',
        Empty: 'struct 0',
        Children: 'slice 24',
      });
      const byName = (n: string) => o.fields.find((f) => f.name === n)!.type;
      assert.equal(byName('Mi').name, 'main.MyInt');
      assert.equal(byName('Is').name, 'main.Ints');
      const is = byName('Is');
      assert.ok(is.kind === 'slice' && is.elem.name === 'int');
      const p = struct(byName('P'));
      assert.equal(p.name, 'main.Pair[string,int]');
      assert.equal(layout(p), 'Key@0:string Val@16:int');
      const m = byName('Matrix');
      assert.ok(m.kind === 'array' && m.count === 2 && m.elem.kind === 'array' && m.elem.count === 3);
    });

    it('string, slice and interface layouts', () => {
      assert.equal(layout(dw.typeByName('string')), 'str@0:*uint8 len@8:int');
      assert.equal(layout(dw.typeByName('[]string')), 'array@0:*string len@8:int cap@16:int');
      const any = dw.typeByName('interface {}');
      assert.ok(any?.kind === 'interface' && any.empty);
      assert.equal(layout(any.layout), '_type@0:*internal/abi.Type data@8:unsafe.Pointer');
      for (const n of ['error', 'main.Shape']) {
        const t = dw.typeByName(n);
        assert.ok(t?.kind === 'interface' && !t.empty, n);
        assert.equal(layout(t.layout), 'tab@0:*internal/abi.ITab data@8:unsafe.Pointer');
      }
    });

    it('maps are pointers to Swiss-table headers map<K,V> (Go 1.24+)', () => {
      const m = dw.typeByName('map[main.Point]string');
      assert.ok(m?.kind === 'map');
      assert.equal(m.key.name, 'main.Point');
      assert.equal(m.elem.name, 'string');
      assert.ok(m.swiss);
      assert.ok(m.header.kind === 'pointer');
      const hdr = struct(m.header.elem);
      assert.equal(hdr.name, 'map<main.Point,string>');
      const f = Object.fromEntries(hdr.fields.map((x) => [x.name, x]));
      assert.equal(f.used?.offset, 0);
      assert.equal(f.dirPtr?.type.name, '**table<main.Point,string>');
      assert.equal(f.dirLen?.type.name, 'int');
      const table = struct(dw.typeByName('table<main.Point,string>'));
      const groups = struct(table.fields.find((x) => x.name === 'groups')!.type);
      assert.equal(layout(groups), 'data@0:*noalg.map.group[main.Point]string lengthMask@8:uint64');
      const group = struct(dw.typeByName('noalg.map.group[main.Point]string'));
      assert.equal(group.fields[0]!.name, 'ctrl');
      const slots = group.fields[1]!.type;
      assert.ok(slots.kind === 'array' && slots.count === 8);
      assert.equal(layout(slots.elem), 'key@0:main.Point elem@16:string');
    });

    it('channels are pointers to hchan<T>; direction from the type name', () => {
      const c = dw.typeByName('chan bool');
      assert.ok(c?.kind === 'chan' && c.dir === 'both' && c.elem.name === 'bool');
      assert.ok(c.header.kind === 'pointer');
      const h = struct(c.header.elem);
      assert.equal(h.name, 'hchan<bool>');
      for (const n of ['qcount', 'dataqsiz', 'buf', 'elemsize', 'closed', 'sendx', 'recvx', 'recvq', 'sendq']) {
        assert.ok(
          h.fields.some((f) => f.name === n),
          n,
        );
      }
      const s = dw.typeByName('chan<- int');
      assert.ok(s?.kind === 'chan' && s.dir === 'send');
    });

    it('func types: params, results, variadic', () => {
      const h = dw.typeByName('main.Handler');
      assert.ok(h?.kind === 'func');
      assert.deepEqual(
        h.params.map((p) => p.name),
        ['string', '[]int'],
      );
      assert.deepEqual(
        h.results.map((p) => p.name),
        ['int', 'error'],
      );
      assert.equal(h.variadic, true);
      const f = dw.typeByName('func(int) bool');
      assert.ok(f?.kind === 'func' && !f.variadic && f.params[0]?.name === 'int' && f.results[0]?.name === 'bool');
    });

    it('runtime types: runtime.g, runtime._type (an alias of internal/abi.Type)', () => {
      const g = struct(dw.typeByName('runtime.g'));
      assert.ok(g.fields.some((f) => f.name === 'goid'));
      const t = struct(dw.typeByName('runtime._type'));
      assert.equal(t.name, 'internal/abi.Type');
      assert.equal(t.fields[0]!.name, 'Size_');
    });

    it('DW_AT_go_runtime_type + runtime.types is the runtime type descriptor (decoded from .rodata); typeByRuntimeAddr finds it back', () => {
      // Decode the internal/abi.Type in .rodata: Size_ @0, TFlag @20, Kind_ @23, Str @40 (a NameOff from runtime.types).
      const descriptor = (addr: number) => {
        const typesBase = gb.elf.symbol('runtime.types')!.value;
        const b = gb.elf.readAt(addr, 48)!;
        const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
        const nameAt = typesBase + v.getInt32(40, true);
        const nb = gb.elf.readAt(nameAt, 3)!;
        let len = 0;
        let shift = 0;
        let i = 1;
        for (; ; i++) {
          len |= (nb[i]! & 0x7f) << shift;
          if (!(nb[i]! & 0x80)) break;
          shift += 7;
        }
        let name = new TextDecoder().decode(gb.elf.readAt(nameAt + i + 1, len)!);
        if (b[20]! & 2) name = name.slice(1); // TFlagExtraStar
        return { size: Number(v.getBigUint64(0, true)), kind: b[23]! & 0x1f, name };
      };
      const names = [
        'main.Item',
        '*main.Order',
        'main.Rect',
        'int',
        'string',
        '[]int',
        'map[string]int',
        'main.MyInt',
        'main.Pair[string,int]',
        'chan bool',
        'main.Shape',
        'interface {}',
        'func(int) bool',
        '[4]bool',
        'unsafe.Pointer',
      ];
      for (const name of names) {
        const t = dw.typeByName(name);
        assert.ok(t?.runtimeType, name);
        const addr = dw.runtimeTypeAddr(t)!;
        assert.equal(addr, gb.elf.symbol('runtime.types')!.value + t.runtimeType);
        // The linker writes no DW_AT_go_kind on unsafe.Pointer's bare pointer DIE.
        const kind = t.kind === 'unsafePointer' ? 26 : t.goKind;
        assert.deepEqual(descriptor(addr), { size: t.size, kind, name }, name);
        assert.equal(dw.typeByRuntimeAddr(addr), t, name);
      }
      assert.equal(dw.typeByRuntimeAddr(0x1234), undefined);
    });

    it('globals: addresses agree with the ELF symbol table', () => {
      const globals = dw.globals('main');
      assert.deepEqual(globals.map((g) => g.name).sort(), ['main.counter', 'main.globalOrder', 'main.greeting', 'main.table']);
      for (const g of globals) assert.equal(g.address, gb.elf.symbol(g.name)?.value, g.name);
      assert.equal(dw.type(dw.global('main.table')!.typeOffset).name, 'map[string]int');
      assert.equal(dw.type(dw.global('main.globalOrder')!.typeOffset).name, '*main.Order');
      assert.ok(dw.globals().length > globals.length);
    });

    it('lexical blocks: variablesAt marks the shadowed outer y in main.shadow', () => {
      const fn = dw.functions().find((f) => f.name === 'main.shadow')!;
      const full = dw.functionByOffset(fn.offset);
      assert.equal(full.declLine, 125);
      assert.match(full.declFile ?? '', /testdata\/dwvalues\/main\.go$/);
      const rows = dw.lineRowsForFunction(full);
      const pcOfLine = (line: number) => rows.find((r) => r.line === line && r.isStmt)!.address;
      // line 131: z := i + y, inside the for loop inside the if block
      const inner = dw.variablesAt(pcOfLine(131));
      const ys = inner.filter((v) => v.name === 'y');
      assert.deepEqual(
        ys.map((v) => [v.declLine, v.depth, v.shadowed]),
        [
          [126, 0, true],
          [128, 1, false],
        ],
      );
      assert.ok(inner.some((v) => v.name === 'i'));
      assert.deepEqual(
        inner.filter((v) => v.kind === 'param').map((v) => [v.name, v.isReturn]),
        [
          ['x', false],
          ['result', true],
          ['err', true],
        ],
      );
      // line 137: result += y, after the if: one y, not shadowed; no i, no z
      const outer = dw.variablesAt(pcOfLine(137));
      assert.deepEqual(
        outer.filter((v) => v.name === 'y').map((v) => [v.declLine, v.shadowed]),
        [[126, false]],
      );
      assert.ok(!outer.some((v) => v.name === 'i' || v.name === 'z'));
    });

    it('closures: captured variables carry DW_AT_go_closure_offset', () => {
      const fn = dw.functions().find((f) => f.name === 'main.makeCounter.func1')!;
      const n = dw.functionByOffset(fn.offset).variables.find((v) => v.name === '&n');
      assert.ok(n, 'captured &n');
      assert.equal(n.closureOffset, 8); // after the closure's code pointer
      assert.equal(dw.type(n.typeOffset).name, '*int');
    });

    it('functionAt agrees with the pclntab on every function entry', () => {
      let n = 0;
      for (let i = 0; i < gb.pclntab.funcCount; i++) {
        const f = gb.pclntab.funcAt(i);
        const fn = dw.functionAt(f.entry);
        if (!fn) continue; // assembly without DWARF subprograms
        assert.equal(fn.name, f.name);
        assert.equal(fn.lowPC, f.entry);
        n++;
      }
      assert.ok(n > 1500, `${n} functions`);
    });

    it('prologueEndPC: the first prologue_end row, after the stack check, inside the function', () => {
      const fn = dw.functions().find((f) => f.name === 'main.build')!;
      const pe = dw.prologueEndPC(fn.lowPC)!;
      assert.ok(pe > fn.lowPC && pe < fn.highPC);
      const row = dw.lineRowsForFunction(dw.functionByOffset(fn.offset)).find((r) => r.address === pe)!;
      assert.equal(row.line, 141); // func build(n int) *Order {
    });
  });
}

describe('optimized build: inlined calls', () => {
  for (const version of [5, 4] as const) {
    it(`DWARF ${version}: inlinedAt(pc) chains equal the pclntab inline tree at every PC of main.*, fmt.* and strconv.*`, () => {
      const { dw, gb } = open(dwvalues(version, true));
      let pcs = 0;
      let inlinedPcs = 0;
      for (const f of dw.functions()) {
        if (!/^(main|fmt|strconv)\./.test(f.name)) continue;
        for (let pc = f.lowPC; pc < f.highPC; pc++) {
          const ours = dw.inlinedAt(pc);
          const frames = gb.pclntab.inlinedFramesAt(pc);
          const theirs = frames
            .filter((x) => x.inlined)
            .map((x) => x.funcName)
            .reverse();
          assert.deepEqual(
            ours.map((c) => c.name),
            theirs,
            `pc 0x${pc.toString(16)} in ${f.name}`,
          );
          if (ours.length) {
            // The innermost call's call site is the caller frame's position.
            const inner = ours[ours.length - 1]!;
            assert.equal(`${inner.callFile}:${inner.callLine}`, `${frames[1]!.file}:${frames[1]!.line}`);
            inlinedPcs++;
          }
          pcs++;
        }
      }
      assert.ok(pcs > 20000 && inlinedPcs > 2000, `${pcs} PCs, ${inlinedPcs} inside inlined calls`);
    });
  }
});

describe('Go 1.22 (classic maps)', () => {
  it('maps are pointers to hash<K,V> (runtime.hmap) with bucket<K,V>', () => {
    const dw = new Dwarf(dwarfSectionsOf(dwvaluesGo122()));
    const m = dw.typeByName('map[string]int');
    assert.ok(m?.kind === 'map' && !m.swiss);
    assert.ok(m.header.kind === 'pointer');
    const h = struct(m.header.elem);
    assert.equal(h.name, 'hash<string,int>');
    assert.deepEqual(
      h.fields.map((f) => f.name),
      ['count', 'flags', 'B', 'noverflow', 'hash0', 'buckets', 'oldbuckets', 'nevacuate', 'extra'],
    );
    const b = struct(dw.typeByName('bucket<string,int>'));
    assert.deepEqual(
      b.fields.map((f) => `${f.name}@${f.offset}`),
      ['tophash@0', 'keys@8', 'values@136', 'overflow@200'],
    );
    assert.equal(dw.typeByName('runtime.itab')?.name, 'runtime.itab'); // Go 1.22 still has this DIE: the alias is only a fallback
  });
});
