/**
 * The register-liveness scan on hand-assembled bytes and on the bytes of a
 * real `-N -l` function (main.lineTotal of testdata/setvars as go tool
 * objdump printed it). Each sequence is given with GNU objdump's reading of
 * the same bytes (`objdump -D -b binary -m i386:x86-64`), the oracle for what
 * the instructions read and write.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode } from '../../../src/arch/x86/decoder.js';
import { registerLive, registerUse, untouchedSinceEntry, type FunctionCode } from '../../../src/arch/x86/registerLiveness.js';

function code(start: number, ...hex: string[]): FunctionCode {
  return { start, bytes: Uint8Array.from(Buffer.from(hex.join(''), 'hex')) };
}
function use(hex: string) {
  return registerUse(decode(Uint8Array.from(Buffer.from(hex, 'hex')), 0)!);
}

// main.lineTotal(it Item) float64, Item{Name string; Qty int; Price float64}: Name in AX/BX, Qty in CX, Price in X0.
const lineTotal = code(
  0x4bf140,
  '55', //                 push %rbp
  '4889e5', //             mov %rsp,%rbp
  '4883ec10', //           sub $0x10,%rsp
  '4889442420', //         mov %rax,0x20(%rsp)
  '48895c2428', //         mov %rbx,0x28(%rsp)
  '48894c2430', //         mov %rcx,0x30(%rsp)
  'f20f11442438', //       movsd %xmm0,0x38(%rsp)
  '48c7042400000000', //   movq $0x0,(%rsp)
  '0f57c9', //             0x4bf165 (line 34): xorps %xmm1,%xmm1
  'f2480f2ac9', //         cvtsi2sd %rcx,%xmm1
  'f20f59c1', //           mulsd %xmm1,%xmm0
  'f20f11442408', //       movsd %xmm0,0x8(%rsp)
  'f20f110424', //         movsd %xmm0,(%rsp)
  '4883c410', //           add $0x10,%rsp
  '5d', //                 pop %rbp
  'c3', //                 ret
);
const firstLine = 0x4bf165;

test('lineTotal at its first line: RCX and X0 are still read, X1 is zeroed before use', () => {
  assert.equal(registerLive(lineTotal, firstLine, 'CX'), true);
  assert.equal(registerLive(lineTotal, firstLine, 'X0'), true);
  assert.equal(registerLive(lineTotal, firstLine, 'X1'), false);
  // Never named before the return: a return counts as a read (results go back in registers).
  assert.equal(registerLive(lineTotal, firstLine, 'DX'), true);
  // At the conversion, X1 has just been zeroed and the multiply reads it.
  assert.equal(registerLive(lineTotal, 0x4bf16d, 'X1'), true);
});

test('lineTotal: the argument registers are untouched from the entry to the first line; RBP is not', () => {
  assert.deepEqual(untouchedSinceEntry(lineTotal, firstLine, ['AX', 'BX', 'CX', 'X0', 'X1', 'BP']), ['AX', 'BX', 'CX', 'X0', 'X1']);
  // After `xorps %xmm1,%xmm1; cvtsi2sd %rcx,%xmm1`, X1 holds something else; RCX was only read.
  assert.deepEqual(untouchedSinceEntry(lineTotal, 0x4bf16d, ['CX', 'X1']), ['CX']);
  // Not an instruction boundary: nothing is known.
  assert.deepEqual(untouchedSinceEntry(lineTotal, firstLine + 1, ['CX']), []);
});

test('both ways of a branch are followed; a register written on every path before a read is dead', () => {
  const c = code(
    0,
    '7405', //   0: je 0x7
    '4889c8', // 2: mov %rcx,%rax
    'eb03', //   5: jmp 0xa
    '4831c0', // 7: xor %rax,%rax
    '488903', // a: mov %rax,(%rbx)
    'c3', //     d: ret
  );
  assert.equal(registerLive(c, 0, 'AX'), false);
  assert.equal(registerLive(c, 0, 'CX'), true, 'read on the fall-through path');
  assert.equal(registerLive(c, 7, 'CX'), true, 'the return reads it');
  assert.equal(registerLive(c, 0, 'BX'), true, 'the store reads its address register');
  // An unconditional jump on the line from the entry: nothing is known to be untouched.
  assert.deepEqual(untouchedSinceEntry(c, 10, ['DX']), []);
});

test('a loop is scanned once; a register cleared after it is dead', () => {
  const c = code(
    0,
    '48ffc9', // 0: dec %rcx
    '75fb', //   3: jne 0x0
    '31d2', //   5: xor %edx,%edx
    'c3', //     7: ret
  );
  assert.equal(registerLive(c, 0, 'DX'), false);
  assert.equal(registerLive(c, 0, 'CX'), true);
  // A branch back to the entry itself is allowed (the stack-growth path returns there); one to (entry, pc] is not.
  assert.deepEqual(untouchedSinceEntry(c, 3, ['DX']), ['DX']);
  const back = code(
    0,
    '90', //   0: nop
    '90', //   1: nop
    '90', //   2: nop
    'ebfd', // 3: jmp 0x2
  );
  assert.deepEqual(untouchedSinceEntry(back, 1, ['AX']), ['AX']);
  assert.deepEqual(untouchedSinceEntry(back, 2, ['AX']), []);
});

test('calls, unmodelled instructions and leaving the function count as reads', () => {
  assert.equal(registerLive(code(0, 'e800000000', 'c3'), 0, 'SI'), true, 'call: arguments travel in registers');
  assert.equal(registerLive(code(0, '48f7e1', '31ff', 'c3'), 0, 'DI'), true, 'mul %rcx is not modelled');
  assert.equal(registerLive(code(0, '90'), 0, 'AX'), true, 'runs off the end of the code');
  assert.equal(registerLive(code(0, 'ffe0'), 0, 'AX'), true, 'jmp *%rax');
});

test('what single instructions read and overwrite', () => {
  // mov %cl,%al: a byte write keeps the rest of RAX, so RAX is read and changed, not overwritten.
  assert.deepEqual(use('88c8'), { reads: ['CX', 'AX'], writes: [], changes: ['AX'] });
  // mov %ecx,%eax: a 32-bit write clears the top half.
  assert.deepEqual(use('89c8'), { reads: ['CX'], writes: ['AX'], changes: ['AX'] });
  // mov 0x30(%rsp),%rcx
  assert.deepEqual(use('488b4c2430'), { reads: ['SP'], writes: ['CX'], changes: ['CX'] });
  // add %rcx,%rax
  assert.deepEqual(use('4801c8'), { reads: ['CX', 'AX'], writes: [], changes: ['AX'] });
  // xor %eax,%eax: the zeroing idiom uses nothing.
  assert.deepEqual(use('31c0'), { reads: [], writes: ['AX'], changes: ['AX'] });
  // movsd %xmm0,0x38(%rsp): a store reads its source and address.
  assert.deepEqual(use('f20f11442438'), { reads: ['X0', 'SP'], writes: [], changes: [] });
  // cmp 0x10(%r14),%r12
  assert.deepEqual(use('4d3b6610'), { reads: ['R14', 'R12'], writes: [], changes: [] });
  assert.equal(use('48f7e1').unknown, true);
  // nopl 0x0(%rax,%rax,1): an address that is never computed.
  assert.deepEqual(use('0f1f440000'), { reads: [], writes: [], changes: [] });
});
