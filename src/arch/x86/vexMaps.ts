/**
 * VEX-encoded instructions (C4/C5 prefixes): AVX, AVX2, FMA, F16C, BMI1/2,
 * VAES/VPCLMULQDQ/GFNI, and the AVX-512 mask-register instructions (K*),
 * which are VEX-encoded. Maps 1 (0F), 2 (0F38), 3 (0F3A); the Pfx selector
 * is VEX.pp, W is VEX.W, L is VEX.L. Intel mnemonics (Go's assembler uses
 * the same names for these); x86asm decodes only VMOVDQA/VMOVDQU/VMOVNTDQ/
 * VMOVNTDQA/VZEROUPPER among them.
 */
import { type Node, grp, mod, lazyOpmap, pfx, rexw, vl } from './opcodeTable.js';

const u = undefined;
const p66 = (x: string | Node): Node => pfx(u, x);
const fp4 = (n: string): Node => pfx(`${n}PS Vx,Hx,Wx`, `${n}PD Vx,Hx,Wx`, `${n}SS VX,HX,WX`, `${n}SD VX,HX,WX`);
const fp2 = (n: string): Node => pfx(`${n}PS Vx,Hx,Wx`, `${n}PD Vx,Hx,Wx`);
/** 66-prefixed three-operand integer op. */
const i3 = (n: string): Node => p66(`${n} Vx,Hx,Wx`);
/** Mask-register op: by pp and W, suffix W/Q (none) or B/D (66). */
const kop = (n: string, args: string, only?: 'L0' | 'L1'): Node => {
  const f = pfx(rexw(`${n}W ${args}`, `${n}Q ${args}`), rexw(`${n}B ${args}`, `${n}D ${args}`));
  return only === 'L1' ? vl(u, f) : only === 'L0' ? vl(f, u) : f;
};
function each(names: Record<number, string>, f: (n: string) => Node): Record<number, Node> {
  const m: Record<number, Node> = {};
  for (const [k, n] of Object.entries(names)) m[Number(k)] = f(n);
  return m;
}

