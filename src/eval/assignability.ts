/**
 * Go's type identity and assignability (the spec's "Type identity" and
 * "Assignability") over DWARF types. Go's DWARF names every type by its Go
 * spelling: a defined type by its package-qualified name ("main.Celsius"), a
 * type literal by its literal ("[]int", "map[string]main.Item",
 * "struct { X int }"), so two named types are identical when their names are;
 * unnamed ones are compared by structure.
 */
import { underlying, type GoType } from '../dwarf/goTypes.js';

/** Named: predeclared or defined (`int`, `error`, `main.Item`); unnamed: a type literal (`*T`, `[]T`, `struct {…}`, …). */
export function isNamed(t: GoType): boolean {
  const n = t.name;
  if (!n) return false;
  return !/^(\*|\[|map\[|chan[ <]|<-chan|func\(|struct[ {]|interface[ {])/.test(n);
}

/** Type identity: the same defined type, or type literals of identical structure. */
export function identical(a: GoType, b: GoType, depth = 0): boolean {
  if (a === b) return true;
  const an = isNamed(a);
  if (an !== isNamed(b)) return false;
  if (an) return a.name === b.name;
  if (a.name && a.name === b.name) return true;
  return identicalStructure(underlying(a), underlying(b), depth);
}

/** Whether two underlying types are the same type literal. */
function identicalStructure(a: GoType, b: GoType, depth: number): boolean {
  if (depth > 16) return false;
  const d = depth + 1;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'pointer':
    case 'slice':
      return identical(a.elem, (b as typeof a).elem, d);
    case 'array':
      return a.count === (b as typeof a).count && identical(a.elem, (b as typeof a).elem, d);
    case 'map':
      return identical(a.key, (b as typeof a).key, d) && identical(a.elem, (b as typeof a).elem, d);
    case 'chan':
      return a.dir === (b as typeof a).dir && identical(a.elem, (b as typeof a).elem, d);
    case 'struct': {
      const bf = (b as typeof a).fields;
      return (
        a.fields.length === bf.length &&
        a.fields.every((f, i) => f.name === bf[i]!.name && f.embedded === bf[i]!.embedded && f.offset === bf[i]!.offset && identical(f.type, bf[i]!.type, d))
      );
    }
    case 'func': {
      const bb = b as typeof a;
      return (
        a.variadic === bb.variadic &&
        a.params.length === bb.params.length &&
        a.results.length === bb.results.length &&
        a.params.every((p, i) => identical(p, bb.params[i]!, d)) &&
        a.results.every((p, i) => identical(p, bb.results[i]!, d))
      );
    }
    case 'interface':
      // DWARF does not list an interface's methods: only the empty interface is known by structure.
      return a.empty && (b as typeof a).empty && a.name === b.name;
    default:
      // Basic types: the same predeclared type underneath.
      return a.name === b.name && a.size === b.size;
  }
}

/**
 * Whether a value of type `v` may be assigned to a variable of type `t`
 * (spec rules 1–3; the interface rule is the caller's, as it needs the
 * program's type descriptors; constants and nil are checked by their own rules).
 */
export function assignable(v: GoType, t: GoType): boolean {
  if (identical(v, t)) return true;
  const uv = underlying(v);
  const ut = underlying(t);
  if (isNamed(v) && isNamed(t)) return false;
  if (uv.kind === 'chan' && ut.kind === 'chan' && uv.dir === 'both') return identical(uv.elem, ut.elem);
  // A named struct's DWARF type is the struct itself; its underlying literal is compared field by field.
  return identicalStructure(uv, ut, 0);
}
