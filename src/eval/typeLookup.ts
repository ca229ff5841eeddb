/**
 * Types named in expressions: predeclared names, `T` of the frame's package,
 * `pkg.T` where pkg is a package's name (the last element of its path:
 * `maps.Map` is `internal/runtime/maps.Map` since Go 1.24, `hpack.Encoder`
 * a vendored `vendor/golang.org/x/net/http2/hpack.Encoder`) or its whole
 * path, and type literals built from them (`*T`, `[]T`, `[N]T`, `map[K]V`).
 * DWARF holds only the types the linker kept; pointer, slice and array types
 * of a known element are synthesized when absent.
 */
import type { Dwarf } from '../dwarf/dwarf.js';
import type { GoType } from '../dwarf/goTypes.js';
import { typeString, type Expr, type TypeExpr } from './ast.js';
import { EvalError } from './errors.js';
import { basicType, isBasicName, pointerTo } from './results.js';

const packageIndexes = new WeakMap<Dwarf, Map<string, string[]>>();

/** Package paths of the program by package name (last path element), from its compile units. */
function packageIndex(dw: Dwarf): Map<string, string[]> {
  let idx = packageIndexes.get(dw);
  if (!idx) {
    idx = new Map();
    for (const cu of dw.compileUnits()) {
      const short = cu.name.slice(cu.name.lastIndexOf('/') + 1);
      const l = idx.get(short) ?? [];
      if (!l.includes(cu.name)) l.push(cu.name);
      idx.set(short, l);
    }
    packageIndexes.set(dw, idx);
  }
  return idx;
}

/** The package paths `name` can mean in `pkg.X`: itself when it is a whole path, else the packages of that name. */
export function packagePaths(dw: Dwarf, name: string): string[] {
  const idx = packageIndex(dw);
  const short = name.slice(name.lastIndexOf('/') + 1);
  const l = idx.get(short) ?? [];
  return l.includes(name) ? [name] : name.includes('/') ? [] : l;
}

/** Whether `name` is the name (or path) of a package of the program. */
export function isPackage(dw: Dwarf, name: string): boolean {
  return packagePaths(dw, name).length > 0;
}

/** A type by its name as written: `int`, `T` (frame's package), `pkg.T`, `path/pkg.T`, `Pair[int,string]`. */
export function namedType(dw: Dwarf, pkg: string | undefined, name: string): GoType | undefined {
  if (name === 'error') return dw.typeByName('error');
  if (isBasicName(name)) return basicType(dw, name) ?? dw.typeByName(name === 'any' ? 'interface {}' : name);
  const br = name.indexOf('[');
  const head = br < 0 ? name : name.slice(0, br);
  const dot = head.lastIndexOf('.');
  if (dot < 0) return dw.typeByName(`${pkg ?? 'main'}.${name}`) ?? dw.typeByName(name) ?? (br < 0 ? localType(dw, pkg ?? 'main', name) : undefined);
  const exact = dw.typeByName(name);
  if (exact) return exact;
  const paths = packagePaths(dw, head.slice(0, dot));
  const found = paths.map((p) => dw.typeByName(`${p}${name.slice(dot)}`)).filter((t): t is GoType => !!t);
  if (found.length > 1) throw new EvalError(`${name} is ambiguous: ${found.map((t) => t.name).join(', ')}`);
  return found[0];
}

/** The names of each binary's function-local types (`pkg.result·N`), by the name without the suffix. */
const localTypeNames = new WeakMap<Dwarf, Map<string, string[]>>();

function localTypeIndex(dw: Dwarf): Map<string, string[]> {
  let index = localTypeNames.get(dw);
  if (index) return index;
  index = new Map();
  for (const full of dw.typeNames()) {
    const mark = full.lastIndexOf('·');
    if (mark < 0 || !/^\d+$/.test(full.slice(mark + 1))) continue;
    const key = full.slice(0, mark);
    const names = index.get(key);
    if (names) names.push(full);
    else index.set(key, [full]);
  }
  localTypeNames.set(dw, index);
  return index;
}

