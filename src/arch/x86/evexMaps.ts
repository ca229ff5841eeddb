/**
 * EVEX-encoded instructions (62 prefix, AVX-512 F/BW/DQ/VL/CD/VBMI/VBMI2/
 * VNNI/BITALG/VPOPCNTDQ/GFNI/VAES/VPCLMULQDQ): maps 1 (0F), 2 (0F38),
 * 3 (0F3A). Pfx selects on EVEX.pp, W on EVEX.W. A `;` suffix gives the
 * disp8*N tuple where it is not the full vector: `;t<N>` fixed N bytes,
 * `;s` one element (4 or 8 by W), `;hv`/`;qv`/`;ov` half/quarter/eighth vector.
 */
import { type In, type Node, grp, mod, lazyOpmap, pfx, rexw } from './opcodeTable.js';

const u = undefined;
const p66 = (x: string | Node): Node => pfx(u, x);
/** By EVEX.W: the D (W0) and Q (W1) forms of a 66-prefixed op. */
const dq = (n: string, args = 'Vx,Hx,Wx', tuple = ''): Node => p66(rexw(`${n}D ${args}${tuple}`, `${n}Q ${args}${tuple}`));
const bw = (n: string, args = 'Vx,Hx,Wx', tuple = ''): Node => p66(rexw(`${n}B ${args}${tuple}`, `${n}W ${args}${tuple}`));
const psd = (n: string, args = 'Vx,Hx,Wx'): Node => p66(rexw(`${n}PS ${args}`, `${n}PD ${args}`));
const i3 = (n: string): Node => p66(`${n} Vx,Hx,Wx`);
const fp4 = (n: string): Node => pfx(rexw(`${n}PS Vx,Hx,Wx`, u), rexw(u, `${n}PD Vx,Hx,Wx`), rexw(`${n}SS VX,HX,WX;s`, u), rexw(u, `${n}SD VX,HX,WX;s`));
const fp2 = (n: string): Node => pfx(rexw(`${n}PS Vx,Hx,Wx`, u), rexw(u, `${n}PD Vx,Hx,Wx`));
function each(names: Record<number, string>, f: (n: string) => Node): Record<number, Node> {
  const m: Record<number, Node> = {};
  for (const [k, n] of Object.entries(names)) m[Number(k)] = f(n);
  return m;
}

