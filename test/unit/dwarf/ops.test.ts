/**
 * Location expressions on synthetic bytes. Expected results are derived by
 * hand from the DWARF 5 specification (section 2.5/2.6), not from our code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecodeError } from '../../../src/binary/reader.js';
import { AMD64_DWARF_REGISTERS, DWARF_TO_USER_REGS, disassemble, evalLocation, type EvalContext } from '../../../src/dwarf/ops.js';

/** Tiny expression builder: opcodes and LEB128 operands. */
class Expr {
  private b: number[] = [];
  op(code: number): this {
    this.b.push(code);
    return this;
  }
  u8(v: number): this {
    this.b.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    this.b.push(v & 0xff, (v >> 8) & 0xff);
    return this;
  }
  u64(v: bigint): this {
    for (let i = 0n; i < 8n; i++) this.b.push(Number((v >> (8n * i)) & 0xffn));
    return this;
  }
  uleb(v: number | bigint): this {
    let x = BigInt(v);
    do {
      let byte = Number(x & 0x7fn);
      x >>= 7n;
      if (x) byte |= 0x80;
      this.b.push(byte);
    } while (x);
    return this;
  }
  sleb(v: number | bigint): this {
    let x = BigInt(v);
    for (;;) {
      const byte = Number(x & 0x7fn);
      x >>= 7n;
      const done = (x === 0n && !(byte & 0x40)) || (x === -1n && byte & 0x40);
      this.b.push(done ? byte : byte | 0x80);
      if (done) return this;
    }
  }
  get bytes(): Uint8Array {
    return Uint8Array.from(this.b);
  }
}
const E = () => new Expr();

// Register file: DWARF reg n holds 0x1000 * (n + 1); memory: 8 bytes at 0x5000 hold 0x1122334455667788.
const memory = new Map<number, number>();
for (let i = 0; i < 8; i++) memory.set(0x5000 + i, [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11][i]!);
const ctx: EvalContext = {
  regs: (n) => BigInt(0x1000 * (n + 1)),
  cfa: 0x7ffe0000,
  frameBase: 0x7ffd0000,
  readMemory: (addr, len) => Uint8Array.from({ length: len }, (_, i) => memory.get(addr + i) ?? 0),
  ptrSize: 8,
};

