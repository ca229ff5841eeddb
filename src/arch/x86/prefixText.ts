/** How x86asm (and so `go tool objdump`) shows the legacy prefixes an instruction did not consume. */
import type { State } from './decoderState.js';

const BRANCH_HINT_OPS = new Set([
  'JO',
  'JNO',
  'JB',
  'JAE',
  'JE',
  'JNE',
  'JBE',
  'JA',
  'JS',
  'JNS',
  'JP',
  'JNP',
  'JL',
  'JGE',
  'JLE',
  'JG',
  'LOOP',
  'LOOPE',
  'LOOPNE',
  'JCXZ',
  'JECXZ',
  'JRCXZ',
]);

/** x86asm's prefix display: one repeat text plus the last prefix it did not absorb. */
export function prefixText(st: State, name: string): { rep: string; prefix: string } {
  let rep = '';
  let last = -1;
  // x86asm hides the segment prefix that a memory operand shows (judging by ModRM.mod even where the CPU ignores it).
  const segImplicit = st.usedSeg || (st.haveModrm && st.modrm >> 6 !== 3);
  let hint = -1;
  if (BRANCH_HINT_OPS.has(name)) {
    for (let i = st.pre.length - 1; i >= 0; i--)
      if (st.pre[i] === 0x2e || st.pre[i] === 0x3e) {
        hint = i;
        break;
      }
  }
  for (let i = 0; i < st.pre.length; i++) {
    const p = st.pre[i]!;
    if (p === 0xf2 || p === 0xf3) {
      if (i !== st.mandatory) rep = p === 0xf3 ? 'REP; ' : 'REPNE; ';
      continue;
    }
    if (i === st.segIdx && segImplicit) continue;
    if (p === 0xf0 && st.lockUsed) continue;
    last = i;
  }
  let prefix = '';
  if (last >= 0) {
    switch (st.pre[last]) {
      case 0xf0:
        prefix = 'LOCK ';
        break;
      case 0x26:
        prefix = 'ES ';
        break;
      case 0x2e:
        prefix = last === hint ? 'PN ' : 'CS ';
        break;
      case 0x36:
        prefix = 'SS ';
        break;
      case 0x3e:
        prefix = last === hint ? 'PT ' : 'DS ';
        break;
      case 0x64:
        prefix = 'FS ';
        break;
      case 0x65:
        prefix = 'GS ';
        break;
    }
  }
  return { rep, prefix };
}
