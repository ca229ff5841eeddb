/**
 * Disassembly around an address, in Go assembler syntax, for the DAP
 * `disassemble` request. x86 cannot be decoded backwards, so instructions are
 * decoded forward from the start of the function that holds the address (and
 * from neighbouring functions when more context is asked for).
 */
import { decodeInstruction } from '../arch/x86/index.js';
import type { MemoryReader } from '../process/memory.js';
import type { GoFunc, SymbolTable } from './symbolTable.js';

export interface DisassembledInstruction {
  address: number;
  bytes: Uint8Array;
  text: string;
  /** Function name, on the function's first instruction. */
  symbol?: string;
  file?: string;
  line?: number;
  /** Not code we could decode (outside every function, or unreadable memory). */
  invalid?: boolean;
}

const MAX_FUNC = 1 << 20;

function decodeFunction(fn: GoFunc, symbols: SymbolTable, mem: MemoryReader): DisassembledInstruction[] {
  const len = Math.min(fn.end - fn.entry, MAX_FUNC);
  const buf = new Uint8Array(len);
  const got = mem.readInto(fn.entry, buf);
  if (got <= 0) return [];
  const code = buf.subarray(0, got);
  const out: DisassembledInstruction[] = [];
  const symbolize = (addr: number) => {
    const f = symbols.funcForPC(addr);
    return f ? { name: f.name, base: f.entry } : undefined;
  };
  for (let off = 0; off < code.length; ) {
    const addr = fn.entry + off;
    const insn = decodeInstruction(code.subarray(off), addr, symbolize);
    const loc = symbols.lineForPC(addr);
    out.push({
      address: addr,
      bytes: code.slice(off, off + insn.length),
      text: insn.text,
      symbol: off === 0 ? fn.name : undefined,
      file: loc?.file,
      line: loc?.line,
    });
    off += insn.length;
  }
  return out;
}

/**
 * `count` instructions starting `offset` instructions away from the one at
 * (or containing) `addr`; negative offsets reach back. Missing instructions are
 * filled with invalid placeholders so the caller always gets `count` entries.
 */
export function disassembleAround(addr: number, offset: number, count: number, symbols: SymbolTable, mem: MemoryReader): DisassembledInstruction[] {
  const fn = symbols.funcForPC(addr);
  let list: DisassembledInstruction[] = fn ? decodeFunction(fn, symbols, mem) : [];
  let at = list.findIndex((i) => i.address <= addr && addr < i.address + i.bytes.length);
  if (at < 0) {
    list = [];
    at = 0;
  }
  // More functions before or after, as needed.
  let first = fn;
  while (at + offset < 0 && first) {
    const prev = symbols.funcForPC(first.entry - 1);
    if (!prev || prev === first) break;
    const more = decodeFunction(prev, symbols, mem);
    if (more.length === 0) break;
    list = [...more, ...list];
    at += more.length;
    first = prev;
  }
  let last = fn;
  while (at + offset + count > list.length && last) {
    const next = symbols.funcForPC(last.end);
    if (!next || next === last) break;
    const more = decodeFunction(next, symbols, mem);
    if (more.length === 0) break;
    list = [...list, ...more];
    last = next;
  }
  const out: DisassembledInstruction[] = [];
  for (let k = 0; k < count; k++) {
    const i = at + offset + k;
    const insn = list[i];
    if (insn) out.push(insn);
    else {
      // Placeholders keep the view's indexing: step by one byte from the nearest known address.
      const near = i < 0 ? (list[0]?.address ?? addr) + i : (list[list.length - 1]?.address ?? addr) + (i - list.length + 1);
      out.push({ address: Math.max(0, near), bytes: new Uint8Array(0), text: '?', invalid: true });
    }
  }
  return out;
}
