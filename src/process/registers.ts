/** x86-64 register file of one thread: user_regs_struct layout plus the XMM registers. */

/** Index of each general register in user_regs_struct (27 × u64). */
export const REG = {
  r15: 0,
  r14: 1,
  r13: 2,
  r12: 3,
  rbp: 4,
  rbx: 5,
  r11: 6,
  r10: 7,
  r9: 8,
  r8: 9,
  rax: 10,
  rcx: 11,
  rdx: 12,
  rsi: 13,
  rdi: 14,
  orig_rax: 15,
  rip: 16,
  cs: 17,
  eflags: 18,
  rsp: 19,
  ss: 20,
  fs_base: 21,
  gs_base: 22,
  ds: 23,
  es: 24,
  fs: 25,
  gs: 26,
} as const;
export type RegName = keyof typeof REG;

/** Order in which a Registers view lists the general registers. */
export const DISPLAY_ORDER: RegName[] = [
  'rip',
  'rsp',
  'rax',
  'rbx',
  'rcx',
  'rdx',
  'rsi',
  'rdi',
  'rbp',
  'r8',
  'r9',
  'r10',
  'r11',
  'r12',
  'r13',
  'r14',
  'r15',
  'eflags',
  'cs',
  'ss',
  'fs_base',
  'gs_base',
];

/** DWARF register number → user_regs_struct index (amd64 psABI numbering; 16 is the return address). */
const DWARF_TO_REG: number[] = [
  REG.rax,
  REG.rdx,
  REG.rcx,
  REG.rbx,
  REG.rsi,
  REG.rdi,
  REG.rbp,
  REG.rsp,
  REG.r8,
  REG.r9,
  REG.r10,
  REG.r11,
  REG.r12,
  REG.r13,
  REG.r14,
  REG.r15,
  REG.rip,
];

export class Registers {
  private fpCache: Uint8Array | undefined;
  private fpLoaded: boolean;

  constructor(
    /** Raw user_regs_struct. */
    readonly raw: BigUint64Array,
    /** FXSAVE area (512 bytes), or a loader for it: read only when a value needs it. */
    fp?: Uint8Array | (() => Uint8Array | undefined),
  ) {
    if (typeof fp === 'function') {
      this.fpLoaded = false;
      this.loadFp = fp;
    } else {
      this.fpLoaded = true;
      this.fpCache = fp;
    }
  }

  private loadFp?: () => Uint8Array | undefined;

  /** The FXSAVE area (XMM registers at 160 + 16·i), read on first use. */
  get fp(): Uint8Array | undefined {
    if (!this.fpLoaded) {
      this.fpLoaded = true;
      this.fpCache = this.loadFp?.();
    }
    return this.fpCache;
  }

  /** Whether the FP area was read (and so may have been changed and must be written back). */
  get fpTouched(): boolean {
    return this.fpLoaded && this.fpCache !== undefined;
  }

  get(name: RegName): bigint {
    return this.raw[REG[name]]!;
  }
  set(name: RegName, v: bigint): void {
    this.raw[REG[name]] = BigInt.asUintN(64, v);
  }
  get pc(): number {
    return Number(this.raw[REG.rip]);
  }
  set pc(v: number) {
    this.raw[REG.rip] = BigInt(v);
  }
  get sp(): number {
    return Number(this.raw[REG.rsp]);
  }
  get bp(): number {
    return Number(this.raw[REG.rbp]);
  }
  /** Go's ABIInternal keeps the current goroutine's g in R14. */
  get r14(): number {
    return Number(this.raw[REG.r14]);
  }
  /** A DWARF-numbered register (0–16 general, 17–32 XMM0–15 low 64 bits). */
  dwarf(n: number): bigint | undefined {
    if (n >= 0 && n < DWARF_TO_REG.length) return this.raw[DWARF_TO_REG[n]!];
    if (n >= 17 && n <= 32) return this.xmm(n - 17)?.lo;
    return undefined;
  }
  /** XMM register i as two 64-bit halves. */
  xmm(i: number): { lo: bigint; hi: bigint } | undefined {
    if (!this.fp || i < 0 || i > 15) return undefined;
    const dv = new DataView(this.fp.buffer, this.fp.byteOffset, this.fp.byteLength);
    return { lo: dv.getBigUint64(160 + i * 16, true), hi: dv.getBigUint64(168 + i * 16, true) };
  }
  clone(): Registers {
    const fp = this.fp;
    return new Registers(new BigUint64Array(this.raw), fp ? new Uint8Array(fp) : undefined);
  }
}
