/**
 * Completions in the debug console: what a name typed at the cursor may be,
 * at a frame. At the top level: the frame's arguments and locals, its
 * package's globals, functions and types, package names, Go's builtins and
 * predeclared types. After `pkg.`: the package's exported functions, types and
 * globals. After `x.`: the fields and methods of x's type, through a pointer
 * and through embedded fields (the shallower one wins, as in Go); of an
 * interface type, its methods (read from its runtime type descriptor).
 *
 * Names come from DWARF (variables, fields) and the function table (functions,
 * methods); nothing is read from memory but the operand of a selector.
 */
import type { Dwarf } from '../../dwarf/dwarf.js';
import { underlying, type GoType } from '../../dwarf/goTypes.js';
import { packageOf } from '../../eval/evaluator.js';
import { interfaceMethods } from '../../eval/methodSets.js';
import { typeName } from '../../values/format.js';
import { frameScope } from '../../values/locations.js';
import { warmTypes } from './warmUp.js';
import type { Program } from '../program.js';
import { frameInfo } from '../stack/frames.js';
import { completionSite } from './completionText.js';
import type { FrameRef, Inspector } from './inspector.js';
import { elideTypeArgs } from '../../binary/funcTable.js';
import { isIdent, programNames, type ProgramNames } from './programNames.js';

export type CompletionKind = 'variable' | 'field' | 'function' | 'method' | 'module' | 'keyword' | 'class' | 'value';

export interface Completion {
  label: string;
  kind: CompletionKind;
  /** The Go type of a variable or field. */
  detail?: string;
}

/** The completions at a cursor, and the part of the text they replace (the word before the cursor). */
export interface CompletionAnswer {
  start: number;
  length: number;
  items: Completion[];
}

const BUILTIN_FUNCS = [
  'append',
  'cap',
  'clear',
  'close',
  'complex',
  'copy',
  'delete',
  'imag',
  'len',
  'make',
  'max',
  'min',
  'new',
  'panic',
  'print',
  'println',
  'real',
  'recover',
];
const PREDECLARED_TYPES = [
  'any',
  'bool',
  'byte',
  'comparable',
  'complex64',
  'complex128',
  'error',
  'float32',
  'float64',
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'rune',
  'string',
  'uint',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'uintptr',
];
const PREDECLARED_VALUES = ['false', 'nil', 'true'];

/** How deep embedded fields are followed (Go has no limit; real programs nest a few levels). */
const MAX_EMBEDDING = 8;

const isExported = (name: string): boolean => /^\p{Lu}/u.test(name);

/**
 * The completions for `text` with the cursor at UTF-16 offset `offset`, in
 * frame `ref` (undefined: the program's package scope, no locals).
 */
export function completionsAt(insp: Inspector, program: Program, text: string, offset: number, ref: FrameRef | undefined): CompletionAnswer {
  const site = completionSite(text, offset);
  if (!site) return { start: offset, length: 0, items: [] };
  const answer = (items: Completion[]): CompletionAnswer => ({ start: site.start, length: site.prefix.length, items: matching(items, site.prefix) });
  const dw = program.symbols.dwarf;
  const names = programNames(program.symbols);
  const funcName = ref ? insp.frame(ref).funcName : undefined;
  const pkg = funcName ? packageOf(funcName) : 'main';
  const locals = ref && dw ? frameNames(insp, dw, ref) : [];
  if (site.base === undefined) return answer(topLevel(dw, names, pkg, locals));
  const base = site.base;
  // A local or a global of the frame's package hides a package of the same name. Looked up in the package's
  // own units: Dwarf.global() of a missing name would index every unit (≈ 200 ms on the Go compiler).
  const isValueName = locals.some((l) => l.label === base) || (!!dw && dw.globals(pkg).some((g) => g.name === `${pkg}.${base}`));
  if (!isValueName && names.byName.has(base)) return answer(packageMembers(dw, names, base, pkg));
  if (!ref || !dw) return answer([]);
  // A chain of names (`base.Flag.LowerP`) is typed from DWARF alone; the evaluator would look a
  // package-qualified global up in an index of every global (≈ 500 ms the first time on the Go compiler).
  const fast = selectorType(insp, dw, names, pkg, ref, base);
  const iface = (it: GoType) => interfaceMethodNames(insp, it);
  if (fast) return answer(members(names, fast, true, iface));
  let t: GoType;
  let addressable: boolean;
  try {
    const res = insp.evaluate(base, ref);
    if (res.k === 'const') return answer([]);
    t = res.value.type;
    addressable = res.value.addr !== undefined && !res.value.computed;
  } catch {
    // An operand that does not evaluate has no members to offer.
    return answer([]);
  }
  return answer(members(names, t, addressable, iface));
}