// biome-ignore format: an opcode table, laid out as the manuals group the opcodes
const MAP1 = lazyOpmap(() => ({
  0x10: pfx('VMOVUPS Vx,Wx', 'VMOVUPD Vx,Wx', mod('VMOVSS VX,M4;t4', 'VMOVSS VX,HX,UX'), mod('VMOVSD VX,M8;t8', 'VMOVSD VX,HX,UX')),
  0x11: pfx('VMOVUPS Wx,Vx', 'VMOVUPD Wx,Vx', mod('VMOVSS M4,VX;t4', 'VMOVSS UX,HX,VX'), mod('VMOVSD M8,VX;t8', 'VMOVSD UX,HX,VX')),
  0x14: fp2('VUNPCKL'),
  0x15: fp2('VUNPCKH'),
  0x28: pfx('VMOVAPS Vx,Wx', 'VMOVAPD Vx,Wx'),
  0x29: pfx('VMOVAPS Wx,Vx', 'VMOVAPD Wx,Vx'),
  0x2a: pfx(u, u, 'VCVTSI2SS VX,HX,Ey;s', 'VCVTSI2SD VX,HX,Ey;s'),
  0x2b: pfx('VMOVNTPS Mx,Vx', 'VMOVNTPD Mx,Vx'),
  0x2c: pfx(u, u, 'VCVTTSS2SI Gy,WX;t4', 'VCVTTSD2SI Gy,WX;t8'),
  0x2d: pfx(u, u, 'VCVTSS2SI Gy,WX;t4', 'VCVTSD2SI Gy,WX;t8'),
  0x2e: pfx('VUCOMISS VX,WX;t4', 'VUCOMISD VX,WX;t8'),
  0x2f: pfx('VCOMISS VX,WX;t4', 'VCOMISD VX,WX;t8'),
  0x51: pfx('VSQRTPS Vx,Wx', 'VSQRTPD Vx,Wx', 'VSQRTSS VX,HX,WX;s', 'VSQRTSD VX,HX,WX;s'),
  0x54: fp2('VAND'),
  0x55: fp2('VANDN'),
  0x56: fp2('VOR'),
  0x57: fp2('VXOR'),
  0x58: fp4('VADD'),
  0x59: fp4('VMUL'),
  0x5a: pfx('VCVTPS2PD Vx,Wh;hv', 'VCVTPD2PS Vh,Wx', 'VCVTSS2SD VX,HX,WX;t4', 'VCVTSD2SS VX,HX,WX;t8'),
  0x5b: pfx(rexw('VCVTDQ2PS Vx,Wx', 'VCVTQQ2PS Vh,Wx'), 'VCVTPS2DQ Vx,Wx', 'VCVTTPS2DQ Vx,Wx'),
  0x5c: fp4('VSUB'),
  0x5d: fp4('VMIN'),
  0x5e: fp4('VDIV'),
  0x5f: fp4('VMAX'),
  ...each({ 0x60: 'VPUNPCKLBW', 0x61: 'VPUNPCKLWD', 0x62: 'VPUNPCKLDQ', 0x63: 'VPACKSSWB', 0x67: 'VPACKUSWB', 0x68: 'VPUNPCKHBW',
    0x69: 'VPUNPCKHWD', 0x6a: 'VPUNPCKHDQ', 0x6b: 'VPACKSSDW', 0x6c: 'VPUNPCKLQDQ', 0x6d: 'VPUNPCKHQDQ', 0xd4: 'VPADDQ', 0xd5: 'VPMULLW',
    0xd8: 'VPSUBUSB', 0xd9: 'VPSUBUSW', 0xda: 'VPMINUB', 0xdc: 'VPADDUSB', 0xdd: 'VPADDUSW', 0xde: 'VPMAXUB', 0xe0: 'VPAVGB', 0xe3: 'VPAVGW',
    0xe4: 'VPMULHUW', 0xe5: 'VPMULHW', 0xe8: 'VPSUBSB', 0xe9: 'VPSUBSW', 0xea: 'VPMINSW', 0xec: 'VPADDSB', 0xed: 'VPADDSW', 0xee: 'VPMAXSW',
    0xf4: 'VPMULUDQ', 0xf5: 'VPMADDWD', 0xf6: 'VPSADBW', 0xf8: 'VPSUBB', 0xf9: 'VPSUBW', 0xfa: 'VPSUBD', 0xfb: 'VPSUBQ', 0xfc: 'VPADDB',
    0xfd: 'VPADDW', 0xfe: 'VPADDD' }, i3),
  ...each({ 0xd1: 'VPSRLW', 0xd2: 'VPSRLD', 0xd3: 'VPSRLQ', 0xe1: 'VPSRAW', 0xf1: 'VPSLLW', 0xf2: 'VPSLLD', 0xf3: 'VPSLLQ' },
    (n) => p66(`${n} Vx,Hx,WX;t16`)),
  0xe2: dq('VPSRA', 'Vx,Hx,WX', ';t16'),
  0x64: p66('VPCMPGTB KG,Hx,Wx'),
  0x65: p66('VPCMPGTW KG,Hx,Wx'),
  0x66: p66('VPCMPGTD KG,Hx,Wx'),
  0x74: p66('VPCMPEQB KG,Hx,Wx'),
  0x75: p66('VPCMPEQW KG,Hx,Wx'),
  0x76: p66('VPCMPEQD KG,Hx,Wx'),
  0x6e: p66(rexw('VMOVD VX,Ed;t4', 'VMOVQ VX,Eq;t8')),
  0x7e: pfx(u, rexw('VMOVD Ed,VX;t4', 'VMOVQ Eq,VX;t8'), 'VMOVQ VX,WX;t8'),
  0x6f: pfx(u, rexw('VMOVDQA32 Vx,Wx', 'VMOVDQA64 Vx,Wx'), rexw('VMOVDQU32 Vx,Wx', 'VMOVDQU64 Vx,Wx'), rexw('VMOVDQU8 Vx,Wx', 'VMOVDQU16 Vx,Wx')),
  0x7f: pfx(u, rexw('VMOVDQA32 Wx,Vx', 'VMOVDQA64 Wx,Vx'), rexw('VMOVDQU32 Wx,Vx', 'VMOVDQU64 Wx,Vx'), rexw('VMOVDQU8 Wx,Vx', 'VMOVDQU16 Wx,Vx')),
  0x70: pfx(u, 'VPSHUFD Vx,Wx,Ub', 'VPSHUFHW Vx,Wx,Ub', 'VPSHUFLW Vx,Wx,Ub'),
  0x71: p66(grp(u, u, 'VPSRLW Hx,Wx,Ub', u, 'VPSRAW Hx,Wx,Ub', u, 'VPSLLW Hx,Wx,Ub')),
  0x72: p66(grp(rexw('VPRORD Hx,Wx,Ub', 'VPRORQ Hx,Wx,Ub'), rexw('VPROLD Hx,Wx,Ub', 'VPROLQ Hx,Wx,Ub'), 'VPSRLD Hx,Wx,Ub', u,
    rexw('VPSRAD Hx,Wx,Ub', 'VPSRAQ Hx,Wx,Ub'), u, 'VPSLLD Hx,Wx,Ub')),
  0x73: p66(grp(u, u, 'VPSRLQ Hx,Wx,Ub', 'VPSRLDQ Hx,Wx,Ub', u, u, 'VPSLLQ Hx,Wx,Ub', 'VPSLLDQ Hx,Wx,Ub')),
  0xc2: pfx('VCMPPS KG,Hx,Wx,Ub', 'VCMPPD KG,Hx,Wx,Ub', 'VCMPSS KG,HX,WX,Ub;t4', 'VCMPSD KG,HX,WX,Ub;t8'),
  0xc4: p66('VPINSRW VX,HX,Ed/w,Ub;t2'),
  0xc5: p66('VPEXTRW Gd,UX,Ub'),
  0xc6: pfx('VSHUFPS Vx,Hx,Wx,Ub', 'VSHUFPD Vx,Hx,Wx,Ub'),
  0xd6: p66('VMOVQ WX,VX;t8'),
  0xdb: dq('VPAND'),
  0xdf: dq('VPANDN'),
  0xe6: pfx(u, 'VCVTTPD2DQ Vh,Wx', rexw('VCVTDQ2PD Vx,Wh;hv', 'VCVTQQ2PD Vx,Wx'), 'VCVTPD2DQ Vh,Wx'),
  0xe7: p66('VMOVNTDQ Mx,Vx'),
  0xeb: dq('VPOR'),
  0xef: dq('VPXOR'),
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
      if (n !== 'FMADDSUB' && n !== 'FMSUBADD') m[op + 1] = p66(rexw(`V${n}${order}SS VX,HX,WX;s`, `V${n}${order}SD VX,HX,WX;s`));
    }
  }
  return m;
}