// biome-ignore format: an opcode table, laid out as the manuals group the opcodes
const MAP1 = lazyOpmap(() => ({
  0x10: pfx('VMOVUPS Vx,Wx', 'VMOVUPD Vx,Wx', mod('VMOVSS VX,M4', 'VMOVSS VX,HX,UX'), mod('VMOVSD VX,M8', 'VMOVSD VX,HX,UX')),
  0x11: pfx('VMOVUPS Wx,Vx', 'VMOVUPD Wx,Vx', mod('VMOVSS M4,VX', 'VMOVSS UX,HX,VX'), mod('VMOVSD M8,VX', 'VMOVSD UX,HX,VX')),
  0x12: pfx(mod('VMOVLPS VX,HX,M8', 'VMOVHLPS VX,HX,UX'), 'VMOVLPD VX,HX,M8', 'VMOVSLDUP Vx,Wx', 'VMOVDDUP Vx,Wx'),
  0x13: pfx('VMOVLPS M8,VX', 'VMOVLPD M8,VX'),
  0x14: fp2('VUNPCKL'),
  0x15: fp2('VUNPCKH'),
  0x16: pfx(mod('VMOVHPS VX,HX,M8', 'VMOVLHPS VX,HX,UX'), 'VMOVHPD VX,HX,M8', 'VMOVSHDUP Vx,Wx'),
  0x17: pfx('VMOVHPS M8,VX', 'VMOVHPD M8,VX'),
  0x28: pfx('VMOVAPS Vx,Wx', 'VMOVAPD Vx,Wx'),
  0x29: pfx('VMOVAPS Wx,Vx', 'VMOVAPD Wx,Vx'),
  0x2a: pfx(u, u, 'VCVTSI2SS VX,HX,Ey', 'VCVTSI2SD VX,HX,Ey'),
  0x2b: pfx('VMOVNTPS Mx,Vx', 'VMOVNTPD Mx,Vx'),
  0x2c: pfx(u, u, 'VCVTTSS2SI Gy,WX', 'VCVTTSD2SI Gy,WX'),
  0x2d: pfx(u, u, 'VCVTSS2SI Gy,WX', 'VCVTSD2SI Gy,WX'),
  0x2e: pfx('VUCOMISS VX,WX', 'VUCOMISD VX,WX'),
  0x2f: pfx('VCOMISS VX,WX', 'VCOMISD VX,WX'),
  0x41: kop('KAND', 'KG,KH,KR', 'L1'),
  0x42: kop('KANDN', 'KG,KH,KR', 'L1'),
  0x44: kop('KNOT', 'KG,KR', 'L0'),
  0x45: kop('KOR', 'KG,KH,KR', 'L1'),
  0x46: kop('KXNOR', 'KG,KH,KR', 'L1'),
  0x47: kop('KXOR', 'KG,KH,KR', 'L1'),
  0x4a: kop('KADD', 'KG,KH,KR', 'L1'),
  0x4b: vl(u, pfx(rexw('KUNPCKWD KG,KH,KR', 'KUNPCKDQ KG,KH,KR'), 'KUNPCKBW KG,KH,KR')),
  0x50: pfx('VMOVMSKPS Gd,Ux', 'VMOVMSKPD Gd,Ux'),
  0x51: pfx('VSQRTPS Vx,Wx', 'VSQRTPD Vx,Wx', 'VSQRTSS VX,HX,WX', 'VSQRTSD VX,HX,WX'),
  0x52: pfx('VRSQRTPS Vx,Wx', u, 'VRSQRTSS VX,HX,WX'),
  0x53: pfx('VRCPPS Vx,Wx', u, 'VRCPSS VX,HX,WX'),
  0x54: fp2('VAND'),
  0x55: fp2('VANDN'),
  0x56: fp2('VOR'),
  0x57: fp2('VXOR'),
  0x58: fp4('VADD'),
  0x59: fp4('VMUL'),
  0x5a: pfx('VCVTPS2PD Vx,Wh', 'VCVTPD2PS VX,Wx', 'VCVTSS2SD VX,HX,WX', 'VCVTSD2SS VX,HX,WX'),
  0x5b: pfx('VCVTDQ2PS Vx,Wx', 'VCVTPS2DQ Vx,Wx', 'VCVTTPS2DQ Vx,Wx'),
  0x5c: fp4('VSUB'),
  0x5d: fp4('VMIN'),
  0x5e: fp4('VDIV'),
  0x5f: fp4('VMAX'),
  ...each({ 0x60: 'VPUNPCKLBW', 0x61: 'VPUNPCKLWD', 0x62: 'VPUNPCKLDQ', 0x63: 'VPACKSSWB', 0x64: 'VPCMPGTB', 0x65: 'VPCMPGTW', 0x66: 'VPCMPGTD',
    0x67: 'VPACKUSWB', 0x68: 'VPUNPCKHBW', 0x69: 'VPUNPCKHWD', 0x6a: 'VPUNPCKHDQ', 0x6b: 'VPACKSSDW', 0x6c: 'VPUNPCKLQDQ', 0x6d: 'VPUNPCKHQDQ',
    0x74: 'VPCMPEQB', 0x75: 'VPCMPEQW', 0x76: 'VPCMPEQD', 0xd4: 'VPADDQ', 0xd5: 'VPMULLW', 0xd8: 'VPSUBUSB', 0xd9: 'VPSUBUSW', 0xda: 'VPMINUB',
    0xdb: 'VPAND', 0xdc: 'VPADDUSB', 0xdd: 'VPADDUSW', 0xde: 'VPMAXUB', 0xdf: 'VPANDN', 0xe0: 'VPAVGB', 0xe3: 'VPAVGW', 0xe4: 'VPMULHUW',
    0xe5: 'VPMULHW', 0xe8: 'VPSUBSB', 0xe9: 'VPSUBSW', 0xea: 'VPMINSW', 0xeb: 'VPOR', 0xec: 'VPADDSB', 0xed: 'VPADDSW', 0xee: 'VPMAXSW',
    0xef: 'VPXOR', 0xf4: 'VPMULUDQ', 0xf5: 'VPMADDWD', 0xf6: 'VPSADBW', 0xf8: 'VPSUBB', 0xf9: 'VPSUBW', 0xfa: 'VPSUBD', 0xfb: 'VPSUBQ',
    0xfc: 'VPADDB', 0xfd: 'VPADDW', 0xfe: 'VPADDD' }, i3),
  ...each({ 0xd1: 'VPSRLW', 0xd2: 'VPSRLD', 0xd3: 'VPSRLQ', 0xe1: 'VPSRAW', 0xe2: 'VPSRAD', 0xf1: 'VPSLLW', 0xf2: 'VPSLLD', 0xf3: 'VPSLLQ' },
    (n) => p66(`${n} Vx,Hx,WX`)),
  0x6e: p66(rexw('VMOVD VX,Ed', 'VMOVQ VX,Eq')),
  0x6f: pfx(u, 'VMOVDQA Vx,Wx', 'VMOVDQU Vx,Wx'),
  0x70: pfx(u, 'VPSHUFD Vx,Wx,Ub', 'VPSHUFHW Vx,Wx,Ub', 'VPSHUFLW Vx,Wx,Ub'),
  0x71: p66(mod(u, grp(u, u, 'VPSRLW Hx,Ux,Ub', u, 'VPSRAW Hx,Ux,Ub', u, 'VPSLLW Hx,Ux,Ub'))),
  0x72: p66(mod(u, grp(u, u, 'VPSRLD Hx,Ux,Ub', u, 'VPSRAD Hx,Ux,Ub', u, 'VPSLLD Hx,Ux,Ub'))),
  0x73: p66(mod(u, grp(u, u, 'VPSRLQ Hx,Ux,Ub', 'VPSRLDQ Hx,Ux,Ub', u, u, 'VPSLLQ Hx,Ux,Ub', 'VPSLLDQ Hx,Ux,Ub'))),
  0x77: pfx(vl('VZEROUPPER', 'VZEROALL')),
  0x7c: pfx(u, 'VHADDPD Vx,Hx,Wx', u, 'VHADDPS Vx,Hx,Wx'),
  0x7d: pfx(u, 'VHSUBPD Vx,Hx,Wx', u, 'VHSUBPS Vx,Hx,Wx'),
  0x7e: pfx(u, rexw('VMOVD Ed,VX', 'VMOVQ Eq,VX'), 'VMOVQ VX,WX'),
  0x7f: pfx(u, 'VMOVDQA Wx,Vx', 'VMOVDQU Wx,Vx'),
  0x90: kop('KMOV', 'KG,KE', 'L0'),
  0x91: vl(mod(pfx(rexw('KMOVW M,KG', 'KMOVQ M,KG'), rexw('KMOVB M,KG', 'KMOVD M,KG')), u), u),
  0x92: vl(mod(u, pfx('KMOVW KG,Rd', 'KMOVB KG,Rd', u, rexw('KMOVD KG,Rd', 'KMOVQ KG,Rq'))), u),
  0x93: vl(mod(u, pfx('KMOVW Gd,KR', 'KMOVB Gd,KR', u, rexw('KMOVD Gd,KR', 'KMOVQ Gq,KR'))), u),
  0x98: kop('KORTEST', 'KG,KR', 'L0'),
  0x99: kop('KTEST', 'KG,KR', 'L0'),
  0xae: pfx(mod(grp(u, u, 'VLDMXCSR M4', 'VSTMXCSR M4'), u)),
  0xc2: pfx('VCMPPS Vx,Hx,Wx,Ub', 'VCMPPD Vx,Hx,Wx,Ub', 'VCMPSS VX,HX,WX,Ub', 'VCMPSD VX,HX,WX,Ub'),
  0xc4: p66('VPINSRW VX,HX,Ed/w,Ub'),
  0xc5: p66('VPEXTRW Gd,UX,Ub'),
  0xc6: pfx('VSHUFPS Vx,Hx,Wx,Ub', 'VSHUFPD Vx,Hx,Wx,Ub'),
  0xd0: pfx(u, 'VADDSUBPD Vx,Hx,Wx', u, 'VADDSUBPS Vx,Hx,Wx'),
  0xd6: p66('VMOVQ WX,VX'),
  0xd7: p66('VPMOVMSKB Gd,Ux'),
  0xe6: pfx(u, 'VCVTTPD2DQ VX,Wx', 'VCVTDQ2PD Vx,Wh', 'VCVTPD2DQ VX,Wx'),
  0xe7: p66('VMOVNTDQ Mx,Vx'),
  0xf0: pfx(u, u, u, 'VLDDQU Vx,Mx'),
  0xf7: p66('VMASKMOVDQU VX,UX'),
}));