/**
 * A type declared inside a function (`type result struct{…}` in its body):
 * Go names it `pkg.result·N`, N counting the package's local types, and
 * DWARF does not say which function declares it. The one such type of that
 * name; two (declared in two functions) are ambiguous, said so.
 */
function localType(dw: Dwarf, pkg: string, name: string): GoType | undefined {
  const found = (localTypeIndex(dw).get(`${pkg}.${name}`) ?? []).map((n) => dw.typeByName(n)).filter((t): t is GoType => !!t);
  if (found.length > 1) throw new EvalError(`${name} is ambiguous: ${found.map((t) => t.name).join(', ')} (types declared in different functions)`);
  return found[0];
}

/** The binary's `[]elem` type, else a synthesized one. */
export function sliceOf(dw: Dwarf, elem: GoType): GoType {
  return (
    dw.typeByName(`[]${elem.name}`) ?? {
      kind: 'slice',
      name: `[]${elem.name}`,
      size: 24,
      offset: -1,
      goKind: 23,
      runtimeType: 0,
      fields: [],
      elemOffset: elem.offset,
      elem,
    }
  );
}

/** The binary's `[n]elem` type, else a synthesized one. */
export function arrayOf(dw: Dwarf, elem: GoType, n: number): GoType {
  return (
    dw.typeByName(`[${n}]${elem.name}`) ?? {
      kind: 'array',
      name: `[${n}]${elem.name}`,
      size: n * elem.size,
      offset: -1,
      goKind: 17,
      runtimeType: 0,
      count: n,
      elemOffset: elem.offset,
      elem,
    }
  );
}

/**
 * The type a type expression denotes. `text` is its source (for messages);
 * `[...]T` (length -1) resolves to its element type's array of `arrayLen`.
 */
export function resolveType(dw: Dwarf, pkg: string | undefined, t: TypeExpr, text: (t: TypeExpr) => string, arrayLen?: number): GoType {
  const missing = () => new EvalError(`undefined: ${text(t)} (no such type in the program; the linker keeps only the types it uses)`, t.pos);
  switch (t.k) {
    case 'typeName': {
      const found = namedType(dw, pkg, t.name);
      if (!found) throw missing();
      return found;
    }
    case 'pointerType':
      return pointerTo(dw, resolveType(dw, pkg, t.elem, text));
    case 'sliceType':
      return sliceOf(dw, resolveType(dw, pkg, t.elem, text));
    case 'arrayType': {
      const n = t.len < 0n ? arrayLen : Number(t.len);
      if (n === undefined) throw new EvalError(`invalid use of [...] array (outside a composite literal)`, t.pos);
      return arrayOf(dw, resolveType(dw, pkg, t.elem, text), n);
    }
    case 'mapType': {
      const k = resolveType(dw, pkg, t.key, text);
      const v = resolveType(dw, pkg, t.elem, text);
      const found = dw.typeByName(`map[${k.name}]${v.name}`);
      if (!found) throw new EvalError(`no type map[${k.name}]${v.name} in the program (the linker keeps only the types it uses)`, t.pos);
      return found;
    }
    default: {
      const found = dw.typeByName(typeString(t));
      if (!found) throw missing();
      return found;
    }
  }
}

/**
 * `T[A]` in an expression (`Box[int](v)`, `(*Box[int])(p)`): the instantiated
 * generic type when x names a type, not a value; `argText` is A as written.
 */
export function instanceType(dw: Dwarf, pkg: string | undefined, x: Expr, argText: string, isVariable: (name: string) => boolean): GoType | undefined {
  let base: string | undefined;
  if (x.k === 'ident' && !isVariable(x.name)) base = x.name;
  else if (x.k === 'selector' && x.x.k === 'ident' && !isVariable(x.x.name)) base = `${x.x.name}.${x.name}`;
  return base === undefined ? undefined : namedType(dw, pkg, `${base}[${argText.replace(/\s+/g, '')}]`);
}