/** 66: op; F3: a down-converting VPMOV (vector to narrower memory/register). */
const down = (op66: In, mov: string, tuple: string): Node => pfx(u, op66, `${mov} ${tuple === 'hv' ? 'Wh' : 'WX'},Vx;${tuple}`);

// biome-ignore format: an opcode table, laid out as the manuals group the opcodes
const MAP2 = lazyOpmap(() => ({
  ...each({ 0x00: 'VPSHUFB', 0x04: 'VPMADDUBSW', 0x0b: 'VPMULHRSW', 0x2b: 'VPACKUSDW', 0x38: 'VPMINSB', 0x3a: 'VPMINUW', 0x3c: 'VPMAXSB',
    0x3e: 'VPMAXUW', 0x50: 'VPDPBUSD', 0x51: 'VPDPBUSDS', 0x52: 'VPDPWSSD', 0x53: 'VPDPWSSDS', 0x83: 'VPMULTISHIFTQB', 0xcf: 'VGF2P8MULB',
    0xdc: 'VAESENC', 0xdd: 'VAESENCLAST', 0xde: 'VAESDEC', 0xdf: 'VAESDECLAST' }, i3),
  0x0c: p66('VPERMILPS Vx,Hx,Wx'),
  0x0d: p66('VPERMILPD Vx,Hx,Wx'),
  0x10: down(rexw(u, 'VPSRLVW Vx,Hx,Wx'), 'VPMOVUSWB', 'hv'),
  0x11: down(rexw(u, 'VPSRAVW Vx,Hx,Wx'), 'VPMOVUSDB', 'qv'),
  0x12: down(rexw(u, 'VPSLLVW Vx,Hx,Wx'), 'VPMOVUSQB', 'ov'),
  0x13: down('VCVTPH2PS Vx,Wh;hv', 'VPMOVUSDW', 'hv'),
  0x14: down(rexw('VPRORVD Vx,Hx,Wx', 'VPRORVQ Vx,Hx,Wx'), 'VPMOVUSQW', 'qv'),
  0x15: down(rexw('VPROLVD Vx,Hx,Wx', 'VPROLVQ Vx,Hx,Wx'), 'VPMOVUSQD', 'hv'),
  0x16: psd('VPERM'),
  0x18: p66('VBROADCASTSS Vx,WX;t4'),
  0x19: p66(rexw('VBROADCASTF32X2 Vx,WX;t8', 'VBROADCASTSD Vx,WX;t8')),
  0x1a: p66(rexw('VBROADCASTF32X4 Vx,M16;t16', 'VBROADCASTF64X2 Vx,M16;t16')),
  0x1b: p66(rexw('VBROADCASTF32X8 Vx,M32;t32', 'VBROADCASTF64X4 Vx,M32;t32')),
  0x1c: p66('VPABSB Vx,Wx'),
  0x1d: p66('VPABSW Vx,Wx'),
  0x1e: p66('VPABSD Vx,Wx'),
  0x1f: p66('VPABSQ Vx,Wx'),
  0x20: down('VPMOVSXBW Vx,Wh;hv', 'VPMOVSWB', 'hv'),
  0x21: down('VPMOVSXBD Vx,WX;qv', 'VPMOVSDB', 'qv'),
  0x22: down('VPMOVSXBQ Vx,WX;ov', 'VPMOVSQB', 'ov'),
  0x23: down('VPMOVSXWD Vx,Wh;hv', 'VPMOVSDW', 'hv'),
  0x24: down('VPMOVSXWQ Vx,WX;qv', 'VPMOVSQW', 'qv'),
  0x25: down('VPMOVSXDQ Vx,Wh;hv', 'VPMOVSQD', 'hv'),
  0x26: pfx(u, rexw('VPTESTMB KG,Hx,Wx', 'VPTESTMW KG,Hx,Wx'), rexw('VPTESTNMB KG,Hx,Wx', 'VPTESTNMW KG,Hx,Wx')),
  0x27: pfx(u, rexw('VPTESTMD KG,Hx,Wx', 'VPTESTMQ KG,Hx,Wx'), rexw('VPTESTNMD KG,Hx,Wx', 'VPTESTNMQ KG,Hx,Wx')),
  0x28: pfx(u, 'VPMULDQ Vx,Hx,Wx', rexw('VPMOVM2B Vx,KR', 'VPMOVM2W Vx,KR')),
  0x29: pfx(u, 'VPCMPEQQ KG,Hx,Wx', rexw('VPMOVB2M KG,Ux', 'VPMOVW2M KG,Ux')),
  0x2a: pfx(u, 'VMOVNTDQA Vx,Mx', 'VPBROADCASTMB2Q Vx,KR'),
  0x30: down('VPMOVZXBW Vx,Wh;hv', 'VPMOVWB', 'hv'),
  0x31: down('VPMOVZXBD Vx,WX;qv', 'VPMOVDB', 'qv'),
  0x32: down('VPMOVZXBQ Vx,WX;ov', 'VPMOVQB', 'ov'),
  0x33: down('VPMOVZXWD Vx,Wh;hv', 'VPMOVDW', 'hv'),
  0x34: down('VPMOVZXWQ Vx,WX;qv', 'VPMOVQW', 'qv'),
  0x35: down('VPMOVZXDQ Vx,Wh;hv', 'VPMOVQD', 'hv'),
  0x36: dq('VPERM'),
  0x37: p66('VPCMPGTQ KG,Hx,Wx'),
  0x39: pfx(u, rexw('VPMINSD Vx,Hx,Wx', 'VPMINSQ Vx,Hx,Wx'), rexw('VPMOVD2M KG,Ux', 'VPMOVQ2M KG,Ux')),
  0x3b: dq('VPMINU'),
  0x3d: dq('VPMAXS'),
  0x3f: dq('VPMAXU'),
  0x40: dq('VPMULL'),
  0x44: dq('VPLZCNT', 'Vx,Wx'),
  0x45: dq('VPSRLV'),
  0x46: dq('VPSRAV'),
  0x47: dq('VPSLLV'),
  0x4c: psd('VRCP14', 'Vx,Wx'),
  0x4e: psd('VRSQRT14', 'Vx,Wx'),
  0x54: bw('VPOPCNT', 'Vx,Wx'),
  0x55: dq('VPOPCNT', 'Vx,Wx'),
  0x58: p66('VPBROADCASTD Vx,WX;t4'),
  0x59: p66(rexw('VBROADCASTI32X2 Vx,WX;t8', 'VPBROADCASTQ Vx,WX;t8')),
  0x5a: p66(rexw('VBROADCASTI32X4 Vx,M16;t16', 'VBROADCASTI64X2 Vx,M16;t16')),
  0x5b: p66(rexw('VBROADCASTI32X8 Vx,M32;t32', 'VBROADCASTI64X4 Vx,M32;t32')),
  0x62: bw('VPEXPAND', 'Vx,Wx', ';s'),
  0x63: bw('VPCOMPRESS', 'Wx,Vx', ';s'),
  0x64: dq('VPBLENDM'),
  0x65: psd('VBLENDM'),
  0x66: bw('VPBLENDM'),
  0x70: p66(rexw(u, 'VPSHLDVW Vx,Hx,Wx')),
  0x71: dq('VPSHLDV'),
  0x72: p66(rexw(u, 'VPSHRDVW Vx,Hx,Wx')),
  0x73: dq('VPSHRDV'),
  0x75: bw('VPERMI2'),
  0x76: dq('VPERMI2'),
  0x77: psd('VPERMI2'),
  0x78: p66('VPBROADCASTB Vx,WX;t1'),
  0x79: p66('VPBROADCASTW Vx,WX;t2'),
  0x7a: p66('VPBROADCASTB Vx,Rd'),
  0x7b: p66('VPBROADCASTW Vx,Rd'),
  0x7c: p66(rexw('VPBROADCASTD Vx,Rd', 'VPBROADCASTQ Vx,Rq')),
  0x7d: bw('VPERMT2'),
  0x7e: dq('VPERMT2'),
  0x7f: psd('VPERMT2'),
  0x88: psd('VEXPAND', 'Vx,Wx;s'),
  0x89: dq('VPEXPAND', 'Vx,Wx', ';s'),
  0x8a: psd('VCOMPRESS', 'Wx,Vx;s'),
  0x8b: dq('VPCOMPRESS', 'Wx,Vx', ';s'),
  0x8d: bw('VPERM'),
  0x8f: p66(rexw('VPSHUFBITQMB KG,Hx,Wx', u)),
  ...fma(),
  0xc4: dq('VPCONFLICT', 'Vx,Wx'),
}));

