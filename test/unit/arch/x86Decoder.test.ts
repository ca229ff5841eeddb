/**
 * The x86 decoder on synthetic bytes: known encodings and their text as
 * `go tool objdump` prints them (taken from its output on the toolchain's
 * `compile` binary), RIP-relative operands (targets as GNU objdump computes
 * them), branch classification, condition codes (Intel SDM definitions), and
 * robustness on random and truncated input.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode as decodeRaw } from '../../../src/arch/x86/decoder.js';
import { conditionHolds, counterBranch, decodeInstruction, disassemble } from '../../../src/arch/x86/index.js';

function bytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}
function decode(hex: string, pc = 0x401000, sym?: Parameters<typeof decodeInstruction>[2]): ReturnType<typeof decodeInstruction> {
  return decodeInstruction(bytes(hex), pc, sym);
}

test('text matches go tool objdump on instructions from real binaries', () => {
  // [bytes, pc, text] from `go tool objdump` of cmd/compile (Go 1.26).
  const cases: [string, number, string][] = [
    ['4c8d642488', 0x401000, 'LEAQ -0x78(SP), R12'],
    ['4d3b6610', 0x401005, 'CMPQ R12, 0x10(R14)'],
    ['493b6610', 0x4012a0, 'CMPQ SP, 0x10(R14)'],
    ['0f8669020000', 0x401009, 'JBE 0x401278'],
    ['764a', 0x4012a4, 'JBE 0x4012f0'],
    ['55', 0x40100f, 'PUSHQ BP'],
    ['5d', 0x401000, 'POPQ BP'],
    ['4889e5', 0x401010, 'MOVQ SP, BP'],
    ['4881ecf0000000', 0x401013, 'SUBQ $0xf0, SP'],
    ['4883c410', 0x401000, 'ADDQ $0x10, SP'],
    ['4889842400010000', 0x40101a, 'MOVQ AX, 0x100(SP)'],
    ['488b44c420', 0x401086, 'MOVQ 0x20(SP)(AX*8), AX'],
    ['488d4001', 0x401000, 'LEAQ 0x1(AX), AX'],
    ['440f1031', 0x40104a, 'MOVUPS 0(CX), X14'],
    ['440f117810', 0x401000, 'MOVUPS X15, 0x10(AX)'],
    ['31c0', 0x40107a, 'XORL AX, AX'],
    ['90', 0x40109f, 'NOPL'],
    ['6690', 0x401000, 'NOPW'],
    ['0f1f00', 0x4010bd, 'NOPL 0(AX)'],
    ['0f1f440000', 0x401000, 'NOPL 0(AX)(AX*1)'],
    ['660f1f840000000000', 0x401000, 'NOPW 0(AX)(AX*1)'],
    ['48ffc0', 0x401000, 'INCQ AX'],
    ['c3', 0x401000, 'RET'],
    ['f3c3', 0x401000, 'REP; RET'],
    ['cc', 0x401000, 'INT $0x3'],
    ['0f0b', 0x401000, 'UD2'],
    ['0f05', 0x401000, 'SYSCALL'],
    ['4899', 0x401000, 'CQO'],
    ['99', 0x401000, 'CDQ'],
    ['8701', 0x401000, 'XCHGL AX, 0(CX)'],
    ['f0480fc118', 0x401000, 'LOCK XADDQ BX, 0(AX)'],
    ['f00fb10a', 0x401000, 'LOCK CMPXCHGL CX, 0(DX)'],
    ['0f95c0', 0x401000, 'SETNE AL'],
    ['480f45ca', 0x401000, 'CMOVNE DX, CX'],
    ['0fb61418', 0x401000, 'MOVZX 0(AX)(BX*1), DX'],
    ['480fbf4010', 0x401000, 'MOVSX 0x10(AX), AX'],
    ['4863d0', 0x401000, 'MOVSXD AX, DX'],
    ['f20f1094d950ffffff', 0x401000, 'MOVSD_XMM 0xffffff50(CX)(BX*8), X2'],
    ['f2480f2cd1', 0x401000, 'CVTTSD2SIQ X1, DX'],
    ['f2480f2ac9', 0x401000, 'CVTSI2SDQ CX, X1'],
    ['660f2eca', 0x401000, 'UCOMISD X2, X1'],
    ['f20f58c1', 0x401000, 'ADDSD X1, X0'],
    ['660fefca', 0x401000, 'PXOR X2, X1'],
    ['0f57c0', 0x401000, 'XORPS X0, X0'],
    ['660f6ec0', 0x401000, 'MOVD AX, X0'],
    ['f30f6f06', 0x401000, 'MOVDQU 0(SI), X0'],
    ['48c1e93f', 0x401000, 'SHRQ $0x3f, CX'],
    ['49d3fa', 0x401000, 'SARQ CL, R10'],
    ['d1f8', 0x401000, 'SARL $0x1, AX'],
    ['48f7fe', 0x401000, 'IDIVQ SI'],
    ['48f7da', 0x401000, 'NEGQ DX'],
    ['49f7d2', 0x401000, 'NOTQ R10'],
    ['480fbae93f', 0x401000, 'BTSQ $0x3f, CX'],
    ['f348ab', 0x401000, 'REP; STOSQ AX, ES:0(DI)'],
    ['f348a5', 0x401000, 'REP; MOVSQ DS:0(SI), ES:0(DI)'],
    ['a5', 0x401000, 'MOVSD DS:0(SI), ES:0(DI)'],
    ['80781711', 0x401000, 'CMPB 0x17(AX), $0x11'],
    ['80f911', 0x401000, 'CMPL CL, $0x11'],
    ['66394b04', 0x401000, 'CMPW 0x4(BX), CX'],
    ['4883f809', 0x401000, 'CMPQ AX, $0x9'],
    ['f3480fb8d2', 0x401000, 'POPCNTQ DX, DX'],
    ['480fc8', 0x401000, 'BSWAP AX'],
    ['83642404fc', 0x401000, 'ANDL $-0x4, 0x4(SP)'],
    ['4183ca80', 0x401000, 'ORL $-0x80, R10'],
    ['ffd0', 0x401000, 'CALL AX'],
    ['ff24ca', 0x401000, 'JMP 0(DX)(CX*8)'],
    ['bb05000000', 0x401000, 'MOVL $0x5, BX'],
    ['49c7c2ffffffff', 0x401000, 'MOVQ $-0x1, R10'],
    ['4869f9bfcbfeff', 0x401000, 'IMULQ $-0x13441, CX, DI'],
    ['4569c09a010000', 0x401000, 'IMULL $0x19a, R8, R8'],
    ['66c744244d0000', 0x401000, 'MOVW $0x0, 0x4d(SP)'],
    ['c64403ff00', 0x401000, 'MOVB $0x0, -0x1(BX)(AX*1)'],
    ['88442408', 0x401000, 'MOVB AL, 0x8(SP)'],
    ['4189c0', 0x401000, 'MOVL AX, R8'],
    ['660f74c8', 0x401000, 'PCMPEQB X0, X1'],
    ['660fd7c1', 0x401000, 'PMOVMSKB X1, AX'],
    ['660f38dcc0', 0x401000, 'AESENC X0, X0'],
    ['660f3adfc801', 0x401000, 'AESKEYGENASSIST $0x1, X0, X1'],
    ['660f3a16c801', 0x401000, 'PEXTRD $0x1, X1, AX'],
    ['f20fc2c101', 0x401000, 'CMPSD_XMM $0x1, X1, X0'],
    ['f390', 0x401000, 'PAUSE'],
    ['c5f877', 0x401000, 'VZEROUPPER'],
    ['c5fe6f5c38e0', 0x401000, 'VMOVDQU -0x20(AX)(DI*1), Y3'], // objdump prints X3 for the 256-bit register: we print Y3
    ['dcc5', 0x401000, 'FADD F0, F5'],
    ['9c', 0x401000, 'PUSHFQ'],
  ];
  for (const [hex, pc, want] of cases) {
    const insn = decode(hex, pc);
    assert.equal(insn.text, want, hex);
    assert.equal(insn.length, hex.length / 2, hex);
  }
});

test('symbols: branch targets, RIP-relative operands, MOVL immediates', () => {
  // `go tool objdump`: "0x401022 e8f9bd0500 CALL runtime.printlock(SB)".
  const printlock = 0x401027 + 0x5bdf9;
  const sym = (a: number): { name: string; base: number } | undefined =>
    a === printlock ? { name: 'runtime.printlock', base: a } : a >= 0x1000000 && a < 0x1100000 ? { name: 'go:string.*', base: 0x1000000 } : undefined;
  assert.equal(decode('e8f9bd0500', 0x401022, sym).text, 'CALL runtime.printlock(SB)');
  // A target inside a symbol prints as an address, a RIP operand as symbol+offset (decimal), like objdump.
  assert.equal(decode('e8f9bd0500', 0x401023, sym).text, 'CALL 0x45ce21');
  assert.equal(decode('488d050496c500', 0x401027, sym).text, 'LEAQ go:string.*+370226(SB), AX');
  assert.equal(decode('488d050496c500', 0x401027).text, 'LEAQ 0xc59604(IP), AX');
  assert.equal(decode('b800000001', 0x401000, sym).text, 'MOVL $go:string.*(SB), AX');
  // A name-only symbolizer means "a symbol starts exactly here".
  assert.equal(decode('e8f9bd0500', 0x401022, (a) => (a === printlock ? 'runtime.printlock' : undefined)).text, 'CALL runtime.printlock(SB)');
});

test('RIP-relative operands: displacement offset and absolute target', () => {
  // Targets as binutils prints them ("lea 0xc59604(%rip),%rax # 105a632").
  const lea = decode('488d050496c500', 0x401027);
  assert.deepEqual(lea.ripRelative, { dispOffset: 3, dispSize: 4, target: 0x105a632 });
  // cmpl $0x5, -0x10(%rip): the imm8 follows the displacement; the target counts it.
  const cmp = decode('833df0ffffff05', 0x402000);
  assert.equal(cmp.length, 7);
  assert.deepEqual(cmp.ripRelative, { dispOffset: 2, dispSize: 4, target: 0x402000 + 7 - 0x10 });
  // Prefixes and REX before the opcode: movq 0x100(%rip),%r8 with a segment prefix.
  const fsmov = decode('644c8b0500010000', 0x400000);
  assert.deepEqual(fsmov.ripRelative, { dispOffset: 4, dispSize: 4, target: 0x400000 + 8 + 0x100 });
  // VEX and EVEX: vmovdqu 0x20(%rip),%ymm8 ; vmovdqu64 0x40(%rip),%zmm1.
  assert.deepEqual(decode('c57e6f0520000000', 0x400000).ripRelative, { dispOffset: 4, dispSize: 4, target: 0x400000 + 8 + 0x20 });
  assert.deepEqual(decode('62f1fe486f0d40000000', 0x400000).ripRelative, { dispOffset: 6, dispSize: 4, target: 0x400000 + 10 + 0x40 });
  // jmp *0x8(%rip): indirect jump through memory.
  const jmp = decode('ff2508000000', 0x400000);
  assert.equal(jmp.flow, 'jump');
  assert.equal(jmp.indirect, true);
  assert.deepEqual(jmp.ripRelative, { dispOffset: 2, dispSize: 4, target: 0x400000 + 6 + 8 });
  // Absolute and register-based operands are not RIP-relative.
  assert.equal(decode('488b042500100000').ripRelative, undefined);
  assert.equal(decode('488b4508').ripRelative, undefined);
});

test('control transfers are classified with their targets', () => {
  const at = 0x401000;
  const cases: [string, Partial<ReturnType<typeof decodeInstruction>>][] = [
    ['e800000000', { flow: 'call', target: at + 5 }],
    ['e8fbffffff', { flow: 'call', target: at }],
    ['ffd0', { flow: 'call', indirect: true }],
    ['41ff542408', { flow: 'call', indirect: true }],
    ['eb00', { flow: 'jump', target: at + 2 }],
    ['e9f6ffffff', { flow: 'jump', target: at - 5 }],
    ['ff24ca', { flow: 'jump', indirect: true }],
    ['7405', { flow: 'cjump', target: at + 7, cc: 4 }],
    ['0f8f00010000', { flow: 'cjump', target: at + 6 + 0x100, cc: 15 }],
    ['7afe', { flow: 'cjump', target: at, cc: 10 }],
    ['e2fe', { flow: 'cjump', target: at, counter: 'loop' }],
    ['e1fe', { flow: 'cjump', target: at, counter: 'loope' }],
    ['e0fe', { flow: 'cjump', target: at, counter: 'loopne' }],
    ['e3fe', { flow: 'cjump', target: at, counter: 'jrcxz' }],
    ['67e3fe', { flow: 'cjump', target: at + 1, counter: 'jecxz' }],
    ['c3', { flow: 'ret' }],
    ['c21000', { flow: 'ret', retPop: 16 }],
    ['0f05', { flow: 'syscall' }],
    ['cc', { flow: 'trap' }],
    ['cd80', { flow: 'trap' }],
    ['0f0b', { flow: 'trap' }],
    ['f4', { flow: 'halt' }],
    ['0f94c0', { flow: 'none', cc: 4 }],
    ['480f4cc1', { flow: 'none', cc: 12 }],
    ['4889e5', { flow: 'none' }],
    ['c7f800000000', { flow: 'other', target: at + 6 }],
  ];
  for (const [hex, want] of cases) {
    const insn = decode(hex, at);
    for (const [k, v] of Object.entries(want)) assert.equal((insn as unknown as Record<string, unknown>)[k], v, `${hex} ${k}`);
    if (!('indirect' in want)) assert.equal(insn.indirect, undefined, `${hex} indirect`);
  }
});

test('indirect CALL/JMP: the operand the target comes from', () => {
  assert.deepEqual(decode('ffd0').indirectFrom, { kind: 'reg', reg: 0 }); // call *%rax
  assert.deepEqual(decode('41ffd3').indirectFrom, { kind: 'reg', reg: 11 }); // call *%r11
  assert.deepEqual(decode('41ff542408').indirectFrom, { kind: 'mem', base: 12, scale: 1, disp: 8 }); // call *0x8(%r12)
  assert.deepEqual(decode('ff24ca').indirectFrom, { kind: 'mem', base: 2, index: 1, scale: 8, disp: 0 }); // jmp *(%rdx,%rcx,8)
  assert.deepEqual(decode('ff60f0').indirectFrom, { kind: 'mem', base: 0, scale: 1, disp: -16 }); // jmp *-0x10(%rax)
  assert.deepEqual(decode('ff2508000000', 0x400000).indirectFrom, { kind: 'mem', address: 0x40000e }); // jmp *0x8(%rip)
  assert.deepEqual(decode('64ff142510000000').indirectFrom, { kind: 'mem', scale: 1, disp: 0x10, segment: 'FS' }); // call *%fs:0x10
  assert.equal(decode('e800000000').indirectFrom, undefined);
});

test('conditionHolds follows the SDM condition table for every flag combination', () => {
  const CF = 1,
    PF = 4,
    ZF = 0x40,
    SF = 0x80,
    OF = 0x800;
  // Intel SDM Vol. 1 Appendix B: EFLAGS condition codes, written out per mnemonic.
  const want: ((f: { cf: boolean; pf: boolean; zf: boolean; sf: boolean; of: boolean }) => boolean)[] = [
    (f) => f.of,
    (f) => !f.of, // O, NO
    (f) => f.cf,
    (f) => !f.cf, // B, AE
    (f) => f.zf,
    (f) => !f.zf, // E, NE
    (f) => f.cf || f.zf,
    (f) => !f.cf && !f.zf, // BE, A
    (f) => f.sf,
    (f) => !f.sf, // S, NS
    (f) => f.pf,
    (f) => !f.pf, // P, NP
    (f) => f.sf !== f.of,
    (f) => f.sf === f.of, // L, GE
    (f) => f.zf || f.sf !== f.of,
    (f) => !f.zf && f.sf === f.of, // LE, G
  ];
  for (let bits = 0; bits < 32; bits++) {
    const f = { cf: !!(bits & 1), pf: !!(bits & 2), zf: !!(bits & 4), sf: !!(bits & 8), of: !!(bits & 16) };
    // Other RFLAGS bits (IF, reserved bit 1, AF) set: they must not matter.
    const rflags = 0x202 | 0x10 | (f.cf ? CF : 0) | (f.pf ? PF : 0) | (f.zf ? ZF : 0) | (f.sf ? SF : 0) | (f.of ? OF : 0);
    for (let cc = 0; cc < 16; cc++) {
      assert.equal(conditionHolds(cc, rflags), want[cc]!(f), `cc ${cc} flags ${bits}`);
      assert.equal(conditionHolds(cc, BigInt(rflags)), want[cc]!(f), `cc ${cc} flags ${bits} (bigint)`);
    }
  }
});

test('counterBranch: LOOP decrements RCX, JRCXZ tests it', () => {
  assert.deepEqual(counterBranch('loop', 5n, 0), { taken: true, rcx: 4n });
  assert.deepEqual(counterBranch('loop', 1n, 0), { taken: false, rcx: 0n });
  assert.deepEqual(counterBranch('loop', 0n, 0), { taken: true, rcx: 0xffffffffffffffffn });
  assert.deepEqual(counterBranch('loope', 3n, 0x40), { taken: true, rcx: 2n });
  assert.deepEqual(counterBranch('loope', 3n, 0), { taken: false, rcx: 2n });
  assert.deepEqual(counterBranch('loopne', 3n, 0x40), { taken: false, rcx: 2n });
  assert.deepEqual(counterBranch('jrcxz', 0n, 0), { taken: true, rcx: 0n });
  assert.deepEqual(counterBranch('jrcxz', 0x100000000n, 0), { taken: false, rcx: 0x100000000n });
  assert.deepEqual(counterBranch('jecxz', 0x100000000n, 0), { taken: true, rcx: 0x100000000n });
  assert.deepEqual(counterBranch('loop', 0x100000001n, 0, true), { taken: false, rcx: 0n });
});

/** A small deterministic PRNG (xorshift32). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

test('random bytes: never throws, lengths within 1..15, invalid means length 1 and "?"', () => {
  const next = rng(20240611);
  const buf = new Uint8Array(16);
  let valid = 0;
  const leadBytes = [0x0f, 0x66, 0xf2, 0xf3, 0x48, 0xc4, 0xc5, 0x62, 0xf0, 0x67, 0x41];
  for (let i = 0; i < 200_000; i++) {
    for (let j = 0; j < buf.length; j++) buf[j] = next() & 0xff;
    // Bias towards prefixes and escapes so the VEX/EVEX/0F paths get their share.
    if (i & 1) buf[0] = leadBytes[next() % leadBytes.length]!;
    const n = next() % 17; // also truncated and empty buffers
    const pc = 0x400000 + (next() & 0xffff);
    // The inner decoder rethrows anything but "invalid"/"truncated": a bug would surface here.
    const raw = decodeRaw(buf.subarray(0, n), pc);
    const insn = decodeInstruction(buf.subarray(0, n), pc);
    assert.equal(raw === undefined, insn.invalid === true);
    assert.ok(insn.length >= 1 && insn.length <= 15, `length ${insn.length}`);
    assert.ok(insn.length <= Math.max(1, n), 'reads past the buffer');
    if (insn.invalid) assert.ok(insn.length === 1 && insn.text === '?');
    else valid++;
  }
  assert.ok(valid > 100_000, `only ${valid} valid decodes`);
});

test('truncated instructions are invalid; each proper prefix of a valid instruction', () => {
  const next = rng(7);
  const buf = new Uint8Array(15);
  let checked = 0;
  for (let i = 0; i < 20_000; i++) {
    for (let j = 0; j < buf.length; j++) buf[j] = next() & 0xff;
    const insn = decodeInstruction(buf, 0x400000);
    if (insn.invalid) continue;
    for (let n = 0; n < insn.length; n++) {
      const t = decodeInstruction(buf.subarray(0, n), 0x400000);
      assert.ok(t.invalid && t.length === 1, `prefix ${n} of ${Buffer.from(buf.subarray(0, insn.length)).toString('hex')} decoded as '${t.text}'`);
      checked++;
    }
  }
  assert.ok(checked > 10_000);
});

test('disassemble walks the buffer instruction by instruction', () => {
  const code = bytes('4883ec18' + '48896c2410' + '488d6c2410' + 'e800000000' + '90' + '06' + '4883c418' + 'c3');
  const list = disassemble(code, 0x401000);
  assert.deepEqual(
    list.map((i) => i.text),
    ['SUBQ $0x18, SP', 'MOVQ BP, 0x10(SP)', 'LEAQ 0x10(SP), BP', 'CALL 0x401013', 'NOPL', '?', 'ADDQ $0x18, SP', 'RET'],
  );
  assert.equal(
    list.reduce((s, i) => s + i.length, 0),
    code.length,
  );
});
