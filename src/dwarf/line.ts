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

export interface LineTable {
  offset: number;
  version: number;
  /** File names by file number (the index used by the program and by DW_AT_decl_file). */
  files: string[];
  rows: LineRow[];
}

const LNCT_path = 1;
const LNCT_directory_index = 2;

/** Joins a directory and a file name the way paths are printed: "." and "" vanish. */
export function joinPath(dir: string, name: string): string {
  if (name.startsWith('/') || dir === '' || dir === '.') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** Decodes the line program at `offset` in .debug_line. */
export function parseLineTable(s: DwarfSections, offset: number, compDir = '', addrSize = 8, headerOnly = false): LineTable {
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

  if (headerOnly) return { offset, version, files, rows: [] };
  r.seek(programStart);
  const rows: LineRow[] = [];
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
    rows.push({ address, file: files[file] ?? '', fileIndex: file, line, column, isStmt, prologueEnd, epilogueBegin, endSequence });
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
          address = r.uint(n - 1);
        } else if (ext === 3) {
          const name = r.cstring();
          const di = r.uleb();
          files.push(joinPath(dirs[di] ?? '', name));
        }
        r.seek(next);
        break;
      }
      case 1: emit(false); break;
      case 2: address += r.uleb() * minInst; break;
      case 3: line += r.sleb(); break;
      case 4: file = r.uleb(); break;
      case 5: column = r.uleb(); break;
      case 6: isStmt = !isStmt; break;
      case 7: break;
      case 8: address += Math.floor((255 - opcodeBase) / lineRange) * minInst; break;
      case 9: address += r.u16(); break;
      case 10: prologueEnd = true; break;
      case 11: epilogueBegin = true; break;
      case 12: r.uleb(); break;
      default:
        for (let i = 0; i < (stdLens[op] ?? 0); i++) r.uleb();
    }
  }
  return { offset, version, files, rows };
}

function readLnctValue(
  r: Reader,
  form: number,
  offsetSize: number,
  strs: { str?: Uint8Array; lineStr?: Uint8Array },
): string | number | undefined {
  switch (form) {
    case 0x08: return r.cstring(); // string
    case 0x0e: case 0x1f: { // strp, line_strp
      const off = r.uint(offsetSize);
      const sec = form === 0x0e ? strs.str : strs.lineStr;
      const name = form === 0x0e ? '.debug_str' : '.debug_line_str';
      return new Reader(sec ?? new Uint8Array(0), name).cstringAt(off);
    }
    case 0x0b: return r.u8(); // data1
    case 0x05: return r.u16(); // data2
    case 0x06: return r.u32(); // data4
    case 0x07: r.skip(8); return undefined; // data8 (timestamps, sizes)
    case 0x1e: r.skip(16); return undefined; // data16 (MD5)
    case 0x0f: return r.uleb(); // udata
    case 0x09: r.skip(r.uleb()); return undefined; // block
    case 0x1a: r.uleb(); return undefined; // strx (needs str_offsets of a CU: unsupported)
    case 0x25: r.skip(1); return undefined;
    case 0x26: r.skip(2); return undefined;
    case 0x27: r.skip(3); return undefined;
    case 0x28: r.skip(4); return undefined;
    default: return r.fail(`unsupported line table form 0x${form.toString(16)}`);
  }
}
