/**
 * Call frame information: the CIEs and FDEs of `.debug_frame` (what Go's
 * linker writes for Go code) or of `.eh_frame` (what gcc writes for C code,
 * so the C frames of a cgo program), and for a PC the rules that find the
 * CFA and the caller's registers.
 *
 * The two sections differ in their headers only: `.eh_frame` marks a CIE
 * with id 0 instead of all ones, an FDE points back to its CIE relative to
 * itself, a zero length ends the section, and a 'z' augmentation says how FDE
 * addresses are encoded (usually relative to where they are stored). The
 * DW_CFA program is the same (src/dwarf/cfaProgram.ts).
 */
import { Reader } from '../binary/reader.js';
import { rulesAt } from './cfaProgram.js';
import { DW_EH_PE_absptr, DW_EH_PE_omit, readEncodedPointer } from './ehPointer.js';

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
  /** How FDE addresses (and DW_CFA_set_loc operands) are encoded: DW_EH_PE_* ('R' augmentation), absptr otherwise. */
  pointerEncoding: number;
  /** 'S' augmentation: the FDEs describe a signal handler's frame. */
  signalFrame: boolean;
  instructions: Uint8Array;
  /** Offset of `instructions` in the section. */
  instructionsAt: number;
}

export interface Fde {
  offset: number;
  cie: Cie;
  lowPC: number;
  highPC: number;
  instructions: Uint8Array;
  /** Offset of `instructions` in the section. */
  instructionsAt: number;
}

/** Which section the table was read from; `.eh_frame` needs its load address for PC-relative pointers. */
export type FrameSection = { kind: 'debug_frame' } | { kind: 'eh_frame'; addr: number };

export class FrameTable {
  private fdes: Fde[] | undefined;
  private readonly cies = new Map<number, Cie>();
  private readonly name: string;

  constructor(
    readonly bytes: Uint8Array,
    readonly addrSize = 8,
    readonly section: FrameSection = { kind: 'debug_frame' },
  ) {
    this.name = `.${section.kind}`;
  }

  get isEh(): boolean {
    return this.section.kind === 'eh_frame';
  }

  /** The load address of section offset `off` (for PC-relative pointers); 0 for .debug_frame. */
  addressOf(off: number): number {
    return this.section.kind === 'eh_frame' ? this.section.addr + off : off;
  }

  /** All FDEs, sorted by lowPC (parsed on first use). */
  all(): readonly Fde[] {
    this.fdes ??= this.parse();
    return this.fdes;
  }

  private parse(): Fde[] {
    const r = new Reader(this.bytes, this.name);
    const fdes: Fde[] = [];
    while (r.left > 0) {
      const start = r.pos;
      const head = this.recordHeader(r);
      if (head === undefined) {
        if (this.isEh) break; // .eh_frame ends at a zero length
        continue; // .debug_frame: padding
      }
      const { end, id, idAt, isCie } = head;
      if (isCie) {
        if (!this.cies.has(start)) this.cies.set(start, this.parseCie(r, start, end));
      } else {
        // .debug_frame: the CIE's section offset; .eh_frame: its distance back from the id field.
        const cieOff = this.isEh ? idAt - id : id;
        let cie = this.cies.get(cieOff);
        if (!cie) {
          if (cieOff < 0 || cieOff >= this.bytes.length) r.fail(`FDE refers to CIE at 0x${cieOff.toString(16)} outside the section`, start);
          cie = this.parseCieAt(cieOff);
        }
        const fde = this.parseFde(r, cie, start, end);
        if (fde.highPC > fde.lowPC) fdes.push(fde);
      }
      r.seek(end);
    }
    fdes.sort((a, b) => a.lowPC - b.lowPC);
    return fdes;
  }

  /** Length and id of the record at r.pos; undefined for a zero length. */
  private recordHeader(r: Reader): { end: number; id: number; idAt: number; isCie: boolean } | undefined {
    let len = r.u32();
    let is64 = false;
    if (len === 0xffffffff) {
      len = r.u64();
      is64 = true;
    }
    if (len === 0) return undefined;
    r.need(len);
    const end = r.pos + len;
    const idAt = r.pos;
    const big = is64 ? r.u64big() : BigInt(r.u32());
    const isCie = this.isEh ? big === 0n : big === (is64 ? 0xffffffffffffffffn : 0xffffffffn);
    return { end, id: isCie ? 0 : Number(big), idAt, isCie };
  }

  private parseCieAt(off: number): Cie {
    const r = new Reader(this.bytes, this.name);
    r.seek(off);
    const head = this.recordHeader(r);
    if (!head?.isCie) return r.fail('FDE points at something that is not a CIE', off);
    const cie = this.parseCie(r, off, head.end);
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
    let pointerEncoding = DW_EH_PE_absptr;
    let signalFrame = false;
    if (augmentation.startsWith('z')) {
      const augEnd = r.uleb() + r.pos;
      for (const c of augmentation.slice(1)) {
        if (c === 'R') pointerEncoding = r.u8();
        else if (c === 'L')
          r.u8(); // LSDA encoding: only the FDE's augmentation data uses it, and that is skipped
        else if (c === 'P') {
          const enc = r.u8();
          readEncodedPointer(r, enc, this.addressOf(r.pos), addrSize); // personality routine: not needed to unwind
        } else if (c === 'S') signalFrame = true;
        else break; // an augmentation we do not know: the rest of its data is skipped by length
      }
      r.seek(augEnd);
    } else if (augmentation !== '') r.fail(`unsupported CIE augmentation "${augmentation}"`, start);
    if (r.pos > end) r.fail('CIE header longer than the CIE', start);
    return {
      offset: start,
      version,
      augmentation,
      codeAlign,
      dataAlign,
      returnAddressRegister,
      addrSize,
      pointerEncoding,
      signalFrame,
      instructions: this.bytes.subarray(r.pos, end),
      instructionsAt: r.pos,
    };
  }

  private parseFde(r: Reader, cie: Cie, start: number, end: number): Fde {
    const enc = cie.pointerEncoding;
    if (enc === DW_EH_PE_omit) r.fail('CIE omits the FDE address encoding', start);
    const lowPC = readEncodedPointer(r, enc, this.addressOf(r.pos), cie.addrSize);
    // The range is a length: the same format, never relative to anything.
    const range = readEncodedPointer(r, enc & 0x0f, 0, cie.addrSize);
    if (cie.augmentation.startsWith('z')) r.skip(r.uleb());
    if (r.pos > end) r.fail('FDE header longer than the FDE', start);
    return { offset: start, cie, lowPC, highPC: lowPC + range, instructions: this.bytes.subarray(r.pos, end), instructionsAt: r.pos };
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
    return rulesAt(fde, pc, this);
  }
}
