/**
 * The frame-read scan (frameReads, slotUse) on the bytes of a real `-N -l`
 * function and on hand-assembled ones. main.folded below was built by Go
 * 1.26 from
 *
 *     s := "start"
 *     n := 5
 *     fmt.Printf("folded %q %d\n", s, n)
 *
 * and printed by go tool objdump: s lives at 0x38(SP) and is only written
 * (the literal is passed on); n at 0x28(SP) is loaded once, into DX and on
 * into the temporary at 0x30(SP), which nothing reads: Printf gets a static
 * 5 (LEAQ 0x3386f(IP), DX at 0x4be672), not n. Offsets are from
 * the CFA; after the prologue RSP = CFA − 0xa8 (return address, saved RBP,
 * SUBQ $0x98).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frameReads, slotUse } from '../../../src/arch/x86/frameReads.js';
import type { FunctionCode } from '../../../src/arch/x86/registerLiveness.js';

function code(start: number, ...hex: string[]): FunctionCode {
  return { start, bytes: Uint8Array.from(Buffer.from(hex.join(''), 'hex')) };
}

const folded = code(
  0x4be5e0,
  '4c8d6424e0', // 0x4be5e0: LEAQ -0x20(SP), R12
  '4d3b6610', // 0x4be5e5: CMPQ R12, 0x10(R14)
  '0f86d4000000', // 0x4be5e9: JBE 0x4be6c3
  '55', // 0x4be5ef: PUSHQ BP
  '4889e5', // 0x4be5f0: MOVQ SP, BP
  '4881ec98000000', // 0x4be5f3: SUBQ $0x98, SP
  '488d15cf880200', // 0x4be5fa: LEAQ 0x288cf(IP), DX
  '4889542438', // 0x4be601: MOVQ DX, 0x38(SP)
  '48c744244005000000', // 0x4be606: MOVQ $0x5, 0x40(SP)
  '48c744242805000000', // 0x4be60f: MOVQ $0x5, 0x28(SP)
  '4889942488000000', // 0x4be618: MOVQ DX, 0x88(SP)
  '48c784249000000005000000', // 0x4be620: MOVQ $0x5, 0x90(SP)
  '488b542428', // 0x4be62c: MOVQ 0x28(SP), DX
  '4889542430', // 0x4be631: MOVQ DX, 0x30(SP)
  '488d542468', // 0x4be636: LEAQ 0x68(SP), DX
  '440f113a', // 0x4be63b: MOVUPS X15, 0(DX)
  '440f117a10', // 0x4be63f: MOVUPS X15, 0x10(DX)
  '488d542468', // 0x4be644: LEAQ 0x68(SP), DX
  '4889542448', // 0x4be649: MOVQ DX, 0x48(SP)
  '488d158bb70000', // 0x4be64e: LEAQ 0xb78b(IP), DX
  '4889542468', // 0x4be655: MOVQ DX, 0x68(SP)
  '488d15e7390300', // 0x4be65a: LEAQ 0x339e7(IP), DX
  '4889542470', // 0x4be661: MOVQ DX, 0x70(SP)
  '488d15b3b90000', // 0x4be666: LEAQ 0xb9b3(IP), DX
  '4889542478', // 0x4be66d: MOVQ DX, 0x78(SP)
  '488d156f380300', // 0x4be672: LEAQ 0x3386f(IP), DX
  '4889942480000000', // 0x4be679: MOVQ DX, 0x80(SP)
  '488b4c2448', // 0x4be681: MOVQ 0x48(SP), CX
  '8401', // 0x4be686: TESTB AL, 0(CX)
  'eb00', // 0x4be688: JMP 0x4be68a
  '48894c2450', // 0x4be68a: MOVQ CX, 0x50(SP)
  '48c744245802000000', // 0x4be68f: MOVQ $0x2, 0x58(SP)
  '48c744246002000000', // 0x4be698: MOVQ $0x2, 0x60(SP)
  '488d059f9b0200', // 0x4be6a1: LEAQ 0x29b9f(IP), AX
  'bb0d000000', // 0x4be6a8: MOVL $0xd, BX
  'bf02000000', // 0x4be6ad: MOVL $0x2, DI
  '4889fe', // 0x4be6b2: MOVQ DI, SI
  'e80699ffff', // 0x4be6b5: CALL fmt.Printf(SB)
  '4881c498000000', // 0x4be6ba: ADDQ $0x98, SP
  '5d', // 0x4be6c1: POPQ BP
  'c3', // 0x4be6c2: RET
  'e818a3fcff', // 0x4be6c3: CALL runtime.morestack_noctxt.abi0(SB)
  'e913ffffff', // 0x4be6c8: JMP main.folded(SB)
);

/** The pclntab SP delta of main.folded: 0 until PUSHQ BP, 8 until SUBQ, 0xa0 in the body, back down in the epilogue; 0 on the stack-growth path. */
function foldedDelta(pc: number): number {
  if (pc <= 0x4be5ef) return 0;
  if (pc <= 0x4be5f3) return 8;
  if (pc <= 0x4be6ba) return 0xa0;
  if (pc === 0x4be6c1) return 8;
  return 0;
}