const FMA: Record<number, string> = { 0x6: 'FMADDSUB', 0x7: 'FMSUBADD', 0x8: 'FMADD', 0xa: 'FMSUB', 0xc: 'FNMADD', 0xe: 'FNMSUB' };
function fma(): Record<number, Node> {
  const m: Record<number, Node> = {};
  for (const [order, base] of [
    ['132', 0x90],
    ['213', 0xa0],
    ['231', 0xb0],
  ] as const) {
    for (const [lo, n] of Object.entries(FMA)) {
      const op = base + Number(lo);
      m[op] = p66(rexw(`V${n}${order}PS Vx,Hx,Wx`, `V${n}${order}PD Vx,Hx,Wx`));
      if (n !== 'FMADDSUB' && n !== 'FMSUBADD') m[op + 1] = p66(rexw(`V${n}${order}SS VX,HX,WX`, `V${n}${order}SD VX,HX,WX`));
    }
  }
  return m;
}

/** CMPccXADD m, r, r (VEX.128.66.0F38 E0+cc). */
function cmpxadd(): Record<number, Node> {
  const m: Record<number, Node> = {};
  CC.forEach((c, i) => (m[0xe0 + i] = p66(vl(mod(`CMP${c}XADD My,Gy,By`, u), u))));
  return m;
}
const CC = ['O', 'NO', 'B', 'NB', 'Z', 'NZ', 'BE', 'NBE', 'S', 'NS', 'P', 'NP', 'L', 'NL', 'LE', 'NLE'];

