/**
 * The unwinder's use of call frame information, on a made-up stack: a C
 * function (no Go tables, CFI only) called by a Go function. Also the single
 * CFI step on its own, for the rule shapes it accepts and refuses.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RegisterRule, UnwindRules } from '../../../src/dwarf/frame.js';
import { callFrameStep } from '../../../src/unwind/callFrameStep.js';
import { type UnwindTables, unwindStack } from '../../../src/unwind/unwinder.js';
import { wordMemory } from '../../support/wordMemory.js';

function rules(cfa: { reg: number; offset: number }, regs: [number, RegisterRule][]): UnwindRules {
  return { cfa, cfaRule: { kind: 'regOffset', ...cfa }, rules: new Map(regs), returnAddressRegister: 16 };
}
const RA: [number, RegisterRule] = [16, { kind: 'offset', offset: -8 }];

test('a CFI step: CFA from RSP or RBP, the return address and RBP from their slots', () => {
  const mem = new Map([
    [0x7f00_0038, 0x40_1234],
    [0x7f00_0030, 0x7f00_0100],
  ]);
  const read = (a: number) => mem.get(a);
  assert.deepEqual(callFrameStep(rules({ reg: 7, offset: 0x40 }, [RA]), 0x7f00_0000, 0xc000_0000, read), {
    kind: 'caller',
    ret: 0x40_1234,
    cfa: 0x7f00_0040,
    bp: 0xc000_0000,
  });
  assert.deepEqual(callFrameStep(rules({ reg: 6, offset: 0x10 }, [RA, [6, { kind: 'offset', offset: -16 }]]), 0x7f00_0000, 0x7f00_0030, read), {
    kind: 'caller',
    ret: 0x40_1234,
    cfa: 0x7f00_0040,
    bp: 0x7f00_0100,
  });
});

test('a CFI step: an undefined return address is the outermost frame; untracked registers and expressions are refused', () => {
  const read = () => 0;
  assert.deepEqual(callFrameStep(rules({ reg: 7, offset: 8 }, [[16, { kind: 'undefined' }]]), 0x1000, 0, read), { kind: 'outermost', cfa: 0x1008 });
  assert.equal(callFrameStep(rules({ reg: 10, offset: 8 }, [RA]), 0x1000, 0, read), undefined, 'CFA in R10');
  const exprCfa: UnwindRules = { ...rules({ reg: -1, offset: 0 }, [RA]), cfaRule: { kind: 'expression', expr: new Uint8Array([0x77, 8]) } };
  assert.equal(callFrameStep(exprCfa, 0x1000, 0, read), undefined, 'CFA expression');
  assert.equal(callFrameStep(rules({ reg: 7, offset: 8 }, [[16, { kind: 'register', reg: 0 }]]), 0x1000, 0, read), undefined, 'RA in RAX');
  assert.equal(
    callFrameStep(rules({ reg: 7, offset: 16 }, [RA, [6, { kind: 'expression', expr: new Uint8Array() }]]), 0x1000, 0, read),
    undefined,
    'RBP by expression',
  );
});

test('unwindStack walks a C frame by CFI, then the Go caller by its SP delta; without CFI it stops', () => {
  // C function at 0x5000..0x5100, frame 0x30 bytes (CFA = RSP+0x38); its caller main.goCaller at 0x4000..0x4100, SP delta 0x18.
  const goCaller = { name: 'main.goCaller', entry: 0x4000, end: 0x4100 };
  const outer = { name: 'runtime.goexit', entry: 0x3000, end: 0x3100 };
  const go: UnwindTables = {
    funcForPC: (pc) => [goCaller, outer].find((f) => pc >= f.entry && pc < f.end),
    spDelta: (pc) => (pc >= 0x4000 && pc < 0x4100 ? 0x18 : 0),
  };
  const withCfi: UnwindTables = {
    ...go,
    callFrameRulesAt: (pc) => (pc >= 0x5000 && pc < 0x5100 ? rules({ reg: 7, offset: 0x38 }, [RA]) : undefined),
  };
  const sp = 0xc000_1000;
  const mem = new Map([
    [sp + 0x30, 0x4042], // return address into main.goCaller
    [sp + 0x38 + 0x18, 0x3010], // main.goCaller's return address into runtime.goexit
  ]);
  const opts = { mem: wordMemory((a) => mem.get(a)) };
  const frames = unwindStack({ pc: 0x5010, sp, bp: 0 }, withCfi, opts);
  assert.deepEqual(
    frames.map((f) => [f.pc, f.fn?.name, f.via]),
    [
      [0x5010, undefined, 'cfi'],
      [0x4042, 'main.goCaller', 'pcsp'],
      [0x3010, 'runtime.goexit', 'end'],
    ],
  );
  assert.equal(frames[1]!.sp, sp + 0x38);
  assert.deepEqual(
    unwindStack({ pc: 0x5010, sp, bp: 0 }, go, opts).map((f) => f.via),
    ['end'],
    'no CFI, no frame pointer',
  );
});