/** RSP − CFA in the body of main.folded. */
const SP = -0xa8;

test('main.folded: s is written and never read; n is only copied into a dead temporary; the stack-bound check takes no address', () => {
  // fmt.Printf(format string, a ...any): 16 + 24 bytes of spill slots; runtime.morestack_noctxt: none.
  const fr = frameReads(folded, foldedDelta, (entry) => ({ 0x4b7fc0: 40, 0x4889e0: 0 })[entry]);
  assert.equal(fr.unsure, undefined);
  assert.equal(fr.calleeArgs, 40);
  // s: 16 bytes at 0x38(SP).
  assert.deepEqual(slotUse(fr, SP + 0x38, SP + 0x48), { kind: 'unread' });
  // s.len alone, one byte of s.ptr alone.
  assert.deepEqual(slotUse(fr, SP + 0x40, SP + 0x48), { kind: 'unread' });
  assert.deepEqual(slotUse(fr, SP + 0x3f, SP + 0x40), { kind: 'unread' });
  // n: MOVQ 0x28(SP), DX; MOVQ DX, 0x30(SP); DX overwritten next (LEAQ 0x68(SP), DX): a copy into 0x30(SP), read by nothing.
  assert.deepEqual(
    fr.reads.find((r) => r.pc === 0x4be62c),
    { pc: 0x4be62c, off: SP + 0x28, size: 8, copyTo: { off: SP + 0x30, size: 8, spOff: 0x30 } },
  );
  assert.deepEqual(slotUse(fr, SP + 0x28, SP + 0x30), { kind: 'unread' });
  // The [2]interface{} at 0x68(SP): only written, but its address is taken (LEAQ 0x68(SP), DX) and stored.
  assert.deepEqual(slotUse(fr, SP + 0x70, SP + 0x78, SP + 0x68, SP + 0x88), { kind: 'addressed', pc: 0x4be636 });
  // The same bytes as a variable of their own, not holding 0x68(SP): no read reaches them.
  assert.deepEqual(slotUse(fr, SP + 0x70, SP + 0x78), { kind: 'unread' });
  // LEAQ -0x20(SP), R12 at the entry (RSP = CFA − 8) computes CFA − 0x28, below RSP: not an address of anything.
  assert.ok(!fr.addressed.some((a) => a.off === -8 - 0x20), JSON.stringify(fr.addressed));
  // POPQ BP reads the saved RBP (CFA − 16), RET the return address (CFA − 8).
  assert.deepEqual(slotUse(fr, -16, -8), { kind: 'read', pc: 0x4be6c1 });
  assert.deepEqual(slotUse(fr, -8, 0), { kind: 'read', pc: 0x4be6c2 });
});

test('reads through compares, wide loads and memory sources count; stores do not', () => {
  const delta = () => 0x20; // RSP = CFA − 0x28 throughout
  const fr = frameReads(
    code(
      0,
      '483b442430', //   cmp 0x30(%rsp),%rax
      '0f10442410', //   movups 0x10(%rsp),%xmm0
      '4803442408', //   add 0x8(%rsp),%rax
      '4889442418', //   mov %rax,0x18(%rsp)
      'c3', //           ret
    ),
    delta,
  );
  const sp = -0x28;
  assert.deepEqual(slotUse(fr, sp + 0x30, sp + 0x38), { kind: 'read', pc: 0 });
  // MOVUPS reads 16 bytes: the last of them, 0x1f(%rsp), is read.
  assert.deepEqual(slotUse(fr, sp + 0x1f, sp + 0x20), { kind: 'read', pc: 5 });
  assert.deepEqual(slotUse(fr, sp + 0x8, sp + 0x10), { kind: 'read', pc: 10 });
  // 0x20..0x30 is stored by nothing here and read by nothing; the store at 0x18 lands inside MOVUPS's bytes.
  assert.deepEqual(slotUse(fr, sp + 0x20, sp + 0x30), { kind: 'unread' });
});

