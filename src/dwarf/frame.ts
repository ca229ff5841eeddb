/**
 * .debug_frame call frame information: CIEs, FDEs and the DW_CFA_* program
 * that yields, for a PC, how to find the CFA and the caller's registers.
 *
 * Go's CFI is simple (CFA = RSP + frame size, return address at CFA-8, one
 * DW_CFA_def_cfa_offset_sf per SP change), but the full instruction set is
 * decoded so other producers' tables (cgo, assembly) work too.
 */
import { DecodeError, Reader } from '../binary/reader.js';

export type RegisterRule =
  | { kind: 'undefined' }
  | { kind: 'same' }
  /** Saved at CFA + offset. */
  | { kind: 'offset'; offset: number }
  /** The value is CFA + offset. */
  | { kind: 'valOffset'; offset: number }
  /** Saved in another register. */
  | { kind: 'register'; reg: number }
  /** Saved at the address the expression computes (CFA pushed first). */
  | { kind: 'expression'; expr: Uint8Array }
  | { kind: 'valExpression'; expr: Uint8Array };

export type CfaRule = { kind: 'regOffset'; reg: number; offset: number } | { kind: 'expression'; expr: Uint8Array };

export interface UnwindRules {
  /** CFA = register + offset (the common case); `cfaRule` has the general form. */
  cfa: { reg: number; offset: number };
  cfaRule: CfaRule;
  rules: Map<number, RegisterRule>;
  /** The return-address column from the CIE (16 = RIP on amd64). */
  returnAddressRegister: number;
}

export interface Cie {
  offset: number;
  version: number;
  augmentation: string;
  codeAlign: number;
  dataAlign: number;
  returnAddressRegister: number;
  addrSize: number;
  instructions: Uint8Array;
}

export interface Fde {
  offset: number;
  cie: Cie;
  lowPC: number;
  highPC: number;
  instructions: Uint8Array;
}

interface Row {
  cfa: CfaRule;
  rules: Map<number, RegisterRule>;
}

const MAX_INSTRUCTIONS = 1 << 20;

export class FrameTable {
  private fdes: Fde[] | undefined;
  private readonly cies = new Map<number, Cie>();

  constructor(
    readonly bytes: Uint8Array,
    readonly addrSize = 8,
  ) {}

  /** All FDEs, sorted by lowPC (parsed on first use). */
  all(): readonly Fde[] {
    this.fdes ??= this.parse();
    return this.fdes;
  }

  private parse(): Fde[] {
    const r = new Reader(this.bytes, '.debug_frame');
    const fdes: Fde[] = [];
    while (r.left > 0) {
      const start = r.pos;
      let len = r.u32();
      let is64 = false;
      if (len === 0xffffffff) {
        len = r.u64();
        is64 = true;
      }
      if (len === 0) continue; // zero terminator / padding
      r.need(len);
      const end = r.pos + len;
      const id = is64 ? r.u64big() : BigInt(r.u32());
      const isCie = is64 ? id === 0xffffffffffffffffn : id === 0xffffffffn;
      if (isCie) {
        this.cies.set(start, this.parseCie(r, start, end));
      } else {
        const cieOff = Number(id);
        let cie = this.cies.get(cieOff);
        if (!cie) {
          if (cieOff >= this.bytes.length) r.fail(`FDE refers to CIE at 0x${cieOff.toString(16)} outside the section`, start);
          cie = this.parseCieAt(cieOff);
        }
        const lowPC = r.uint(cie.addrSize);
        const range = r.uint(cie.addrSize);
        if (r.pos > end) r.fail('FDE header longer than the FDE', start);
        fdes.push({ offset: start, cie, lowPC, highPC: lowPC + range, instructions: this.bytes.subarray(r.pos, end) });
      }
      r.seek(end);
    }
    fdes.sort((a, b) => a.lowPC - b.lowPC);
    return fdes;
  }