// biome-ignore format: an opcode table, laid out as the manuals group the opcodes
const MAP3 = lazyOpmap(() => ({
  0x00: p66(rexw(u, 'VPERMQ Vx,Wx,Ub')),
  0x01: p66(rexw(u, 'VPERMPD Vx,Wx,Ub')),
  0x03: dq('VALIGN', 'Vx,Hx,Wx,Ub'),
  0x04: p66(rexw('VPERMILPS Vx,Wx,Ub', u)),
  0x05: p66(rexw(u, 'VPERMILPD Vx,Wx,Ub')),
  0x08: p66(rexw('VRNDSCALEPS Vx,Wx,Ub', u)),
  0x09: p66(rexw(u, 'VRNDSCALEPD Vx,Wx,Ub')),
  0x0a: p66(rexw('VRNDSCALESS VX,HX,WX,Ub;t4', u)),
  0x0b: p66(rexw(u, 'VRNDSCALESD VX,HX,WX,Ub;t8')),
  0x0f: p66('VPALIGNR Vx,Hx,Wx,Ub'),
  0x14: p66('VPEXTRB Ed/b,VX,Ub;t1'),
  0x15: p66('VPEXTRW Ed/w,VX,Ub;t2'),
  0x16: p66(rexw('VPEXTRD Ed,VX,Ub;t4', 'VPEXTRQ Eq,VX,Ub;t8')),
  0x17: p66('VEXTRACTPS Ed,VX,Ub;t4'),
  0x18: p66(rexw('VINSERTF32X4 Vx,Hx,WX,Ub;t16', 'VINSERTF64X2 Vx,Hx,WX,Ub;t16')),
  0x19: p66(rexw('VEXTRACTF32X4 WX,Vx,Ub;t16', 'VEXTRACTF64X2 WX,Vx,Ub;t16')),
  0x1a: p66(rexw('VINSERTF32X8 Vx,Hx,WY,Ub;t32', 'VINSERTF64X4 Vx,Hx,WY,Ub;t32')),
  0x1b: p66(rexw('VEXTRACTF32X8 WY,Vx,Ub;t32', 'VEXTRACTF64X4 WY,Vx,Ub;t32')),
  0x1e: dq('VPCMPU', 'KG,Hx,Wx,Ub'),
  0x1f: dq('VPCMP', 'KG,Hx,Wx,Ub'),
  0x20: p66('VPINSRB VX,HX,Ed/b,Ub;t1'),
  0x21: p66('VINSERTPS VX,HX,WX,Ub;t4'),
  0x22: p66(rexw('VPINSRD VX,HX,Ed,Ub;t4', 'VPINSRQ VX,HX,Eq,Ub;t8')),
  0x23: p66(rexw('VSHUFF32X4 Vx,Hx,Wx,Ub', 'VSHUFF64X2 Vx,Hx,Wx,Ub')),
  0x25: dq('VPTERNLOG', 'Vx,Hx,Wx,Ub'),
  0x38: p66(rexw('VINSERTI32X4 Vx,Hx,WX,Ub;t16', 'VINSERTI64X2 Vx,Hx,WX,Ub;t16')),
  0x39: p66(rexw('VEXTRACTI32X4 WX,Vx,Ub;t16', 'VEXTRACTI64X2 WX,Vx,Ub;t16')),
  0x3a: p66(rexw('VINSERTI32X8 Vx,Hx,WY,Ub;t32', 'VINSERTI64X4 Vx,Hx,WY,Ub;t32')),
  0x3b: p66(rexw('VEXTRACTI32X8 WY,Vx,Ub;t32', 'VEXTRACTI64X4 WY,Vx,Ub;t32')),
  0x3e: bw('VPCMPU', 'KG,Hx,Wx,Ub'),
  0x3f: bw('VPCMP', 'KG,Hx,Wx,Ub'),
  0x42: p66('VDBPSADBW Vx,Hx,Wx,Ub'),
  0x43: p66(rexw('VSHUFI32X4 Vx,Hx,Wx,Ub', 'VSHUFI64X2 Vx,Hx,Wx,Ub')),
  0x44: p66('VPCLMULQDQ Vx,Hx,Wx,Ub'),
  0x70: p66(rexw(u, 'VPSHLDW Vx,Hx,Wx,Ub')),
  0x71: dq('VPSHLD', 'Vx,Hx,Wx,Ub'),
  0x72: p66(rexw(u, 'VPSHRDW Vx,Hx,Wx,Ub')),
  0x73: dq('VPSHRD', 'Vx,Hx,Wx,Ub'),
  0xce: p66(rexw(u, 'VGF2P8AFFINEQB Vx,Hx,Wx,Ub')),
  0xcf: p66(rexw(u, 'VGF2P8AFFINEINVQB Vx,Hx,Wx,Ub')),
}));

const MAPS = [undefined, MAP1, MAP2, MAP3];

/** The EVEX opcode map EVEX.mmm selects (undefined for a reserved one). */
export const evexMap = (mmm: number): readonly Node[] | undefined => MAPS[mmm]?.();
