/**
 * Walking the opcode table tree to the leaf for one instruction: each branch
 * selects on a ModRM field, REX.W, operand or address size, VEX.L or the
 * mandatory prefix.
 */
import { Enc } from './decoded.js';
import { INVALID, type State } from './decoderState.js';
import { type Branch, isLeaf, type Leaf, type Node, Sel } from './opcodeTable.js';

/** Walks a table tree to its leaf; reads ModRM as the tree needs it. */
export function walk(st: State, node: Node): Leaf {
  for (;;) {
    if (node === undefined) throw INVALID;
    if (isLeaf(node)) return node;
    const br = node as Branch;
    switch (br.sel) {
      case Sel.Reg:
        st.readModrm();
        node = br.c[(st.modrm >> 3) & 7];
        break;
      case Sel.Mod:
        st.readModrm();
        node = br.c[st.mod === 3 ? 1 : 0];
        break;
      case Sel.Rm:
        st.readModrm();
        node = br.c[st.rm];
        break;
      case Sel.W:
        node = br.c[st.rexW];
        break;
      case Sel.Osz:
        node = br.c[st.dataSize === 16 ? 0 : st.dataSize === 32 ? 1 : 2];
        break;
      case Sel.Asz:
        node = br.c[st.addr64 ? 1 : 0];
        break;
      case Sel.L:
        node = br.c[st.vl];
        break;
      case Sel.Pfx:
        node = selectPrefix(st, br);
        break;
    }
  }
}

/**
 * Mandatory prefix selection. Vector encodings carry it in pp. For legacy
 * encodings, x86asm's rules: the last F2/F3 wins when the table has a form
 * for it; an F2/F3 without a form of its own makes a 66 form invalid;
 * otherwise the 66 form, otherwise the prefix-less one.
 */
function selectPrefix(st: State, br: Branch): Node {
  if (st.enc !== Enc.Legacy) return br.c[st.pp === 0 ? 0 : st.pp === 1 ? 1 : st.pp === 2 ? 2 : 3];
  if (st.lastRep >= 0) {
    const n = st.pre[st.lastRep] === 0xf3 ? br.c[2] : br.c[3];
    if (n !== undefined) {
      st.mandatory = st.lastRep;
      return n;
    }
    if (br.c[1] !== undefined) throw INVALID;
    return br.c[0];
  }
  if (st.has66 && br.c[1] !== undefined) return br.c[1];
  return br.c[0];
}
