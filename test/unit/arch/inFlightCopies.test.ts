/**
 * Copies a statement has already made of some bytes (inFlightCopies), on
 * hand-assembled code; GNU objdump's reading of each instruction beside it.
 * RSP is 0x1000 throughout (spAt), so 0x30(%rsp) is address 0x1030.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inFlightCopies } from '../../../src/arch/x86/inFlightCopies.js';
import type { FunctionCode } from '../../../src/arch/x86/registerLiveness.js';

function code(...hex: string[]): FunctionCode {
  return { start: 0, bytes: Uint8Array.from(Buffer.from(hex.join(''), 'hex')) };
}
const sp = () => 0x1000;

test('a register loaded from the bytes and read later is in flight', () => {
  const c = code(
    '488b4c2430', // 0: mov 0x30(%rsp),%rcx
    '4801c8', //     5: add %rcx,%rax
    'c3', //         8: ret
  );
  assert.deepEqual(inFlightCopies(c, 0, 5, 0x1030, 0x1038, sp), { register: 'CX' });
  // RAX was computed from RCX: at the return both hold something made of the bytes.
  assert.ok(inFlightCopies(c, 0, 8, 0x1030, 0x1038, sp)?.register);
  // Nothing read yet at the statement's first instruction; other bytes were never read.
  assert.equal(inFlightCopies(c, 0, 0, 0x1030, 0x1038, sp), undefined);
  assert.equal(inFlightCopies(c, 0, 5, 0x1040, 0x1048, sp), undefined);
  // One byte of the eight read is enough.
  assert.deepEqual(inFlightCopies(c, 0, 5, 0x1037, 0x1038, sp), { register: 'CX' });
});

test('a copy stored elsewhere is in flight even after its register is cleared', () => {
  const c = code(
    '488b542430', // 0: mov 0x30(%rsp),%rdx
    '4889542440', // 5: mov %rdx,0x40(%rsp)
    '31d2', //       a: xor %edx,%edx
    'c3', //         c: ret
  );
  assert.deepEqual(inFlightCopies(c, 0, 12, 0x1030, 0x1038, sp), { copied: true });
  assert.deepEqual(inFlightCopies(c, 0, 5, 0x1030, 0x1038, sp), { register: 'DX' });
});

test('RIP-relative loads name absolute addresses', () => {
  // 0: mov 0x10(%rip),%rax  → address 0x7 + 0x10 = 0x17; 7: ret
  const c = code('488b0510000000', 'c3');
  assert.deepEqual(inFlightCopies(c, 0, 7, 0x17, 0x1f, sp), { register: 'AX' });
  assert.equal(inFlightCopies(c, 0, 7, 0x1030, 0x1038, sp), undefined);
});

test('registers holding the bytes since the entry: what the statement computed from them is in flight, they are not', () => {
  // main.lineTotal's line 34 from 0x4bf165: Qty arrived in RCX (a holder), the conversion puts float64(Qty) in X1.
  const c: FunctionCode = {
    start: 0x4bf165,
    bytes: Uint8Array.from(
      Buffer.from(
        [
          '0f57c9', //     0x4bf165: xorps %xmm1,%xmm1
          'f2480f2ac9', // 0x4bf168: cvtsi2sd %rcx,%xmm1
          'f20f59c1', //   0x4bf16d: mulsd %xmm1,%xmm0
          'c3', //         0x4bf171: ret
        ].join(''),
        'hex',
      ),
    ),
  };
  assert.deepEqual(inFlightCopies(c, 0x4bf165, 0x4bf16d, 0x1030, 0x1038, sp, ['CX']), { register: 'X1' });
  // Before the conversion, only the holder has the value (the caller writes it too).
  assert.equal(inFlightCopies(c, 0x4bf165, 0x4bf168, 0x1030, 0x1038, sp, ['CX']), undefined);
  // X0 (Price) is only read by the multiply, which has not run yet.
  assert.equal(inFlightCopies(c, 0x4bf165, 0x4bf16d, 0x1038, 0x1040, sp, ['X0']), undefined);
});

test("a holder stored back into the bytes themselves (an argument's spill) is no copy; stored elsewhere it is", () => {
  const c = code(
    '4889442428', // 0: mov %rax,0x28(%rsp)
    'c3', //         5: ret
  );
  assert.equal(inFlightCopies(c, 0, 5, 0x1028, 0x1030, sp, ['AX']), undefined);
  assert.deepEqual(inFlightCopies(c, 0, 5, 0x1040, 0x1048, sp, ['AX']), { copied: true });
});