  private parseCieAt(off: number): Cie {
    const r = new Reader(this.bytes, '.debug_frame');
    r.seek(off);
    let len = r.u32();
    let is64 = false;
    if (len === 0xffffffff) {
      len = r.u64();
      is64 = true;
    }
    r.need(len);
    const end = r.pos + len;
    const id = is64 ? r.u64big() : BigInt(r.u32());
    if (id !== (is64 ? 0xffffffffffffffffn : 0xffffffffn)) r.fail('FDE points at something that is not a CIE', off);
    const cie = this.parseCie(r, off, end);
    this.cies.set(off, cie);
    return cie;
  }

  private parseCie(r: Reader, start: number, end: number): Cie {
    const version = r.u8();
    if (version !== 1 && version !== 3 && version !== 4) r.fail(`unsupported CIE version ${version}`, start);
    const augmentation = r.cstring();
    let addrSize = this.addrSize;
    if (version === 4) {
      addrSize = r.u8();
      r.u8(); // segment selector size
      if (addrSize !== 4 && addrSize !== 8) r.fail(`bad CIE address size ${addrSize}`, start);
    }
    const codeAlign = r.uleb();
    const dataAlign = r.sleb();
    const returnAddressRegister = version === 1 ? r.u8() : r.uleb();
    if (augmentation.startsWith('z')) r.skip(r.uleb());
    else if (augmentation !== '') r.fail(`unsupported CIE augmentation "${augmentation}"`, start);
    if (r.pos > end) r.fail('CIE header longer than the CIE', start);
    return { offset: start, version, augmentation, codeAlign, dataAlign, returnAddressRegister, addrSize, instructions: this.bytes.subarray(r.pos, end) };
  }

  /** The FDE covering `pc`, or undefined. */
  fdeFor(pc: number): Fde | undefined {
    const fdes = this.all();
    let lo = 0;
    let hi = fdes.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const f = fdes[mid]!;
      if (pc < f.lowPC) hi = mid - 1;
      else if (pc >= f.highPC) lo = mid + 1;
      else return f;
    }
    return undefined;
  }

  /** The unwind rules in effect at `pc`, or undefined when no FDE covers it. */
  unwindRulesAt(pc: number): UnwindRules | undefined {
    const fde = this.fdeFor(pc);
    if (!fde) return undefined;
    return rulesAt(fde, pc);
  }
}

/** Runs the CIE's initial instructions and the FDE's up to `pc`. */
export function rulesAt(fde: Fde, pc: number): UnwindRules {
  const cie = fde.cie;
  const initial: Row = { cfa: { kind: 'regOffset', reg: 7, offset: 0 }, rules: new Map() };
  const afterCie = execute(cie, cie.instructions, initial, undefined, fde.lowPC, Number.POSITIVE_INFINITY, '.debug_frame (CIE)');
  const initialRules = new Map(afterCie.rules);
  const row = execute(cie, fde.instructions, afterCie, initialRules, fde.lowPC, pc, '.debug_frame (FDE)');
  const cfa = row.cfa.kind === 'regOffset' ? { reg: row.cfa.reg, offset: row.cfa.offset } : { reg: -1, offset: 0 };
  return { cfa, cfaRule: row.cfa, rules: row.rules, returnAddressRegister: cie.returnAddressRegister };
}

