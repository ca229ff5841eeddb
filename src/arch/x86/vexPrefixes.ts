/** The VEX (C4/C5) and EVEX (62) prefixes: their fields, and the opcode map they select. */
import { Enc } from './decoded.js';
import { INVALID, type State } from './decoderState.js';
import { evexMap } from './evexMaps.js';
import type { Node } from './opcodeTable.js';
import { vexMap } from './vexMaps.js';

export function readVex(st: State, c: number): readonly Node[] {
  st.enc = Enc.Vex;
  const b1 = st.byte();
  let map = 1;
  if (c === 0xc5) {
    st.rex = 0x40 | (b1 & 0x80 ? 0 : 4);
    st.vvvv = (~b1 >> 3) & 15;
    st.vl = (b1 >> 2) & 1;
    st.pp = b1 & 3;
  } else {
    const b2 = st.byte();
    st.rex = 0x40 | (b1 & 0x80 ? 0 : 4) | (b1 & 0x40 ? 0 : 2) | (b1 & 0x20 ? 0 : 1) | (b2 & 0x80 ? 8 : 0);
    map = b1 & 0x1f;
    st.vw = b2 >> 7;
    st.vvvv = (~b2 >> 3) & 15;
    st.vl = (b2 >> 2) & 1;
    st.pp = b2 & 3;
  }
  st.dataSize = st.vw ? 64 : 32;
  const t = vexMap(map);
  if (!t) throw INVALID;
  return t;
}

export function readEvex(st: State): readonly Node[] {
  st.enc = Enc.Evex;
  const p0 = st.byte();
  const p1 = st.byte();
  const p2 = st.byte();
  if ((p1 & 4) === 0) throw INVALID; // APX/reserved
  st.rex = 0x40 | (p0 & 0x80 ? 0 : 4) | (p0 & 0x40 ? 0 : 2) | (p0 & 0x20 ? 0 : 1) | (p1 & 0x80 ? 8 : 0);
  st.evexRp = p0 & 0x10 ? 0 : 1;
  st.evexX = p0 & 0x40 ? 0 : 1;
  st.vw = p1 >> 7;
  st.vvvv = (~p1 >> 3) & 15;
  st.pp = p1 & 3;
  st.z = (p2 & 0x80) !== 0;
  st.vl = (p2 >> 5) & 3;
  st.bbit = (p2 & 0x10) !== 0;
  st.evexVp = p2 & 8 ? 0 : 1;
  st.mask = p2 & 7;
  st.dataSize = st.vw ? 64 : 32;
  const map = p0 & 7;
  const t = evexMap(map);
  if (!t) throw INVALID;
  return t;
}
