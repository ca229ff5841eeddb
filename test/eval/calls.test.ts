/**
 * Call expressions in the evaluator, on testdata/fneval's real DWARF and
 * static memory (the ELF's loaded sections: globals, read-only strings,
 * the compiler's itabs), with a fake FunctionCaller that records each
 * CallRequest and answers a canned outcome. Every expected register, stack
 * byte and frame size is worked out by hand from Go's ABI document
 * (cmd/compile/abi-internal.md: RAX RBX RCX RDI RSI R8…, X0…; stack
 * arguments, results, then a spill slot per register argument), and every
 * entry PC is the ELF symbol of that name, not our DWARF lookup.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { GoBinary } from '../../src/binary/goBinary.js';
import { SHF_ALLOC, SHT_PROGBITS } from '../../src/binary/elf.js';
import { Dwarf } from '../../src/dwarf/dwarf.js';
import type { CallOutcome, CallRequest } from '../../src/eval/callContract.js';
import { evaluate, type EvalScope } from '../../src/eval/evaluator.js';
import { formatConst, type Result } from '../../src/eval/results.js';
import type { MemoryReader } from '../../src/process/memory.js';
import { formatValue } from '../../src/values/format.js';
import type { Value } from '../../src/values/value.js';
import { ValueReader } from '../../src/values/valueReader.js';
import { dwarfSectionsOf } from '../dwarf/support.js';
import { buildFixture } from '../support/goBuild.js';

const bin = buildFixture('fneval');
const gb = GoBinary.open(readFileSync(bin));
const dw = new Dwarf(dwarfSectionsOf(bin), gb.elf.symbol('runtime.types')?.value);
const sym = (name: string): number => {
  const s = gb.elf.symbol(name);
  assert.ok(s, `symbol ${name}`);
  return s.value;
};

/** The program's memory: its loaded sections, and regions a test adds (a heap). */
const regions: [number, Uint8Array][] = [];
for (const s of gb.elf.sections) {
  if (s.type !== SHT_PROGBITS || !(s.flags & SHF_ALLOC) || !s.addr) continue;
  const b = gb.elf.rawSectionData(s);
  if (b) regions.push([s.addr, b]);
}
const mem: MemoryReader = {
  readInto(addr, out) {
    for (const [a, b] of regions) {
      if (addr >= a && addr + out.length <= a + b.length) {
        out.set(b.subarray(addr - a, addr - a + out.length));
        return out.length;
      }
    }
    return 0;
  },
};
let heapNext = 0xc000_0000;
/** Bytes placed in the fake heap; their address. */
function heap(bytes: Uint8Array): number {
  const at = heapNext;
  regions.push([at, bytes]);
  heapNext += Math.ceil(bytes.length / 16) * 16 + 16;
  return at;
}
const le = (...words: (number | bigint)[]) => {
  const b = new Uint8Array(words.length * 8);
  const v = new DataView(b.buffer);
  words.forEach((w, i) => v.setBigUint64(i * 8, BigInt(w), true));
  return b;
};
const f64 = (x: number) => {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x, true);
  return v.getBigUint64(0, true);
};
const f32 = (x: number) => {
  const v = new DataView(new ArrayBuffer(4));
  v.setFloat32(0, x, true);
  return BigInt(v.getUint32(0, true));
};
const text = (s: string) => new TextEncoder().encode(s);
const rodata = gb.elf.section('.rodata')!;
const rodataBytes = Buffer.from(gb.elf.rawSectionData(rodata)!);
const findBytes = (b: Uint8Array) => {
  const i = rodataBytes.indexOf(b);
  return i < 0 ? undefined : rodata.addr + i;
};

// Locals of main, as the test lays them out: interfaces over the compiler's static itabs, a closure, a slice.
const T = (name: string) => {
  const t = dw.typeByName(name);
  assert.ok(t, `type ${name}`);
  return t;
};
const squareData = heap(le(f64(2)));
const myErrData = heap(le(42));
const closure = heap(le(sym('main.main.func1'), 10));
const xsData = heap(le(1, 2, 3));
const locals: Record<string, Value> = {
  shape: { type: T('main.Shape'), bytes: le(sym('go:itab.main.Square,main.Shape'), squareData) },
  err: { type: T('error'), bytes: le(sym('go:itab.*main.myErr,error'), myErrData) },
  addBase: { type: T('func(int) int'), bytes: le(closure) },
  xs: { type: T('[]int'), bytes: le(xsData, 3, 3) },
  nilErr: { type: T('error'), bytes: le(0, 0) },
  // A func value at the code of an ABI0 wrapper (which takes its arguments on the stack).
  abi0Fn: {
    type: {
      kind: 'func',
      name: 'func(uintptr, unsafe.Pointer, int32) int32',
      size: 8,
      offset: -1,
      goKind: 19,
      runtimeType: 0,
      params: [],
      results: [],
      variadic: false,
    },
    bytes: le(heap(le(sym('runtime.write.abi0')))),
  },
};

