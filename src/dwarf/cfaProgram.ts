/**
 * The DW_CFA_* program of a CIE and an FDE, run up to a PC: the row of the
 * call frame table in effect there (how to find the CFA and where each of the
 * caller's registers was saved).
 */
import { DecodeError, Reader } from '../binary/reader.js';
import { readEncodedPointer } from './ehPointer.js';
import type { CfaRule, Cie, Fde, RegisterRule, UnwindRules } from './frame.js';

/** Where a table's bytes are loaded (for PC-relative DW_CFA_set_loc operands in .eh_frame). */
export interface FrameAddressing {
  readonly isEh: boolean;
  addressOf(sectionOffset: number): number;
}

const DEBUG_FRAME: FrameAddressing = { isEh: false, addressOf: (off) => off };

interface Row {
  cfa: CfaRule;
  rules: Map<number, RegisterRule>;
}

const MAX_INSTRUCTIONS = 1 << 20;

/** Runs the CIE's initial instructions and the FDE's up to `pc`. */
export function rulesAt(fde: Fde, pc: number, table: FrameAddressing = DEBUG_FRAME): UnwindRules {
  const cie = fde.cie;
  const initial: Row = { cfa: { kind: 'regOffset', reg: 7, offset: 0 }, rules: new Map() };
  const name = table.isEh ? '.eh_frame' : '.debug_frame';
  const afterCie = execute(cie, cie.instructions, cie.instructionsAt, table, initial, undefined, fde.lowPC, Number.POSITIVE_INFINITY, `${name} (CIE)`);
  const initialRules = new Map(afterCie.rules);
  const row = execute(cie, fde.instructions, fde.instructionsAt, table, afterCie, initialRules, fde.lowPC, pc, `${name} (FDE)`);
  const cfa = row.cfa.kind === 'regOffset' ? { reg: row.cfa.reg, offset: row.cfa.offset } : { reg: -1, offset: 0 };
  return { cfa, cfaRule: row.cfa, rules: row.rules, returnAddressRegister: cie.returnAddressRegister };
}

// Offsets are `factor * cie.dataAlign + 0`: the `+ 0` turns a -0 into 0.
function execute(
  cie: Cie,
  code: Uint8Array,
  codeAt: number,
  table: FrameAddressing,
  start: Row,
  initialRules: Map<number, RegisterRule> | undefined,
  loc: number,
  pc: number,
  section: string,
): Row {
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
  // biome-ignore format: one line per DW_CFA instruction
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
      case 0x01: { loc = readEncodedPointer(r, cie.pointerEncoding, table.addressOf(codeAt + r.pos), cie.addrSize); if (loc > pc) return row; break; } // set_loc
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
