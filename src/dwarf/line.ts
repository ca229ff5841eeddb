/**
 * .debug_line: line number programs, versions 2–5. Go writes version 2 (with
 * GOEXPERIMENT=nodwarf5) or version 5; in both its file numbers start at 1
 * (v5 puts a dummy "?" in slot 0), so DW_AT_decl_file / call_file index the
 * same table either way.
 */
import { Reader } from '../binary/reader.js';
import type { DwarfSections } from './sections.js';

export interface LineRow {
  address: number;
  /** Absolute path when the table gives one (Go always does for real files). */
  file: string;
  fileIndex: number;
  line: number;
  column: number;
  isStmt: boolean;
  prologueEnd: boolean;
  epilogueBegin: boolean;
  endSequence: boolean;
}

const F_STMT = 1;
const F_PROLOGUE_END = 2;
const F_EPILOGUE_BEGIN = 4;
const F_END_SEQUENCE = 8;

/**
 * A decoded line table, stored column-wise in typed arrays (a large unit has
 * hundreds of thousands of rows: ~20 bytes a row instead of ~120 as objects).
 * Rows are in program order; Go's tables are one ascending sequence per unit.
 */
export class LineTable {
  readonly length: number;
  private readonly sortedByAddress: boolean;

  constructor(
    readonly offset: number,
    readonly version: number,
    /** File names by file number (the index used by the program and by DW_AT_decl_file). */
    readonly files: string[],
    private readonly addrs: Float64Array,
    private readonly lines: Int32Array,
    private readonly fileIdx: Int32Array,
    private readonly cols: Int32Array,
    private readonly flags: Uint8Array,
  ) {
    this.length = addrs.length;
    let sorted = true;
    for (let i = 1; i < addrs.length && sorted; i++) if (addrs[i]! < addrs[i - 1]!) sorted = false;
    this.sortedByAddress = sorted;
  }

  static empty(): LineTable {
    return new LineTable(0, 0, [], new Float64Array(0), new Int32Array(0), new Int32Array(0), new Int32Array(0), new Uint8Array(0));
  }

  row(i: number): LineRow {
    const f = this.flags[i]!;
    const fi = this.fileIdx[i]!;
    return {
      address: this.addrs[i]!,
      file: this.files[fi] ?? '',
      fileIndex: fi,
      line: this.lines[i]!,
      column: this.cols[i]!,
      isStmt: (f & F_STMT) !== 0,
      prologueEnd: (f & F_PROLOGUE_END) !== 0,
      epilogueBegin: (f & F_EPILOGUE_BEGIN) !== 0,
      endSequence: (f & F_END_SEQUENCE) !== 0,
    };
  }