/** The addresses that play a goroutine's stack (none by default). */
let stackRange: [number, number] = [0, 0];
let calls: CallRequest[] = [];
/** Canned outcomes by function name; the default returns zeros in every register and frame byte. */
let answers: Record<string, (req: CallRequest) => CallOutcome> = {};
const returned = (intResults: bigint[], floatResults: bigint[] = [], frame = new Uint8Array(0)): CallOutcome => ({
  kind: 'returned',
  intResults,
  floatResults,
  frame,
});

function scope(withCalls = true): EvalScope {
  const reader = new ValueReader({ mem, dwarf: dw, funcName: () => undefined });
  return {
    reader,
    dwarf: dw,
    pkg: 'main',
    local: (n) => locals[n],
    findBytes,
    onStack: (a) => a >= stackRange[0] && a < stackRange[1],
    ...(withCalls
      ? {
          call: (req: CallRequest) => {
            calls.push(req);
            return (answers[req.name] ?? ((q: CallRequest) => returned(new Array(9).fill(0n), new Array(15).fill(0n), new Uint8Array(q.frameSize))))(req);
          },
        }
      : {}),
  };
}

function run(expr: string, withCalls = true): { shown: string; res: Result; reqs: CallRequest[] } {
  calls = [];
  const s = scope(withCalls);
  const res = evaluate(s, expr);
  const shown = res.k === 'const' ? formatConst(res.c) : formatValue(s.reader, res.v);
  return { shown, res, reqs: calls };
}

/** The request's registers and frame, compared with what the ABI document gives. */
function expectRequest(
  req: CallRequest,
  want: { entry: string; ints: bigint[]; floats?: bigint[]; frameSize: number; stack?: [number, Uint8Array][]; closure?: number },
) {
  assert.equal(req.entry, sym(want.entry), `entry of ${want.entry}`);
  assert.deepEqual(req.intArgs, want.ints);
  assert.deepEqual(req.floatArgs, want.floats ?? []);
  assert.equal(req.frameSize, want.frameSize);
  assert.ok(req.stackArgs.length <= req.frameSize);
  const stack = new Uint8Array(req.frameSize);
  for (const [off, b] of want.stack ?? []) stack.set(b, off);
  assert.deepEqual([...req.stackArgs, ...new Uint8Array(req.frameSize - req.stackArgs.length)], [...stack]);
  assert.equal(req.closure, want.closure === undefined ? undefined : BigInt(want.closure));
}