describe('evalLocation', () => {
  it('DW_OP_addr: a memory location at the address', () => {
    assert.deepEqual(evalLocation(E().op(0x03).u64(0x58c668n).bytes, ctx).pieces, [{ kind: 'memory', addr: 0x58c668 }]);
  });
  it('DW_OP_fbreg: frame base + signed offset', () => {
    assert.deepEqual(evalLocation(E().op(0x91).sleb(-24).bytes, ctx).pieces, [{ kind: 'memory', addr: 0x7ffd0000 - 24 }]);
  });
  it('DW_OP_call_frame_cfa: the CFA', () => {
    assert.deepEqual(evalLocation(E().op(0x9c).bytes, ctx).pieces, [{ kind: 'memory', addr: 0x7ffe0000 }]);
  });
  it('DW_OP_reg3 (rbx) and DW_OP_regx 17 (xmm0): register locations', () => {
    assert.deepEqual(evalLocation(E().op(0x53).bytes, ctx).pieces, [{ kind: 'register', reg: 3 }]);
    assert.deepEqual(evalLocation(E().op(0x90).uleb(17).bytes, ctx).pieces, [{ kind: 'register', reg: 17 }]);
  });
  it('DW_OP_breg7 (rsp) -8 and DW_OP_bregx 14 +16', () => {
    assert.deepEqual(evalLocation(E().op(0x77).sleb(-8).bytes, ctx).pieces, [{ kind: 'memory', addr: 0x8000 - 8 }]);
    assert.deepEqual(evalLocation(E().op(0x92).uleb(14).sleb(16).bytes, ctx).pieces, [{ kind: 'memory', addr: 0xf000 + 16 }]);
  });
  it('Go register-ABI string: rax piece 8, rbx piece 8', () => {
    const e = E().op(0x50).op(0x93).uleb(8).op(0x53).op(0x93).uleb(8).bytes;
    assert.deepEqual(evalLocation(e, ctx).pieces, [
      { kind: 'register', reg: 0, size: 8 },
      { kind: 'register', reg: 3, size: 8 },
    ]);
  });
  it('pieces mixing memory, an empty piece and a register', () => {
    const e = E().op(0x91).sleb(8).op(0x93).uleb(8).op(0x93).uleb(4).op(0x51).op(0x93).uleb(4).bytes;
    assert.deepEqual(evalLocation(e, ctx).pieces, [
      { kind: 'memory', addr: 0x7ffd0008, size: 8 },
      { kind: 'empty', size: 4 },
      { kind: 'register', reg: 1, size: 4 },
    ]);
  });
  it('DW_OP_stack_value: a computed value (lit5 lit7 plus → 12)', () => {
    const e = E().op(0x35).op(0x37).op(0x22).op(0x9f).bytes;
    assert.deepEqual(evalLocation(e, ctx).pieces, [{ kind: 'value', value: 12n }]);
  });
  it('DW_OP_implicit_value: the bytes themselves', () => {
    const e = E().op(0x9e).uleb(3).u8(1).u8(2).u8(3).bytes;
    assert.deepEqual(evalLocation(e, ctx).pieces, [{ kind: 'implicit', bytes: Uint8Array.from([1, 2, 3]) }]);
  });
  it('constants: const1s/const2u/const8u/constu/consts, minus, plus_uconst', () => {
    // (-2) - 300 = -302, + 1000 = 698
    const e = E().op(0x09).u8(0xfe).op(0x0a).u16(300).op(0x1c).op(0x23).uleb(1000).op(0x9f).bytes;
    assert.deepEqual(evalLocation(e, ctx).pieces, [{ kind: 'value', value: 698n }]);
    const big = E().op(0x0e).u64(0xffffffffffffffffn).op(0x9f).bytes;
    assert.deepEqual(evalLocation(big, ctx).pieces, [{ kind: 'value', value: 0xffffffffffffffffn }]);
    const c = E().op(0x10).uleb(0x123456789n).op(0x11).sleb(-1).op(0x22).op(0x9f).bytes; // wraps: 0x123456788
    assert.deepEqual(evalLocation(c, ctx).pieces, [{ kind: 'value', value: 0x123456788n }]);
  });
  it('stack ops: dup, drop, swap, over, rot, pick', () => {
    // lit1 lit2 swap → [2,1]; minus → 2-1 = 1
    assert.deepEqual(evalLocation(E().op(0x31).op(0x32).op(0x16).op(0x1c).op(0x9f).bytes, ctx).pieces, [{ kind: 'value', value: 1n }]);
    // lit3 dup mul → 9
    assert.deepEqual(evalLocation(E().op(0x33).op(0x12).op(0x1e).op(0x9f).bytes, ctx).pieces, [{ kind: 'value', value: 9n }]);
    // lit1 lit2 lit3 rot → [3,1,2]; drop → [3,1]; over → [3,1,3]; pick 1 → [3,1,3,1]; plus plus plus → 8
    const e = E().op(0x31).op(0x32).op(0x33).op(0x17).op(0x13).op(0x14).op(0x15).u8(1).op(0x22).op(0x22).op(0x22).op(0x9f).bytes;
    assert.deepEqual(evalLocation(e, ctx).pieces, [{ kind: 'value', value: 8n }]);
    // lit1 lit2 lit3 rot → [3,1,2]: top is 2, then 1, then 3 → 3*100 + 1*10 + 2 = 312
    const r = E()
      .op(0x31)
      .op(0x32)
      .op(0x33)
      .op(0x17)
      .op(0x08)
      .u8(1)
      .op(0x1e) // top*1 = 2
      .op(0x16)
      .op(0x08)
      .u8(10)
      .op(0x1e)
      .op(0x22) // 1*10 + 2 = 12
      .op(0x16)
      .op(0x08)
      .u8(100)
      .op(0x1e)
      .op(0x22)
      .op(0x9f).bytes; // 3*100 + 12
    assert.deepEqual(evalLocation(r, ctx).pieces, [{ kind: 'value', value: 312n }]);
  });
  it('DW_OP_deref and deref_size read memory (little-endian)', () => {
    const e = E().op(0x03).u64(0x5000n).op(0x06).op(0x9f).bytes;
    assert.deepEqual(evalLocation(e, ctx).pieces, [{ kind: 'value', value: 0x1122334455667788n }]);
    const s = E().op(0x03).u64(0x5000n).op(0x94).u8(2).op(0x9f).bytes;
    assert.deepEqual(evalLocation(s, ctx).pieces, [{ kind: 'value', value: 0x7788n }]);
    // deref without stack_value: the loaded word is an address
    const m = E().op(0x03).u64(0x5000n).op(0x94).u8(2).bytes;
    assert.deepEqual(evalLocation(m, ctx).pieces, [{ kind: 'memory', addr: 0x7788 }]);
  });
  it('arithmetic and comparisons are signed where the spec says so', () => {
    // -7 / 2 = -3 (truncating), neg → 3
    assert.deepEqual(evalLocation(E().op(0x11).sleb(-7).op(0x32).op(0x1b).op(0x1f).op(0x9f).bytes, ctx).pieces, [{ kind: 'value', value: 3n }]);
    // -1 < 1 → 1 (signed)
    assert.deepEqual(evalLocation(E().op(0x11).sleb(-1).op(0x31).op(0x2d).op(0x9f).bytes, ctx).pieces, [{ kind: 'value', value: 1n }]);
    // 1 shl 4 = 16, shr 2 = 4, or 3 = 7, and 5 = 5, xor 1 = 4
    const e = E().op(0x31).op(0x34).op(0x24).op(0x32).op(0x25).op(0x33).op(0x21).op(0x35).op(0x1a).op(0x31).op(0x27).op(0x9f).bytes;
    assert.deepEqual(evalLocation(e, ctx).pieces, [{ kind: 'value', value: 4n }]);
    // -16 shra 2 = -4 → as unsigned 64-bit
    const sh = E().op(0x11).sleb(-16).op(0x32).op(0x26).op(0x9f).bytes;
    assert.deepEqual(evalLocation(sh, ctx).pieces, [{ kind: 'value', value: (1n << 64n) - 4n }]);
  });
  it('DW_OP_bra and DW_OP_skip branch by signed 2-byte offsets', () => {
    // lit1; bra +1 → taken, skips the next 1-byte op (lit5); lit7; stack_value → 7
    const taken = E().op(0x31).op(0x28).u16(1).op(0x35).op(0x37).op(0x9f).bytes;
    assert.deepEqual(evalLocation(taken, ctx).pieces, [{ kind: 'value', value: 7n }]);
    // lit0; bra +1 → not taken; lit5; stack_value (lit7 skipped by skip +1)
    const notTaken = E().op(0x30).op(0x28).u16(1).op(0x35).op(0x2f).u16(1).op(0x37).op(0x9f).bytes;
    assert.deepEqual(evalLocation(notTaken, ctx).pieces, [{ kind: 'value', value: 5n }]);
  });
  it('an empty expression is an empty (optimized-out) location', () => {
    assert.deepEqual(evalLocation(new Uint8Array(0), ctx).pieces, [{ kind: 'empty' }]);
  });
  it('errors are DecodeErrors: underflow, missing CFA/frame base, truncation, unknown op, infinite loop', () => {
    const cases = [
      E().op(0x22).bytes, // plus on an empty stack
      E().op(0x91).bytes, // fbreg without operand
      E().op(0x03).u8(1).bytes, // truncated address
      E().op(0xff).bytes, // unknown opcode
      E().op(0x2f).u16(0xfffd).bytes, // skip -3: jumps to itself forever
      E().op(0x31).op(0x30).op(0x1b).bytes, // division by zero
    ];
    for (const c of cases) assert.throws(() => evalLocation(c, ctx), DecodeError, disassembleSafe(c));
    const noFrame: EvalContext = { ...ctx, cfa: undefined, frameBase: undefined };
    assert.throws(() => evalLocation(E().op(0x9c).bytes, noFrame), DecodeError);
    assert.throws(() => evalLocation(E().op(0x91).sleb(8).bytes, noFrame), DecodeError);
  });
});

