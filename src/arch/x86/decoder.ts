/**
 * x86-64 instruction decoder: prefixes, REX/VEX/EVEX, opcode maps, ModRM/SIB
 * and displacements, immediates. Produces the operands in Intel order with the
 * facts the Plan 9 printer needs (operand size, memory operand size, which
 * prefixes the instruction consumed), following the conventions of
 * golang.org/x/arch/x86/x86asm so that our text matches `go tool objdump`.
 *
 * Lengths follow the processor (Intel 64): where x86asm and the CPU disagree
 * (e.g. MOV CRn ignores ModRM.mod) the CPU wins.
 */
import { ADDR_RIP, INVALID, MAX_LEN, State, TRUNC } from './decoderState.js';
import { type Arg, type Decoded, Enc, type MemArg } from './decoded.js';
import { oneByteMap } from './oneByteMap.js';
import type { Node } from './opcodeTable.js';
import { immediate, isImmediate, operand, STRING_OPS, stringArgs } from './operands.js';
import { prefixText } from './prefixText.js';
import { walk } from './tableWalk.js';
import { map0F38, map0F3A } from './threeByteMaps.js';
import { twoByteMap } from './twoByteMap.js';
import { readEvex, readVex } from './vexPrefixes.js';
import { vexMap } from './vexMaps.js';

export type { Arg, Decoded, ImmArg, MemArg, RegArg, RelArg } from './decoded.js';
export { Enc } from './decoded.js';

const LEGACY_PREFIX = new Uint8Array(256);
for (const p of [0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67]) LEGACY_PREFIX[p] = 1;

/**
 * Decodes one instruction at the start of `bytes` (at most 15 bytes are
 * looked at). Returns undefined for invalid or truncated input.
 */
export function decode(bytes: Uint8Array, pc: number): Decoded | undefined {
  const st = new State(bytes, Math.min(bytes.length, MAX_LEN));
  try {
    return decodeInner(st, pc);
  } catch (e) {
    if (e === TRUNC || e === INVALID) return undefined;
    throw e;
  }
}

function decodeInner(st: State, pc: number): Decoded | undefined {
  // Legacy prefixes and REX. A REX followed by another prefix is ignored (as the CPU does).
  for (;;) {
    const p = st.peek();
    if (LEGACY_PREFIX[p]) {
      if (st.rex) st.rex = 0;
      st.pre.push(p);
      st.pos++;
      if (p === 0xf2 || p === 0xf3) st.lastRep = st.pre.length - 1;
      else if (p === 0x66) st.has66 = true;
      else if (p === 0x67) st.has67 = true;
      else if (p === 0xf0) st.lock = true;
      else if (p === 0x64 || p === 0x65) st.segIdx = st.pre.length - 1;
      continue;
    }
    if ((p & 0xf0) === 0x40) {
      st.rex = p;
      st.pos++;
      continue;
    }
    break;
  }
  if (st.pre.length > 14) return undefined;
  st.addr64 = !st.has67;
  st.dataSize = st.rex & 8 ? 64 : st.has66 ? 16 : 32;

  let op = st.byte();
  let table: readonly Node[] = oneByteMap();
  if (op === 0xc4 || op === 0xc5 || op === 0x62) {
    // VEX/EVEX: no 66/F2/F3/F0/REX may precede them.
    if (st.has66 || st.lastRep >= 0 || st.lock || st.rex) return undefined;
    table = op === 0x62 ? readEvex(st) : readVex(st, op);
    op = st.byte();
  } else if (op === 0x0f) {
    op = st.byte();
    if (op === 0x38) {
      table = map0F38();
      op = st.byte();
    } else if (op === 0x3a) {
      table = map0F3A();
      op = st.byte();
    } else {
      table = twoByteMap();
    }
  } else if (op === 0x8f && ((st.peek() >> 3) & 7) !== 0) {
    return undefined; // AMD XOP
  }
  st.opcode = op;
  const leaf = walk(st, table[op]);
  // Every VEX/EVEX instruction has ModRM except VZEROUPPER/VZEROALL.
  if (leaf.modrm || (st.enc !== Enc.Legacy && !(st.enc === Enc.Vex && table === vexMap(1) && op === 0x77))) {
    st.readModrm(leaf.args.some((a) => a.only === 3));
  }
  let args: Arg[] = new Array(leaf.args.length);
  for (let i = 0; i < leaf.args.length; i++) if (!isImmediate(leaf.args[i]!)) args[i] = operand(st, leaf.args[i]!);
  for (let i = 0; i < leaf.args.length; i++) if (isImmediate(leaf.args[i]!)) args[i] = immediate(st, leaf.args[i]!);

  if (st.enc === Enc.Evex && st.mod === 1 && st.mem) scaleDisp8(st, args, leaf.tuple);

  let name = leaf.op;
  const len = st.pos;
  // 90 is NOP (XCHG AX, AX) unless REX.B names R8; F3 90 is PAUSE.
  if (name === 'XCHG' && st.opcode === 0x90 && st.enc === Enc.Legacy && table === oneByteMap() && !(st.rex & 1)) {
    args = [];
    name = 'NOP';
    if (st.lastRep >= 0 && st.pre[st.lastRep] === 0xf3) {
      name = 'PAUSE';
      st.mandatory = st.lastRep;
    }
  }
  if (st.enc === Enc.Legacy && STRING_OPS.has(name)) args = stringArgs(st, name);

  // RIP-relative and relative-branch targets.
  let ripOff = -1;
  let ripTarget = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.kind === 'rel') a.target = pc + len + a.rel;
    else if (a.kind === 'mem' && a.addr === ADDR_RIP) {
      ripOff = st.dispOff;
      ripTarget = pc + len + st.ripDisp;
      if (!st.addr64) ripTarget = ripTarget >>> 0; // EIP-relative (67 prefix)
      args[i] = { ...a, addr: ripTarget };
    }
  }

  return {
    len,
    op: name,
    args,
    enc: st.enc,
    dataSize: st.dataSize,
    memBytes: st.memBytes,
    ...prefixText(st, name),
    ripOff,
    ripTarget,
    mask: st.mask,
    zeroing: st.z,
    bcst: st.bbit && st.mod !== 3,
    round: st.round,
    addr32: !st.addr64,
  };
}

/** EVEX compresses disp8: the byte is scaled by N, the memory access granularity of the instruction. */
function scaleDisp8(st: State, args: Arg[], tuple: number): void {
  const vlen = 16 << st.vl;
  const elem = st.vw ? 8 : 4;
  const bcst = st.bbit;
  let n: number;
  if (tuple > 0) n = tuple;
  else if (tuple === -4) n = elem;
  else if (bcst) n = elem;
  else n = tuple === 0 ? vlen : tuple === -1 ? vlen >> 1 : tuple === -2 ? vlen >> 2 : vlen >> 3;
  const m = st.mem!;
  const disp = (m.disp as number) * n;
  const scaled: MemArg = { ...m, disp, sdisp: disp };
  st.mem = scaled;
  for (let i = 0; i < args.length; i++) if (args[i] === m) args[i] = scaled;
}