describe('call expressions: the request by the register ABI', () => {
  test('add(2, 3): two ints in RAX, RBX; a 16-byte spill area; the int result from RAX', () => {
    answers = { 'main.add': () => returned([5n]) };
    const { shown, reqs } = run('add(2, 3)');
    assert.equal(shown, '5');
    expectRequest(reqs[0]!, { entry: 'main.add', ints: [2n, 3n], frameSize: 16 });
  });

  test('greet("x"): a string constant is the program’s own bytes (RAX pointer, RBX length); the result string is read from the program', () => {
    const hello = heap(text('hello, x'));
    answers = { 'main.greet': () => returned([BigInt(hello), 8n]) };
    const { shown, reqs } = run('greet("x")');
    assert.equal(shown, '"hello, x"');
    expectRequest(reqs[0]!, { entry: 'main.greet', ints: [BigInt(findBytes(text('x'))!), 1n], frameSize: 16 });
  });

  test('half(5), halve32(3): floats in X0 (a float32 in the low 32 bits), results from X0', () => {
    answers = { 'main.half': () => returned([], [f64(2.5)]), 'main.halve32': () => returned([], [f32(1.5)]) };
    const h = run('half(5)');
    assert.equal(h.shown, '2.5');
    expectRequest(h.reqs[0]!, { entry: 'main.half', ints: [], floats: [f64(5)], frameSize: 8 });
    const h32 = run('halve32(3)');
    assert.equal(h32.shown, '1.5');
    expectRequest(h32.reqs[0]!, { entry: 'main.halve32', ints: [], floats: [f32(3)], frameSize: 8 });
  });

  test('ints10(1…10): nine in registers, the tenth on the stack at offset 0, spill for nine after it', () => {
    run('ints10(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)').reqs.forEach((r) =>
      expectRequest(r, { entry: 'main.ints10', ints: [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n], frameSize: 8 + 9 * 8, stack: [[0, le(10)]] }),
    );
  });

  test('floats16(1…16): X0–X14, the sixteenth on the stack', () => {
    const args = Array.from({ length: 16 }, (_, i) => i + 1);
    const { reqs } = run(`floats16(${args.join(', ')})`);
    expectRequest(reqs[0]!, { entry: 'main.floats16', ints: [], floats: args.slice(0, 15).map(f64), frameSize: 8 + 15 * 8, stack: [[0, le(f64(16))]] });
  });

  test('mixed(int8, float32, string, bool, uint16, float64): each class in order, spill slots at their alignment', () => {
    const sq = findBytes(text('square'))!;
    const { reqs } = run('mixed(-1, 2.5, "square", true, 7, 0.5)');
    // Spill: int8 @0, float32 @4, string @8, bool @24, uint16 @26, float64 @32 → 40.
    expectRequest(reqs[0]!, { entry: 'main.mixed', ints: [0xffn, BigInt(sq), 6n, 1n, 7n], floats: [f32(2.5), f64(0.5)], frameSize: 40 });
  });

  test('withBig(1, 2, 3, 4, Big{…}, 5): the struct does not fit in the five registers left, goes to the stack, and e takes RSI', () => {
    const { reqs } = run('withBig(1, 2, 3, 4, main.Big{1, 2, 3, 4, 5, 6}, 5)');
    expectRequest(reqs[0]!, { entry: 'main.withBig', ints: [1n, 2n, 3n, 4n, 5n], frameSize: 48 + 5 * 8, stack: [[0, le(1, 2, 3, 4, 5, 6)]] });
  });

  test('withStructs(Pair, Point, WithArr): a struct field by field across both classes; one holding a [2]int goes to the stack', () => {
    const { reqs } = run('withStructs(main.Pair{1, 0.5}, main.Point{2, 3}, main.WithArr{4, [2]int{5, 6}})');
    // Spill: Pair @0 (16), Point @16 (16) → 32 after the 24-byte stack argument.
    expectRequest(reqs[0]!, { entry: 'main.withStructs', ints: [1n, 2n, 3n], floats: [f64(0.5)], frameSize: 24 + 32, stack: [[0, le(4, 5, 6)]] });
  });

  test('manyResults(): results past the registers come from the frame, after the (absent) stack arguments', () => {
    // Results: int RAX; string RBX RCX; float64 X0; []int RDI RSI R8; error R9 R10; Point R11 + none left → stack @0; Big → stack @16.
    const frame = new Uint8Array(64);
    frame.set(le(4, 5), 0);
    frame.set(le(0, 0, 0, 0, 0, 6), 16);
    const two = findBytes(text('two'))!;
    answers = { 'main.manyResults': () => returned([1n, BigInt(two), 3n, 0n, 0n, 0n, 0n, 0n, 0n], [f64(3)], frame) };
    const { shown, reqs } = run('manyResults()');
    expectRequest(reqs[0]!, { entry: 'main.manyResults', ints: [], frameSize: 64 });
    assert.match(shown, /^1, "two", 3, \[\]int len: 0, cap: 0, nil, error nil, main\.Point \{X: 4, Y: 5\}, main\.Big \{.*F: 6\}$/);
  });
});