function disassembleSafe(b: Uint8Array): string {
  try {
    return disassemble(b).join('; ');
  } catch {
    return Buffer.from(b).toString('hex');
  }
}

describe('disassemble', () => {
  it('prints ops with operands', () => {
    assert.deepEqual(disassemble(E().op(0x50).op(0x93).uleb(8).op(0x91).sleb(-72).op(0x9c).bytes), [
      'DW_OP_reg0',
      'DW_OP_piece 8',
      'DW_OP_fbreg -72',
      'DW_OP_call_frame_cfa',
    ]);
  });
});

describe('amd64 register tables', () => {
  it('DWARF numbering per the System V psABI', () => {
    assert.deepEqual(AMD64_DWARF_REGISTERS.slice(0, 8), ['rax', 'rdx', 'rcx', 'rbx', 'rsi', 'rdi', 'rbp', 'rsp']);
    assert.equal(AMD64_DWARF_REGISTERS[16], 'rip');
    assert.equal(AMD64_DWARF_REGISTERS[17], 'xmm0');
    assert.equal(AMD64_DWARF_REGISTERS[32], 'xmm15');
  });
  it('maps to user_regs_struct indexes (r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax rcx rdx rsi rdi orig_rax rip cs eflags rsp)', () => {
    const user = [
      'r15',
      'r14',
      'r13',
      'r12',
      'rbp',
      'rbx',
      'r11',
      'r10',
      'r9',
      'r8',
      'rax',
      'rcx',
      'rdx',
      'rsi',
      'rdi',
      'orig_rax',
      'rip',
      'cs',
      'eflags',
      'rsp',
    ];
    DWARF_TO_USER_REGS.forEach((idx, dw) => assert.equal(user[idx], AMD64_DWARF_REGISTERS[dw], `DWARF ${dw}`));
  });
});