/** The methods of a non-empty interface type, from its runtime descriptor (none when it cannot be read). */
function interfaceMethodNames(insp: Inspector, t: GoType): string[] {
  try {
    return interfaceMethods(insp.reader(), t);
  } catch {
    return [];
  }
}

/**
 * The static type of `a.b.c` made of identifiers only: a local, a global of
 * the frame's package or `pkg.Global`, then fields (through pointers and
 * embedded structs). Undefined when any step is not that simple; the caller
 * evaluates then.
 */
function selectorType(insp: Inspector, dw: Dwarf, names: ProgramNames, pkg: string, ref: FrameRef, base: string): GoType | undefined {
  const parts = base.split('.');
  if (!parts.every(isIdent)) return undefined;
  try {
    let t: GoType | undefined;
    let rest = parts.slice(1);
    const local = frameScope(dw, insp.frame(ref))?.vars.find((v) => v.name === parts[0] && !v.dwarf.shadowed);
    if (local) t = dw.type(local.dwarf.typeOffset);
    else {
      const own = dw.globals(pkg).find((g) => g.name === `${pkg}.${parts[0]}`);
      if (own) t = dw.type(own.typeOffset);
      else if (parts.length >= 2) {
        const paths = names.byName.get(parts[0]!) ?? [];
        const found = paths.map((p) => dw.globals(p.path).find((g) => g.name === `${p.path}.${parts[1]}`)).filter((g) => g !== undefined);
        if (found.length !== 1) return undefined;
        t = dw.type(found[0]!.typeOffset);
        rest = parts.slice(2);
      }
    }
    for (const name of rest) {
      if (!t) return undefined;
      t = fieldType(t, name);
    }
    return t;
  } catch {
    return undefined;
  }
}

/** The type of field `name` of a struct (or a pointer to one), promoted fields included; shallowest first. */
function fieldType(t: GoType, name: string): GoType | undefined {
  let level: GoType[] = [t];
  for (let depth = 0; depth < MAX_EMBEDDING && level.length; depth++) {
    const next: GoType[] = [];
    for (const lt of level) {
      let s = underlying(lt);
      if (s.kind === 'pointer') s = underlying(s.elem);
      if (s.kind !== 'struct') continue;
      for (const f of s.fields) {
        if (f.name === name) return f.type;
        if (f.embedded) next.push(f.type);
      }
    }
    level = next;
  }
  return undefined;
}

/** Items whose label starts with `prefix` (ignoring case), without duplicates (the first of a label wins). */
function matching(items: Completion[], prefix: string): Completion[] {
  const p = prefix.toLowerCase();
  const seen = new Set<string>();
  const out: Completion[] = [];
  for (const it of items) {
    if (seen.has(it.label) || !it.label.toLowerCase().startsWith(p)) continue;
    seen.add(it.label);
    out.push(it);
  }
  return out;
}

/** The frame's arguments, results and locals in scope (the innermost of a shadowed name). */
function frameNames(insp: Inspector, dw: Dwarf, ref: FrameRef): Completion[] {
  const s = frameScope(dw, insp.frame(ref));
  if (!s) return [];
  const out: Completion[] = [];
  for (const v of s.vars) {
    if (v.dwarf.shadowed || !isIdent(v.name)) continue;
    let detail: string | undefined;
    try {
      detail = v.dwarf.typeOffset ? typeName(dw.type(v.dwarf.typeOffset)) : undefined;
    } catch {
      /* a type we cannot decode: no detail */
    }
    out.push({ label: v.name, kind: 'variable', detail });
  }
  return out;
}

function topLevel(dw: Dwarf | undefined, names: ProgramNames, pkg: string, locals: Completion[]): Completion[] {
  const out = [...locals];
  out.push(...ownPackage(dw, names, pkg));
  for (const n of [...names.byName.keys()].sort())
    out.push({
      label: n,
      kind: 'module',
      detail: names.byName
        .get(n)!
        .map((p) => p.path)
        .join(', '),
    });
  for (const f of BUILTIN_FUNCS) out.push({ label: f, kind: 'function', detail: 'builtin' });
  for (const t of PREDECLARED_TYPES) out.push({ label: t, kind: 'class', detail: 'predeclared type' });
  for (const v of PREDECLARED_VALUES) out.push({ label: v, kind: 'keyword' });
  return out;
}