test('a load that only moves bytes into another slot is a read when that slot is used, and only then', () => {
  const delta = () => 0x20; // RSP = CFA − 0x28 throughout
  const sp = -0x28;
  const scan = (...hex: string[]) => frameReads(code(0, ...hex, 'c3'), delta);
  // movzbl 0x2e(%rsp),%ecx; mov %cl,0x2f(%rsp); xor %ecx,%ecx: 0x2e is copied into 0x2f, which nothing reads.
  const dead = scan('0fb64c242e', '884c242f', '31c9');
  assert.deepEqual(dead.reads[0]?.copyTo, { off: sp + 0x2f, size: 1, spOff: 0x2f });
  assert.deepEqual(slotUse(dead, sp + 0x2e, sp + 0x2f), { kind: 'unread' });
  // ... and 0x2f read later (movzbl 0x2f(%rsp),%eax): the copy is used.
  assert.deepEqual(slotUse(scan('0fb64c242e', '884c242f', '31c9', '0fb644242f'), sp + 0x2e, sp + 0x2f), { kind: 'read', pc: 0 });
  // A chain: 0x2e → 0x2f → 0x30, the last read by a compare.
  const chain = scan('0fb64c242e', '884c242f', '31c9', '0fb654242f', '88542430', '31d2', '807c243000');
  assert.deepEqual(slotUse(chain, sp + 0x2e, sp + 0x2f), { kind: 'read', pc: 0 });
  // The register still read after the store (add %ecx,%eax): not a copy.
  assert.deepEqual(slotUse(scan('0fb64c242e', '884c242f', '01c8'), sp + 0x2e, sp + 0x2f), { kind: 'read', pc: 0 });
  // The register dies only at ret, which counts as reading every register: not a copy.
  assert.deepEqual(slotUse(scan('0fb64c242e', '884c242f'), sp + 0x2e, sp + 0x2f), { kind: 'read', pc: 0 });
  // A narrower store than the load (mov 0x8(%rsp),%rcx; mov %cl,0x2f(%rsp)): the other bytes are read, not copied.
  assert.deepEqual(slotUse(scan('488b4c2408', '884c242f', '31c9'), sp + 0x8, sp + 0x10), { kind: 'read', pc: 0 });
  // Another register stored (mov %dl,0x2f(%rsp)): not a copy.
  assert.deepEqual(slotUse(scan('0fb64c242e', '8854242f', '31c9'), sp + 0x2e, sp + 0x2f), { kind: 'read', pc: 0 });
  // A call whose argument area reaches the temporary (8 + 0x28 bytes of stack arguments and spill slots), or an unknown callee: the callee may read it.
  const withCall = (args: number | undefined) =>
    frameReads(code(0, '0fb64c242e', '884c242f', '31c9', 'e800000000', 'c3'), delta, (entry) => (entry === 16 ? args : undefined));
  assert.deepEqual(slotUse(withCall(0x30), sp + 0x2e, sp + 0x2f), { kind: 'read', pc: 0 });
  assert.deepEqual(slotUse(withCall(undefined), sp + 0x2e, sp + 0x2f), { kind: 'read', pc: 0 });
  assert.deepEqual(slotUse(withCall(0x18), sp + 0x2e, sp + 0x2f), { kind: 'unread' });
  // An address taken below the temporary (lea 0x20(%rsp),%rax): an object there may hold it, so the copy counts.
  assert.deepEqual(slotUse(scan('0fb64c242e', '884c242f', '31c9', '488d442420'), sp + 0x2e, sp + 0x2f), { kind: 'read', pc: 0 });
});

test('what the scan cannot follow makes it unsure, and unsure answers no verdict of unread', () => {
  const delta = () => 0x20;
  const cases: [string, RegExp][] = [
    ['4889e0', /copies SP/], //           mov %rsp,%rax
    ['4889e8', /copies BP/], //           mov %rbp,%rax
    ['54', /PUSH .*SP/], //             push %rsp
    ['488b4508', /RBP or an index/], //   mov 0x8(%rbp),%rax
    ['488b44cc10', /RBP or an index/], // mov 0x10(%rsp,%rcx,8),%rax
    ['4883e4f0', /changes SP/], //        and $0xfffffffffffffff0,%rsp
    ['c9', /LEAVE/], //                   leave
    ['06', /undecodable/], //             (bad)
  ];
  for (const [hex, why] of cases) {
    const fr = frameReads(code(0x100, '4889442418', hex, 'c3'), delta);
    assert.equal(fr.unsure?.pc, 0x105, hex);
    assert.match(fr.unsure!.why, why, hex);
    assert.equal(slotUse(fr, 0, 8).kind, 'unsure', hex);
  }
  // Without an SP delta, an RSP-relative operand cannot be placed; code that does not touch the stack needs none.
  assert.equal(frameReads(code(0, '488b442408'), () => undefined).unsure?.why, 'no SP delta');
  assert.equal(frameReads(code(0, '4801c8', '90'), () => undefined).unsure, undefined);
});

test('the prologue and epilogue moves of RSP and RBP are followed', () => {
  const deltas = [0, 8, 8, 0x18, 8, 0];
  const at = [0, 1, 4, 8, 12, 13];
  const fr = frameReads(
    code(
      0,
      '55', //         0: push %rbp
      '4889e5', //     1: mov %rsp,%rbp
      '4883ec10', //   4: sub $0x10,%rsp
      '4883c410', //   8: add $0x10,%rsp
      '5d', //        12: pop %rbp
      'c3', //        13: ret
    ),
    (pc) => deltas[at.indexOf(pc)],
  );
  assert.equal(fr.unsure, undefined);
  assert.deepEqual(
    fr.reads.map((r) => [r.pc, r.off, r.size]),
    [
      [12, -16, 8],
      [13, -8, 8],
    ],
  );
});
