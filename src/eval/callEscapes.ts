/**
 * Pointers into a goroutine's stack must not reach a called function. The
 * call runs on a new goroutine (runtime.debugCallWrap), and Go's compiler
 * lets a pointer to the stack exist only where its escape analysis proved it
 * never outlives the frame; a function the program never called with such a
 * pointer may store it in the heap, where it dangles once the stack moves
 * and the garbage collector may end the program on it ("found bad pointer in
 * Go heap"). The DWARF does not say which parameters escape, so, as Delve
 * does, every argument is refused that holds a pointer into a stack:
 * `&local`, a method's automatic `&v` of a local, a slice whose array the
 * compiler kept on the stack.
 */
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { u64 } from '../values/valueReader.js';

const MAX_ELEMS = 4096;

/** The first pointer word of a value of type t (its bytes) for which `onStack` holds, with the path to it ("", ".f", "[2]"). */
export function stackPointerIn(t: GoType, bytes: Uint8Array, onStack: (addr: number) => boolean): string | undefined {
  return walk(t, bytes, 0, '', onStack, 0);
}

function walk(t: GoType, b: Uint8Array, off: number, path: string, onStack: (addr: number) => boolean, depth: number): string | undefined {
  if (depth > 16) return undefined;
  const u = underlying(t);
  const word = (at: number): string | undefined => {
    if (at + 8 > b.length) return undefined;
    const p = Number(u64(b, at));
    return p !== 0 && onStack(p) ? path : undefined;
  };
  switch (u.kind) {
    case 'pointer':
    case 'unsafePointer':
    case 'map':
    case 'chan':
    case 'func':
    case 'string':
    case 'slice':
      return word(off);
    case 'interface':
      // The data word: a value the compiler boxed on the stack, or a pointer held directly.
      return word(off + 8);
    case 'struct':
      for (const f of u.fields) {
        const hit = walk(f.type, b, off + f.offset, `${path}.${f.name}`, onStack, depth + 1);
        if (hit !== undefined) return hit;
      }
      return undefined;
    case 'array':
      for (let i = 0; i < Math.min(u.count, MAX_ELEMS) && u.elem.size > 0; i++) {
        const hit = walk(u.elem, b, off + i * u.elem.size, `${path}[${i}]`, onStack, depth + 1);
        if (hit !== undefined) return hit;
      }
      return undefined;
    default:
      return undefined;
  }
}