/** The globals, functions and types (those with methods) of package path `pkg`; only exported ones when `exportedOnly`. */
function ownPackage(dw: Dwarf | undefined, names: ProgramNames, pkg: string, exportedOnly = false): Completion[] {
  const out: Completion[] = [];
  const keep = (n: string): boolean => !exportedOnly || isExported(n);
  for (const g of dw?.globals(pkg) ?? []) {
    const n = g.name.slice(pkg.length + 1);
    if (!keep(n) || !isIdent(n)) continue;
    let detail: string | undefined;
    try {
      detail = typeName(dw!.type(g.typeOffset));
    } catch {
      /* no detail */
    }
    out.push({ label: n, kind: 'variable', detail });
  }
  // Package constants (integer ones: Go writes no DWARF for the others).
  for (const [full, c] of dw?.constantsIn(pkg) ?? []) {
    const n = full.slice(pkg.length + 1);
    if (!keep(n) || !isIdent(n)) continue;
    const t = dw!.type(c.typeOffset);
    out.push({ label: n, kind: 'value', detail: t.name === 'int' ? 'untyped int constant' : `${typeName(t)} constant` });
  }
  const p = names.packages.get(pkg);
  if (p) {
    for (const f of [...p.funcs].sort()) if (keep(f)) out.push({ label: f, kind: 'function', detail: `func ${pkg}.${f}` });
    for (const t of [...p.types].sort()) if (keep(t)) out.push({ label: t, kind: 'class', detail: `type ${pkg}.${t}` });
  }
  return out;
}

/** Members after `name.` where name is a package name (several packages may share it). */
function packageMembers(dw: Dwarf | undefined, names: ProgramNames, name: string, framePkg: string): Completion[] {
  return (names.byName.get(name) ?? []).flatMap((p) => ownPackage(dw, names, p.path, p.path !== framePkg));
}

/**
 * The fields and methods of a value of type `t` (through one pointer, and through embedded fields);
 * an interface's methods (of an interface-typed value or embedded field) by `ifaceMethods`.
 */
function members(names: ProgramNames, t: GoType, addressable: boolean, ifaceMethods: (t: GoType) => string[]): Completion[] {
  const out: Completion[] = [];
  const seen = new Set<string>();
  const add = (c: Completion): void => {
    if (seen.has(c.label)) return;
    seen.add(c.label);
    out.push(c);
  };
  // Breadth first: a field or method at a shallower depth hides deeper ones of the same name.
  let level: { t: GoType; pointer: boolean }[] = [];
  const u = underlying(t);
  if (u.kind === 'pointer') level.push({ t: u.elem, pointer: true });
  else level.push({ t, pointer: addressable });
  for (let depth = 0; depth < MAX_EMBEDDING && level.length; depth++) {
    const next: typeof level = [];
    for (const { t: lt, pointer } of level) {
      for (const m of methodsOf(names, lt))
        if (pointer || !m.pointer) add({ label: m.name, kind: 'method', detail: `func (${m.pointer ? '*' : ''}${lt.name}) ${m.name}` });
      const s = underlying(lt);
      if (s.kind === 'interface' && !s.empty) for (const m of ifaceMethods(lt)) add({ label: m, kind: 'method', detail: `func (${lt.name}) ${m}` });
      if (s.kind !== 'struct') continue;
      for (const f of s.fields) {
        if (!f.name || f.name === '_') continue;
        let ft: GoType | undefined;
        try {
          ft = f.type;
        } catch {
          /* an undecodable field type: listed without detail */
        }
        add({ label: f.name, kind: 'field', detail: ft && typeName(ft) });
        if (f.embedded && ft) {
          const fu = underlying(ft);
          // An embedded *T brings T's pointer methods; an embedded T brings them only when the outer value is addressable.
          next.push(fu.kind === 'pointer' && ft.name.startsWith('*') ? { t: fu.elem, pointer: true } : { t: ft, pointer });
        }
      }
    }
    level = next;
  }
  return out;
}

function methodsOf(names: ProgramNames, t: GoType): { name: string; pointer: boolean }[] {
  if (!t.name || t.name.startsWith('*') || !t.name.includes('.')) return [];
  return names.methods.get(elideTypeArgs(t.name)) ?? [];
}

/**
 * Resolves (and memoises) the variables in scope at frame 0 of thread id
 * `id`, as a completion there would, and decodes their types (warmUp.ts), as
 * the Variables view and the first watch will.
 */
export function warmFrameScope(program: Program, id: number): void {
  const dw = program.symbols.dwarf;
  const f = dw ? frameInfo(program, id, 0) : undefined;
  const s = dw && f ? frameScope(dw, f) : undefined;
  if (dw && s) warmTypes(dw, s.vars);
}