// biome-ignore format: an opcode table, laid out as the manuals group the opcodes
const MAP2 = lazyOpmap(() => ({
  ...each({ 0x00: 'VPSHUFB', 0x01: 'VPHADDW', 0x02: 'VPHADDD', 0x03: 'VPHADDSW', 0x04: 'VPMADDUBSW', 0x05: 'VPHSUBW', 0x06: 'VPHSUBD',
    0x07: 'VPHSUBSW', 0x08: 'VPSIGNB', 0x09: 'VPSIGNW', 0x0a: 'VPSIGND', 0x0b: 'VPMULHRSW', 0x0c: 'VPERMILPS', 0x0d: 'VPERMILPD',
    0x16: 'VPERMPS', 0x28: 'VPMULDQ', 0x29: 'VPCMPEQQ', 0x2b: 'VPACKUSDW', 0x36: 'VPERMD', 0x37: 'VPCMPGTQ', 0x38: 'VPMINSB',
    0x39: 'VPMINSD', 0x3a: 'VPMINUW', 0x3b: 'VPMINUD', 0x3c: 'VPMAXSB', 0x3d: 'VPMAXSD', 0x3e: 'VPMAXUW', 0x3f: 'VPMAXUD', 0x40: 'VPMULLD',
    0xcf: 'VGF2P8MULB', 0xdc: 'VAESENC', 0xdd: 'VAESENCLAST', 0xde: 'VAESDEC', 0xdf: 'VAESDECLAST' }, i3),
  0x0e: p66('VTESTPS Vx,Wx'),
  0x0f: p66('VTESTPD Vx,Wx'),
  0x13: p66('VCVTPH2PS Vx,Wh'),
  0x17: p66('VPTEST Vx,Wx'),
  0x18: p66('VBROADCASTSS Vx,WX'),
  0x19: p66('VBROADCASTSD Vx,WX'),
  0x1a: p66('VBROADCASTF128 Vx,M16'),
  0x1c: p66('VPABSB Vx,Wx'),
  0x1d: p66('VPABSW Vx,Wx'),
  0x1e: p66('VPABSD Vx,Wx'),
  ...each({ 0x20: 'VPMOVSXBW', 0x21: 'VPMOVSXBD', 0x22: 'VPMOVSXBQ', 0x23: 'VPMOVSXWD', 0x24: 'VPMOVSXWQ', 0x25: 'VPMOVSXDQ',
    0x30: 'VPMOVZXBW', 0x31: 'VPMOVZXBD', 0x32: 'VPMOVZXBQ', 0x33: 'VPMOVZXWD', 0x34: 'VPMOVZXWQ', 0x35: 'VPMOVZXDQ' }, (n) => p66(`${n} Vx,WX`)),
  0x2a: p66('VMOVNTDQA Vx,Mx'),
  0x2c: p66('VMASKMOVPS Vx,Hx,Mx'),
  0x2d: p66('VMASKMOVPD Vx,Hx,Mx'),
  0x2e: p66('VMASKMOVPS Mx,Hx,Vx'),
  0x2f: p66('VMASKMOVPD Mx,Hx,Vx'),
  0x41: p66('VPHMINPOSUW VX,WX'),
  0x45: p66(rexw('VPSRLVD Vx,Hx,Wx', 'VPSRLVQ Vx,Hx,Wx')),
  0x46: p66('VPSRAVD Vx,Hx,Wx'),
  0x47: p66(rexw('VPSLLVD Vx,Hx,Wx', 'VPSLLVQ Vx,Hx,Wx')),
  0x50: p66('VPDPBUSD Vx,Hx,Wx'),
  0x51: p66('VPDPBUSDS Vx,Hx,Wx'),
  0x52: p66('VPDPWSSD Vx,Hx,Wx'),
  0x53: p66('VPDPWSSDS Vx,Hx,Wx'),
  0x58: p66('VPBROADCASTD Vx,WX'),
  0x59: p66('VPBROADCASTQ Vx,WX'),
  0x5a: p66('VBROADCASTI128 Vx,M16'),
  0x78: p66('VPBROADCASTB Vx,WX'),
  0x79: p66('VPBROADCASTW Vx,WX'),
  0x8c: p66(rexw('VPMASKMOVD Vx,Hx,Mx', 'VPMASKMOVQ Vx,Hx,Mx')),
  0x8e: p66(rexw('VPMASKMOVD Mx,Hx,Vx', 'VPMASKMOVQ Mx,Hx,Vx')),
  0x90: p66(rexw('VPGATHERDD Vx,Mvx,Hx', 'VPGATHERDQ Vx,Mvh,Hx')),
  0x91: p66(rexw('VPGATHERQD Vh,Mvx,Hh', 'VPGATHERQQ Vx,Mvx,Hx')),
  0x92: p66(rexw('VGATHERDPS Vx,Mvx,Hx', 'VGATHERDPD Vx,Mvh,Hx')),
  0x93: p66(rexw('VGATHERQPS Vh,Mvx,Hh', 'VGATHERQPD Vx,Mvx,Hx')),
  ...fma(),
  0xdb: p66('VAESIMC VX,WX'),
  ...cmpxadd(),
  0xf2: pfx('ANDN Gy,By,Ey'),
  0xf3: pfx(grp(u, 'BLSR By,Ey', 'BLSMSK By,Ey', 'BLSI By,Ey')),
  0xf5: pfx('BZHI Gy,Ey,By', u, 'PEXT Gy,By,Ey', 'PDEP Gy,By,Ey'),
  0xf6: pfx(u, u, u, 'MULX Gy,By,Ey'),
  0xf7: pfx('BEXTR Gy,Ey,By', 'SHLX Gy,Ey,By', 'SARX Gy,Ey,By', 'SHRX Gy,Ey,By'),
}));