// Offsets are `factor * cie.dataAlign + 0`: the `+ 0` turns a -0 into 0.
function execute(cie: Cie, code: Uint8Array, start: Row, initialRules: Map<number, RegisterRule> | undefined, loc: number, pc: number, section: string): Row {
  const r: Reader = new Reader(code, section);
  let row: Row = { cfa: { ...start.cfa }, rules: new Map(start.rules) };
  const saved: Row[] = [];
  const restore = (reg: number): void => {
    const init = initialRules?.get(reg);
    if (init) row.rules.set(reg, init);
    else row.rules.delete(reg);
  };
  const setCfaOffset = (off: number): void => {
    if (row.cfa.kind !== 'regOffset') r.fail('CFA offset change with an expression CFA');
    row.cfa = { kind: 'regOffset', reg: row.cfa.reg, offset: off };
  };
  const advance = (delta: number): boolean => {
    loc += delta * cie.codeAlign;
    return loc > pc;
  };
  for (let n = 0; !r.eof; n++) {
    if (n > MAX_INSTRUCTIONS) r.fail('too many CFA instructions');
    const op = r.u8();
    const hi = op & 0xc0;
    const low = op & 0x3f;
    if (hi === 0x40) { if (advance(low)) return row; continue; }
    if (hi === 0x80) { row.rules.set(low, { kind: 'offset', offset: r.uleb() * cie.dataAlign + 0 }); continue; }
    if (hi === 0xc0) { restore(low); continue; }
    switch (op) {
      case 0x00: break; // nop
      case 0x01: { loc = r.uint(cie.addrSize); if (loc > pc) return row; break; } // set_loc
      case 0x02: if (advance(r.u8())) return row; break;
      case 0x03: if (advance(r.u16())) return row; break;
      case 0x04: if (advance(r.u32())) return row; break;
      case 0x05: { const reg = r.uleb(); row.rules.set(reg, { kind: 'offset', offset: r.uleb() * cie.dataAlign + 0 }); break; } // offset_extended
      case 0x06: restore(r.uleb()); break; // restore_extended
      case 0x07: row.rules.set(r.uleb(), { kind: 'undefined' }); break;
      case 0x08: row.rules.set(r.uleb(), { kind: 'same' }); break;
      case 0x09: { const reg = r.uleb(); row.rules.set(reg, { kind: 'register', reg: r.uleb() }); break; }
      case 0x0a: // remember_state
        if (saved.length > 1024) r.fail('remember_state stack too deep');
        saved.push({ cfa: { ...row.cfa }, rules: new Map(row.rules) });
        break;
      case 0x0b: { // restore_state: the remembered CFA and register rules come back
        const s = saved.pop();
        if (!s) r.fail('restore_state without remember_state');
        row = { cfa: s.cfa, rules: s.rules };
        break;
      }
      case 0x0c: { const reg = r.uleb(); row.cfa = { kind: 'regOffset', reg, offset: r.uleb() }; break; } // def_cfa
      case 0x0d: { // def_cfa_register
        const reg = r.uleb();
        row.cfa = { kind: 'regOffset', reg, offset: row.cfa.kind === 'regOffset' ? row.cfa.offset : 0 };
        break;
      }
      case 0x0e: setCfaOffset(r.uleb()); break; // def_cfa_offset
      case 0x0f: row.cfa = { kind: 'expression', expr: r.bytesN(r.uleb()) }; break; // def_cfa_expression
      case 0x10: { const reg = r.uleb(); row.rules.set(reg, { kind: 'expression', expr: r.bytesN(r.uleb()) }); break; }
      case 0x11: { const reg = r.uleb(); row.rules.set(reg, { kind: 'offset', offset: r.sleb() * cie.dataAlign + 0 }); break; } // offset_extended_sf
      case 0x12: { const reg = r.uleb(); row.cfa = { kind: 'regOffset', reg, offset: r.sleb() * cie.dataAlign + 0 }; break; } // def_cfa_sf
      case 0x13: setCfaOffset(r.sleb() * cie.dataAlign + 0); break; // def_cfa_offset_sf
      case 0x14: { const reg = r.uleb(); row.rules.set(reg, { kind: 'valOffset', offset: r.uleb() * cie.dataAlign + 0 }); break; }
      case 0x15: { const reg = r.uleb(); row.rules.set(reg, { kind: 'valOffset', offset: r.sleb() * cie.dataAlign + 0 }); break; }
      case 0x16: { const reg = r.uleb(); row.rules.set(reg, { kind: 'valExpression', expr: r.bytesN(r.uleb()) }); break; }
      case 0x2e: r.uleb(); break; // GNU_args_size
      case 0x2f: { const reg = r.uleb(); row.rules.set(reg, { kind: 'offset', offset: -r.uleb() * cie.dataAlign + 0 }); break; } // GNU_negative_offset_extended
      default:
        throw new DecodeError(section, r.pos - 1, `unknown DW_CFA 0x${op.toString(16)}`);
    }
  }
  return row;
}