  /** Every row as an object (allocates: prefer `rowsIn` / `rowAt` for lookups). */
  rows(): LineRow[] {
    const out: LineRow[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.row(i);
    return out;
  }

  /** Rows with lo <= address < hi, end_sequence rows excluded, in program order. */
  rowsIn(lo: number, hi: number): LineRow[] {
    const out: LineRow[] = [];
    const start = this.sortedByAddress ? this.lowerBound(lo) : 0;
    for (let i = start; i < this.length; i++) {
      const a = this.addrs[i]!;
      if (a >= hi && this.sortedByAddress) break;
      if (a >= lo && a < hi && !(this.flags[i]! & F_END_SEQUENCE)) out.push(this.row(i));
    }
    return out;
  }

  /** The row in effect at pc (the last row at or before it in its sequence), if any. */
  rowAt(pc: number): LineRow | undefined {
    let best = -1;
    if (this.sortedByAddress) {
      const i = this.lowerBound(pc + 1) - 1;
      if (i >= 0 && !(this.flags[i]! & F_END_SEQUENCE)) best = i;
    } else {
      for (let i = 0; i < this.length; i++) {
        if (this.flags[i]! & F_END_SEQUENCE) continue;
        const a = this.addrs[i]!;
        const next = i + 1 < this.length ? this.addrs[i + 1]! : Number.POSITIVE_INFINITY;
        if (a <= pc && pc < next) best = i;
      }
    }
    return best < 0 ? undefined : this.row(best);
  }

  /** First index whose address is >= a (rows sorted). */
  private lowerBound(a: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.addrs[mid]! < a) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

const LNCT_path = 1;
const LNCT_directory_index = 2;

/** Joins a directory and a file name the way paths are printed: "." and "" vanish. */
export function joinPath(dir: string, name: string): string {
  if (name.startsWith('/') || dir === '' || dir === '.') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** Decodes the line program at `offset` in .debug_line. */
export function parseLineTable(s: DwarfSections, offset: number, compDir = '', addrSize = 8, headerOnly = false, bias = 0): LineTable {
  const sec = s.line;
  const r = new Reader(sec ?? new Uint8Array(0), '.debug_line');
  r.seek(offset);
  let len = r.u32();
  let offsetSize = 4;
  if (len === 0xffffffff) {
    len = r.u64();
    offsetSize = 8;
  }
  r.need(len);
  const end = r.pos + len;
  const version = r.u16();
  if (version < 2 || version > 5) r.fail(`unsupported line table version ${version}`, offset);
  if (version >= 5) {
    addrSize = r.u8();
    r.u8(); // segment_selector_size
    if (addrSize !== 4 && addrSize !== 8) r.fail(`bad address size ${addrSize}`);
  }
  const headerLen = offsetSize === 8 ? r.u64() : r.u32();
  const programStart = r.pos + headerLen;
  if (programStart > end) r.fail('line header longer than the table', offset);
  const minInst = r.u8();
  if (version >= 4) r.u8(); // maximum_operations_per_instruction (VLIW only)
  const defaultIsStmt = r.u8() !== 0;
  const lineBase = (r.u8() << 24) >> 24;
  const lineRange = r.u8();
  const opcodeBase = r.u8();
  if (lineRange === 0) r.fail('line_range is 0');
  const stdLens: number[] = [0];
  for (let i = 1; i < opcodeBase; i++) stdLens.push(r.u8());

  const dirs: string[] = [];
  const files: string[] = [];
  const rel = (d: string): string => (d.startsWith('/') ? d : joinPath(compDir, d));
  if (version >= 5) {
    const strs = { str: s.str, lineStr: s.lineStr };
    const readEntries = (out: string[], isDir: boolean): void => {
      const nfmt = r.u8();
      const fmts: [number, number][] = [];
      for (let i = 0; i < nfmt; i++) fmts.push([r.uleb(), r.uleb()]);
      const count = r.uleb();
      if (count > r.left) r.fail(`entry count ${count} exceeds the header`);
      for (let i = 0; i < count; i++) {
        let path = '';
        let dirIdx = 0;
        for (const [ct, form] of fmts) {
          const v = readLnctValue(r, form, offsetSize, strs);
          if (ct === LNCT_path && typeof v === 'string') path = v;
          else if (ct === LNCT_directory_index && typeof v === 'number') dirIdx = v;
        }
        if (isDir) out.push(rel(path));
        else out.push(joinPath(dirs[dirIdx] ?? '', path));
      }
    };
    readEntries(dirs, true);
    readEntries(files, false);
  } else {
    dirs.push(compDir);
    for (;;) {
      const d = r.cstring();
      if (d === '') break;
      dirs.push(rel(d));
    }
    files.push(''); // file numbers start at 1 before v5
    for (;;) {
      const name = r.cstring();
      if (name === '') break;
      const di = r.uleb();
      r.uleb(); // mtime
      r.uleb(); // length
      files.push(joinPath(dirs[di] ?? '', name));
    }
  }

  if (headerOnly) return new LineTable(offset, version, files, new Float64Array(0), new Int32Array(0), new Int32Array(0), new Int32Array(0), new Uint8Array(0));
  r.seek(programStart);
  const addrs: number[] = [];
  const lines: number[] = [];
  const fileIdx: number[] = [];
  const cols: number[] = [];
  const flags: number[] = [];
  let address = 0;
  let file = 1;
  let line = 1;
  let column = 0;
  let isStmt = defaultIsStmt;
  let prologueEnd = false;
  let epilogueBegin = false;
  const reset = (): void => {
    address = 0;
    file = 1;
    line = 1;
    column = 0;
    isStmt = defaultIsStmt;
    prologueEnd = false;
    epilogueBegin = false;
  };
  const emit = (endSequence: boolean): void => {
    addrs.push(address);
    lines.push(line);
    fileIdx.push(file);
    cols.push(column);
    flags.push((isStmt ? F_STMT : 0) | (prologueEnd ? F_PROLOGUE_END : 0) | (epilogueBegin ? F_EPILOGUE_BEGIN : 0) | (endSequence ? F_END_SEQUENCE : 0));
    prologueEnd = false;
    epilogueBegin = false;
  };
  while (r.pos < end) {
    const op = r.u8();
    if (op >= opcodeBase) {
      const adj = op - opcodeBase;
      address += Math.floor(adj / lineRange) * minInst;
      line += lineBase + (adj % lineRange);
      emit(false);
      continue;
    }
    switch (op) {
      case 0: {
        const n = r.uleb();
        if (n === 0) break;
        r.need(n);
        const next = r.pos + n;
        const ext = r.u8();
        if (ext === 1) {
          emit(true);
          reset();
        } else if (ext === 2) {
          address = r.uint(n - 1) + bias;
        } else if (ext === 3) {
          const name = r.cstring();
          const di = r.uleb();
          files.push(joinPath(dirs[di] ?? '', name));
        }
        r.seek(next);
        break;
      }
      case 1:
        emit(false);
        break;
      case 2:
        address += r.uleb() * minInst;
        break;
      case 3:
        line += r.sleb();
        break;
      case 4:
        file = r.uleb();
        break;
      case 5:
        column = r.uleb();
        break;
      case 6:
        isStmt = !isStmt;
        break;
      case 7:
        break;
      case 8:
        address += Math.floor((255 - opcodeBase) / lineRange) * minInst;
        break;
      case 9:
        address += r.u16();
        break;
      case 10:
        prologueEnd = true;
        break;
      case 11:
        epilogueBegin = true;
        break;
      case 12:
        r.uleb();
        break;
      default:
        for (let i = 0; i < (stdLens[op] ?? 0); i++) r.uleb();
    }
  }
  return new LineTable(
    offset,
    version,
    files,
    Float64Array.from(addrs),
    Int32Array.from(lines),
    Int32Array.from(fileIdx),
    Int32Array.from(cols),
    Uint8Array.from(flags),
  );
}

function readLnctValue(r: Reader, form: number, offsetSize: number, strs: { str?: Uint8Array; lineStr?: Uint8Array }): string | number | undefined {
  switch (form) {
    case 0x08:
      return r.cstring(); // string
    case 0x0e:
    case 0x1f: {
      // strp, line_strp
      const off = r.uint(offsetSize);
      const sec = form === 0x0e ? strs.str : strs.lineStr;
      const name = form === 0x0e ? '.debug_str' : '.debug_line_str';
      return new Reader(sec ?? new Uint8Array(0), name).cstringAt(off);
    }
    case 0x0b:
      return r.u8(); // data1
    case 0x05:
      return r.u16(); // data2
    case 0x06:
      return r.u32(); // data4
    case 0x07:
      r.skip(8);
      return undefined; // data8 (timestamps, sizes)
    case 0x1e:
      r.skip(16);
      return undefined; // data16 (MD5)
    case 0x0f:
      return r.uleb(); // udata
    case 0x09:
      r.skip(r.uleb());
      return undefined; // block
    case 0x1a:
      r.uleb();
      return undefined; // strx (needs str_offsets of a CU: unsupported)
    case 0x25:
      r.skip(1);
      return undefined;
    case 0x26:
      r.skip(2);
      return undefined;
    case 0x27:
      r.skip(3);
      return undefined;
    case 0x28:
      r.skip(4);
      return undefined;
    default:
      return r.fail(`unsupported line table form 0x${form.toString(16)}`);
  }
}