// biome-ignore format: an opcode table, laid out as the manuals group the opcodes
const MAP3 = lazyOpmap(() => ({
  0x00: p66('VPERMQ Vx,Wx,Ub'),
  0x01: p66('VPERMPD Vx,Wx,Ub'),
  0x02: p66('VPBLENDD Vx,Hx,Wx,Ub'),
  0x04: p66('VPERMILPS Vx,Wx,Ub'),
  0x05: p66('VPERMILPD Vx,Wx,Ub'),
  0x06: p66('VPERM2F128 Vx,Hx,Wx,Ub'),
  0x08: p66('VROUNDPS Vx,Wx,Ub'),
  0x09: p66('VROUNDPD Vx,Wx,Ub'),
  0x0a: p66('VROUNDSS VX,HX,WX,Ub'),
  0x0b: p66('VROUNDSD VX,HX,WX,Ub'),
  0x0c: p66('VBLENDPS Vx,Hx,Wx,Ub'),
  0x0d: p66('VBLENDPD Vx,Hx,Wx,Ub'),
  0x0e: p66('VPBLENDW Vx,Hx,Wx,Ub'),
  0x0f: p66('VPALIGNR Vx,Hx,Wx,Ub'),
  0x14: p66('VPEXTRB Ed/b,VX,Ub'),
  0x15: p66('VPEXTRW Ed/w,VX,Ub'),
  0x16: p66(rexw('VPEXTRD Ed,VX,Ub', 'VPEXTRQ Eq,VX,Ub')),
  0x17: p66('VEXTRACTPS Ed,VX,Ub'),
  0x18: p66('VINSERTF128 Vx,Hx,WX,Ub'),
  0x19: p66('VEXTRACTF128 WX,Vx,Ub'),
  0x1d: p66('VCVTPS2PH Wh,Vx,Ub'),
  0x20: p66('VPINSRB VX,HX,Ed/b,Ub'),
  0x21: p66('VINSERTPS VX,HX,WX,Ub'),
  0x22: p66(rexw('VPINSRD VX,HX,Ed,Ub', 'VPINSRQ VX,HX,Eq,Ub')),
  0x30: p66(vl(rexw('KSHIFTRB KG,KR,Ub', 'KSHIFTRW KG,KR,Ub'), u)),
  0x31: p66(vl(rexw('KSHIFTRD KG,KR,Ub', 'KSHIFTRQ KG,KR,Ub'), u)),
  0x32: p66(vl(rexw('KSHIFTLB KG,KR,Ub', 'KSHIFTLW KG,KR,Ub'), u)),
  0x33: p66(vl(rexw('KSHIFTLD KG,KR,Ub', 'KSHIFTLQ KG,KR,Ub'), u)),
  0x38: p66('VINSERTI128 Vx,Hx,WX,Ub'),
  0x39: p66('VEXTRACTI128 WX,Vx,Ub'),
  0x40: p66('VDPPS Vx,Hx,Wx,Ub'),
  0x41: p66('VDPPD VX,HX,WX,Ub'),
  0x42: p66('VMPSADBW Vx,Hx,Wx,Ub'),
  0x44: p66('VPCLMULQDQ Vx,Hx,Wx,Ub'),
  0x46: p66('VPERM2I128 Vx,Hx,Wx,Ub'),
  0x4a: p66('VBLENDVPS Vx,Hx,Wx,L'),
  0x4b: p66('VBLENDVPD Vx,Hx,Wx,L'),
  0x4c: p66('VPBLENDVB Vx,Hx,Wx,L'),
  0x60: p66('VPCMPESTRM VX,WX,Ub'),
  0x61: p66('VPCMPESTRI VX,WX,Ub'),
  0x62: p66('VPCMPISTRM VX,WX,Ub'),
  0x63: p66('VPCMPISTRI VX,WX,Ub'),
  0xce: p66('VGF2P8AFFINEQB Vx,Hx,Wx,Ub'),
  0xcf: p66('VGF2P8AFFINEINVQB Vx,Hx,Wx,Ub'),
  0xdf: p66('VAESKEYGENASSIST VX,WX,Ub'),
  0xf0: pfx(u, u, u, 'RORX Gy,Ey,Ub'),
}));

const MAPS = [undefined, MAP1, MAP2, MAP3];

/** The VEX opcode map VEX.mmmmm selects (undefined for a reserved one). */
export const vexMap = (mmm: number): readonly Node[] | undefined => MAPS[mmm]?.();
