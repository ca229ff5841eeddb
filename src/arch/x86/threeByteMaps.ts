/**
 * The legacy three-byte opcode maps 0F 38 xx and 0F 3A xx (SSSE3, SSE4,
 * AES, PCLMULQDQ, SHA, CRC32, MOVBE, ADX). Everything in 0F 3A takes an
 * imm8. Mnemonics follow golang.org/x/arch/x86/x86asm where it knows them.
 */
import { type Node, grp, lazyOpmap, mod, pfx, rexw } from './opcodeTable.js';

const u = undefined;

const ms = (name: string): Node => pfx(`${name} P,Q8`, `${name} V,W16`);
const sse66 = (name: string, src = 'W16'): Node => pfx(u, `${name} V,${src}`);

function many(names: Record<number, string>, f: (n: string) => Node): Record<number, Node> {
  const m: Record<number, Node> = {};
  for (const [k, n] of Object.entries(names)) m[Number(k)] = f(n);
  return m;
}

// biome-ignore format: an opcode table, laid out as the manuals group the opcodes
export const map0F38 = lazyOpmap(() => ({
  ...many({ 0x00: 'PSHUFB', 0x01: 'PHADDW', 0x02: 'PHADDD', 0x03: 'PHADDSW', 0x04: 'PMADDUBSW', 0x05: 'PHSUBW', 0x06: 'PHSUBD', 0x07: 'PHSUBSW',
    0x08: 'PSIGNB', 0x09: 'PSIGNW', 0x0a: 'PSIGND', 0x0b: 'PMULHRSW', 0x1c: 'PABSB', 0x1d: 'PABSW', 0x1e: 'PABSD' }, ms),
  0x10: pfx(u, 'PBLENDVB V,W16,X0'),
  0x14: pfx(u, 'BLENDVPS V,W16,X0'),
  0x15: pfx(u, 'BLENDVPD V,W16,X0'),
  0x17: sse66('PTEST'),
  0x20: sse66('PMOVSXBW', 'W8'),
  0x21: sse66('PMOVSXBD', 'W4'),
  0x22: sse66('PMOVSXBQ', 'W2'),
  0x23: sse66('PMOVSXWD', 'W8'),
  0x24: sse66('PMOVSXWQ', 'W4'),
  0x25: sse66('PMOVSXDQ', 'W8'),
  0x28: sse66('PMULDQ'),
  0x29: sse66('PCMPEQQ'),
  0x2a: sse66('MOVNTDQA', 'M16'),
  0x2b: sse66('PACKUSDW'),
  0x30: sse66('PMOVZXBW', 'W8'),
  0x31: sse66('PMOVZXBD', 'W4'),
  0x32: sse66('PMOVZXBQ', 'W2'),
  0x33: sse66('PMOVZXWD', 'W8'),
  0x34: sse66('PMOVZXWQ', 'W4'),
  0x35: sse66('PMOVZXDQ', 'W8'),
  ...many({ 0x37: 'PCMPGTQ', 0x38: 'PMINSB', 0x39: 'PMINSD', 0x3a: 'PMINUW', 0x3b: 'PMINUD', 0x3c: 'PMAXSB', 0x3d: 'PMAXSD',
    0x3e: 'PMAXUW', 0x3f: 'PMAXUD', 0x40: 'PMULLD', 0x41: 'PHMINPOSUW', 0xcf: 'GF2P8MULB', 0xdb: 'AESIMC' }, (n) => sse66(n)),
  // AES, and the Key Locker forms with F3.
  0xd8: pfx(u, u, mod(grp('AESENCWIDE128KL M', 'AESDECWIDE128KL M', 'AESENCWIDE256KL M', 'AESDECWIDE256KL M'), u)),
  0xdc: pfx(u, 'AESENC V,W16', mod('AESENC128KL V,M', 'LOADIWKEY V,U')),
  0xdd: pfx(u, 'AESENCLAST V,W16', mod('AESDEC128KL V,M', u)),
  0xde: pfx(u, 'AESDEC V,W16', mod('AESENC256KL V,M', u)),
  0xdf: pfx(u, 'AESDECLAST V,W16', mod('AESDEC256KL V,M', u)),
  0xf5: pfx(u, mod('WRUSS My,Gy', u)),
  0x80: pfx(u, 'INVEPT Gq,M16'),
  0x81: pfx(u, 'INVVPID Gq,M16'),
  0x82: pfx(u, 'INVPCID Gq,M16'),
  0xc8: pfx('SHA1NEXTE V,W16'),
  0xc9: pfx('SHA1MSG1 V,W16'),
  0xca: pfx('SHA1MSG2 V,W16'),
  0xcb: pfx('SHA256RNDS2 V,W16,X0'),
  0xcc: pfx('SHA256MSG1 V,W16'),
  0xcd: pfx('SHA256MSG2 V,W16'),
  0xf0: pfx('MOVBE Gv,Mv', u, u, 'CRC32 Gy,Eb'),
  0xf1: pfx('MOVBE Mv,Gv', u, u, 'CRC32 Gy,Ev'),
  0xf6: pfx(mod('WRSS My,Gy', u), 'ADCX Gy,Ey', 'ADOX Gy,Ey'),
  0xf8: pfx(u, 'MOVDIR64B Gv,M', 'ENQCMDS Gv,M', 'ENQCMD Gv,M'),
  0xf9: pfx('MOVDIRI My,Gy'),
  0xfa: pfx(u, u, mod(u, 'ENCODEKEY128 Gd,Rd')),
  0xfb: pfx(u, u, mod(u, 'ENCODEKEY256 Gd,Rd')),
  0xfc: pfx(mod('AADD My,Gy', u), mod('AAND My,Gy', u), mod('AXOR My,Gy', u), mod('AOR My,Gy', u)),
}));