describe('call expressions: methods, interfaces, closures', () => {
  test('pt.Dist2(): a value receiver is the value, field by field', () => {
    const { reqs } = run('pt.Dist2()');
    expectRequest(reqs[0]!, { entry: 'main.Point.Dist2', ints: [3n, 4n], frameSize: 16 });
  });

  test('pt.Scale(2): a pointer method on an addressable variable takes &pt; the struct result from RAX, RBX', () => {
    answers = { 'main.(*Point).Scale': () => returned([6n, 8n]) };
    const { shown, reqs } = run('pt.Scale(2)');
    assert.equal(shown, 'main.Point {X: 6, Y: 8}');
    expectRequest(reqs[0]!, { entry: 'main.(*Point).Scale', ints: [BigInt(sym('main.pt')), 2n], frameSize: 16 });
  });

  test('named.Describe(5), named.Value(): a struct receiver with an embedded struct; a method promoted from the embedded field', () => {
    const word = (addr: number) => new DataView(readFun(addr).buffer).getBigUint64(0, true);
    const named = sym('main.named'); // Named{Counter{n, name}, Label}: n @0, name @8 (ptr, len), Label @24
    const [inner, outer] = [word(named + 8), word(named + 24)];
    run('named.Describe(5)').reqs.forEach((r) => expectRequest(r, { entry: 'main.Named.Describe', ints: [7n, inner, 5n, outer, 5n, 5n], frameSize: 48 }));
    run('named.Value()').reqs.forEach((r) => expectRequest(r, { entry: 'main.Counter.Value', ints: [7n, BigInt(inner), 5n], frameSize: 24 }));
  });

  test('(&pt).Dist2() takes *p; a pointer method on a value that is not addressable is Go’s error', () => {
    run('(&pt).Dist2()').reqs.forEach((r) => expectRequest(r, { entry: 'main.Point.Dist2', ints: [3n, 4n], frameSize: 16 }));
    assert.throws(() => run('main.Point{1, 2}.Scale(2)'), { message: /cannot call pointer method Scale on main\.Point/ });
  });

  test('shape.Area(), shape.Name(): the itab’s code at the method’s index in the sorted method list, the data word as receiver', () => {
    const a = run('shape.Area()').reqs[0]!;
    const n = run('shape.Name()').reqs[0]!;
    const itab = sym('go:itab.main.Square,main.Shape');
    const fun = (i: number) => Number(new DataView(new Uint8Array(readFun(itab + 24 + i * 8)).buffer).getBigUint64(0, true));
    assert.equal(a.entry, fun(0));
    assert.equal(n.entry, fun(1));
    assert.deepEqual(a.intArgs, [BigInt(squareData)]);
    assert.deepEqual(n.intArgs, [BigInt(squareData)]);
  });

  test('err.Error(): *main.myErr’s method, receiver the pointer; a nil interface is refused', () => {
    const r = run('err.Error()').reqs[0]!;
    expectRequest(r, { entry: 'main.(*myErr).Error', ints: [BigInt(myErrData)], frameSize: 8 });
    assert.throws(() => run('nilErr.Error()'), { message: /nilErr is nil/ });
  });

  test('addBase(1): a closure is called at its funcval’s first word with RDX = the funcval', () => {
    run('addBase(1)').reqs.forEach((r) => expectRequest(r, { entry: 'main.main.func1', ints: [1n], frameSize: 8, closure }));
  });

  test('sum(xs...) passes the slice; sum(1, 2, 3) would allocate and is refused', () => {
    run('sum(xs...)').reqs.forEach((r) => expectRequest(r, { entry: 'main.sum', ints: [BigInt(xsData), 3n, 3n], frameSize: 24 }));
    assert.throws(() => run('sum(1, 2, 3)'), { message: /calling sum with 3 variadic arguments would allocate a \[\]int in the program/ });
    assert.throws(() => run('add(xs...)'), { message: /cannot use \.\.\. in call to non-variadic add/ });
  });
});

