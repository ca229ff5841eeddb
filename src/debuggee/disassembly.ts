/**
 * Disassembly around an address, in Go assembler syntax, for the DAP
 * `disassemble` request. x86 cannot be decoded backwards, so instructions are
 * decoded forward from the start of the function that holds the address (and
 * from neighbouring functions when more context is asked for).
 */
import { decodeInstruction, instructionLength, type SymbolLookup } from '../arch/x86/index.js';
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
    const length = instructionLength(code.subarray(off), addr);
    out.push(new DecodedInstruction(addr, code.subarray(off, off + length), off === 0 ? fn.name : undefined, symbols, symbolize));
    off += length;
  }
  return out;
}

/**
 * An instruction whose text, file and line are made when first read: a far
 * instructionOffset decodes thousands of functions only to count their
 * instructions, and the text and a line lookup per instruction were most of that time.
 */
class DecodedInstruction implements DisassembledInstruction {
  private loc?: { file?: string; line?: number };
  private shown?: string;
  constructor(
    readonly address: number,
    readonly bytes: Uint8Array,
    readonly symbol: string | undefined,
    private readonly symbols: SymbolTable,
    private readonly symbolize: SymbolLookup,
  ) {}
  get text(): string {
    this.shown ??= decodeInstruction(this.bytes, this.address, this.symbolize).text;
    return this.shown;
  }
  get file(): string | undefined {
    return this.at().file;
  }
  get line(): number | undefined {
    return this.at().line;
  }
  private at(): { file?: string; line?: number } {
    this.loc ??= this.symbols.lineForPC(this.address) ?? {};
    return this.loc;
  }
}

/**
 * The address of the instruction that holds `addr`, decoded from the start of
 * its function (x86 instructions have no marks of their own: only decoding from
 * a known start finds where one begins); undefined when `addr` is in no
 * function or its code cannot be read.
 */
export function instructionStartOf(addr: number, symbols: SymbolTable, mem: MemoryReader): number | undefined {
  const fn = symbols.funcForPC(addr);
  if (!fn) return undefined;
  return decodeFunction(fn, symbols, mem).find((i) => i.address <= addr && addr < i.address + i.bytes.length)?.address;
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
  // More functions before or after, as needed: gathered, then joined once (a far
  // offset crosses thousands of functions; joining at each made it quadratic).
  let first = fn;
  const before: DisassembledInstruction[][] = [];
  let reach = at + offset;
  while (reach < 0 && first) {
    const prev = symbols.funcForPC(first.entry - 1);
    if (!prev || prev === first) break;
    const more = decodeFunction(prev, symbols, mem);
    if (more.length === 0) break;
    before.push(more);
    at += more.length;
    reach += more.length;
    first = prev;
  }
  const after: DisassembledInstruction[][] = [];
  let last = fn;
  let length = list.length + before.reduce((n, x) => n + x.length, 0);
  while (at + offset + count > length && last) {
    const next = symbols.funcForPC(last.end);
    if (!next || next === last) break;
    const more = decodeFunction(next, symbols, mem);
    if (more.length === 0) break;
    after.push(more);
    length += more.length;
    last = next;
  }
  if (before.length || after.length) list = [...before.reverse(), list, ...after].flat();
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