// biome-ignore format: an opcode table, laid out as the manuals group the opcodes
export const map0F3A = lazyOpmap(() => ({
  0x08: sse66('ROUNDPS', 'W16,Ub'),
  0x09: sse66('ROUNDPD', 'W16,Ub'),
  0x0a: sse66('ROUNDSS', 'W4,Ub'),
  0x0b: sse66('ROUNDSD', 'W8,Ub'),
  0x0c: sse66('BLENDPS', 'W16,Ub'),
  0x0d: sse66('BLENDPD', 'W16,Ub'),
  0x0e: sse66('PBLENDW', 'W16,Ub'),
  0x0f: pfx('PALIGNR P,Q8,Ub', 'PALIGNR V,W16,Ub'),
  0x14: pfx(u, 'PEXTRB Ed/b,V,Ub'),
  0x15: pfx(u, 'PEXTRW Ed/w,V,Ub'),
  0x16: pfx(u, rexw('PEXTRD Ed,V,Ub', 'PEXTRQ Eq,V,Ub')),
  0x17: pfx(u, 'EXTRACTPS Ed,V,Ub'),
  0x20: pfx(u, 'PINSRB V,Ed/b,Ub'),
  0x21: sse66('INSERTPS', 'W4,Ub'),
  0x22: pfx(u, rexw('PINSRD V,Ed,Ub', 'PINSRQ V,Eq,Ub')),
  0x40: sse66('DPPS', 'W16,Ub'),
  0x41: sse66('DPPD', 'W16,Ub'),
  0x42: sse66('MPSADBW', 'W16,Ub'),
  0x44: sse66('PCLMULQDQ', 'W16,Ub'),
  0x60: sse66('PCMPESTRM', 'W16,Ub'),
  0x61: sse66('PCMPESTRI', 'W16,Ub'),
  0x62: sse66('PCMPISTRM', 'W16,Ub'),
  0x63: sse66('PCMPISTRI', 'W16,Ub'),
  0xcc: pfx('SHA1RNDS4 V,W16,Ub'),
  0xce: sse66('GF2P8AFFINEQB', 'W16,Ub'),
  0xcf: sse66('GF2P8AFFINEINVQB', 'W16,Ub'),
  0xdf: sse66('AESKEYGENASSIST', 'W16,Ub'),
}));