test('an argument or receiver that points into a goroutine’s stack is refused before anything runs', () => {
  stackRange = [xsData, xsData + 24];
  try {
    assert.throws(() => run('sum(xs...)'), { message: /^cannot pass xs to sum: it points into a goroutine's stack/ });
    stackRange = [squareData, squareData + 8];
    assert.throws(() => run('shape.Area()'), { message: /^cannot pass the receiver shape to shape\.Area: it points into a goroutine's stack/ });
    stackRange = [sym('main.pt'), sym('main.pt') + 16];
    assert.throws(() => run('pt.Scale(2)'), { message: /cannot pass the receiver pt to pt\.Scale/ });
    assert.throws(() => run('withIface(nil, nil, &pt)'), { message: /^cannot pass &pt to withIface: it points into a goroutine's stack/ });
    // A value receiver is a copy: no pointer to the stack is passed.
    run('pt.Dist2()').reqs.forEach((r) => expectRequest(r, { entry: 'main.Point.Dist2', ints: [3n, 4n], frameSize: 16 }));
  } finally {
    stackRange = [0, 0];
  }
});

function readFun(addr: number): Uint8Array {
  const out = new Uint8Array(8);
  assert.equal(mem.readInto(addr, out), 8);
  return out;
}

describe('call expressions: Go’s rules and the debugger’s refusals', () => {
  test('a call is an operand: add(1, 2) + 1, len(name()), s == "x", a call result passed to a call', () => {
    const gopher = heap(text('gopher'));
    answers = { 'main.add': (q) => returned([q.intArgs[0]! + q.intArgs[1]!]), 'main.name': () => returned([BigInt(gopher), 6n]) };
    assert.equal(run('add(1, 2) + 1').shown, '4');
    assert.equal(run('len(name())').shown, '6');
    assert.equal(run('name() == "gopher"').shown, 'true');
    assert.equal(run('add(add(1, 2), 3)').shown, '6');
    const g = run('greet(name())');
    assert.deepEqual(g.reqs[1]!.intArgs, [BigInt(gopher), 6n]);
  });

  test('Delve’s `call f(2)` is the call', () => {
    answers = { 'main.add': () => returned([3n]) };
    assert.equal(run('call add(1, 2)').shown, '3');
    assert.throws(() => run('call add(1, 2) +'), { message: /at column 17$/ }); // the column of the text as typed
  });

  test('the count, the types and the constants are checked as the compiler checks them', () => {
    assert.throws(() => run('add(1)'), { message: 'not enough arguments in call to add\n\thave (number)\n\twant (int, int) at column 1' });
    assert.throws(() => run('add(1, 2, "x")'), {
      message: 'too many arguments in call to add\n\thave (number, number, string)\n\twant (int, int) at column 1',
    });
    assert.throws(() => run('add(1.5, 2)'), { message: 'cannot use 1.5 (untyped float constant) as int value in argument to add (truncated) at column 5' });
    assert.throws(() => run('greet(3)'), { message: /^cannot use 3 \(untyped int constant\) as string value in argument to greet/ });
    assert.throws(() => run('add(pt, 1)'), { message: /^cannot use pt \(variable of type main\.Point\) as int value in argument to add/ });
    assert.throws(() => run('greet("no such bytes anywhere")'), { message: /the program holds no such bytes/ });
    assert.equal(calls.length, 0);
  });

  test('several results or none: answered at the top, Go’s errors as operands', () => {
    answers = { 'main.divmod': () => returned([3n, 1n]) };
    assert.equal(run('divmod(7, 2)').shown, '3, 1');
    assert.throws(() => run('divmod(7, 2) + 1'), { message: /^multiple-value divmod\(7, 2\) \(value of type \(int, int\)\) in single-value context/ });
    assert.equal(run('nothing()').shown, '');
    assert.throws(() => run('nothing() + 1'), { message: /^nothing\(\) \(no value\) used as value/ });
  });

  test('a panic answers the panic value: a string, an errors.New error', () => {
    const boom = heap(text('boom'));
    const strHeader = heap(le(boom, 4));
    answers = { 'main.boom': () => ({ kind: 'panicked', typeWord: BigInt(dw.runtimeTypeAddr(T('string'))!), dataWord: BigInt(strHeader) }) };
    assert.throws(() => run('boom("square")'), { message: /^panic: boom$/ });
    const msg = heap(text('wrapped failure'));
    const es = heap(le(msg, 15));
    answers = {
      'main.boomErr': () => ({ kind: 'panicked', typeWord: BigInt(dw.runtimeTypeAddr(T('*errors.errorString'))!), dataWord: BigInt(es) }),
      // As Go's runtime does before printing: the error's Error(), one more call, on the panic value.
      'errors.(*errorString).Error': () => returned([BigInt(msg), 15n]),
    };
    let c: CallRequest[] = [];
    assert.throws(
      () => {
        try {
          run('boomErr()');
        } finally {
          c = calls;
        }
      },
      { message: /^panic: wrapped failure$/ },
    );
    expectRequest(c[1]!, { entry: 'errors.(*errorString).Error', ints: [BigInt(es)], frameSize: 8 });
    // If that call cannot be made, the value is read as it is.
    answers['errors.(*errorString).Error'] = () => {
      throw new Error('no');
    };
    assert.throws(() => run('boomErr()'), { message: /^panic: wrapped failure$/ });
  });

  test('where calls are not allowed (conditions, hover) a call is refused before anything runs', () => {
    assert.throws(() => run('add(1, 2)', false), { message: /function calls are not allowed in this context/ });
    assert.equal(calls.length, 0);
  });

  test('a function by Go’s stack ABI (ABI0) is refused; a caller error is the evaluate’s error', () => {
    assert.throws(() => run('abi0Fn(1, nil, 3)'), { message: /stack ABI \(ABI0\)/ });
    assert.equal(calls.length, 0);
    answers = {
      'main.add': () => {
        throw new Error('the goroutine is not at a safe point');
      },
    };
    assert.throws(() => run('add(1, 2)'), { message: /cannot call add: the goroutine is not at a safe point/ });
  });
});
