/**
 * The names a program's function table knows, indexed for completions:
 * packages (by path and by the name an expression uses, the path's last
 * element), each package's functions, and the methods of each receiver type.
 * Built once per binary from the pclntab's names (DWARF does not change
 * between stops either): on the Go compiler (≈ 37,000 functions) this takes a
 * few tens of ms, then every lookup is a map access.
 *
 * Go's linker keeps only the methods something can reach, so a method the
 * program never uses is absent here as it is from the binary.
 */

export interface PackageNames {
  path: string;
  /** Top-level functions (no receiver), by name. */
  funcs: Set<string>;
  /** Receiver type names (without the package) that have methods. */
  types: Set<string>;
}

export interface MethodName {
  name: string;
  /** Declared on *T (only in the method set of addressable values and pointers). */
  pointer: boolean;
}

export interface ProgramNames {
  packages: Map<string, PackageNames>;
  /** Package name (last path element) → the packages of that name. */
  byName: Map<string, PackageNames[]>;
  /** `pkg.T` (type arguments as `[...]`) → its methods. */
  methods: Map<string, MethodName[]>;
}

const memo = new WeakMap<readonly string[], ProgramNames>();

const IDENT_RE = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

/** A Go identifier; ASCII checked by code (a Unicode regex per name costs more than the rest of the index). */
export function isIdent(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return IDENT_RE.test(s);
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
    if (!letter && (i === 0 || c < 48 || c > 57)) return false;
  }
  return true;
}
/** Names the compiler gives closures and wrappers: `main.f.func1`, `gowrap2`, `deferwrap1`. */
const GENERATED = /^(func|gowrap|deferwrap)\d+$/;

/** The index of `names` (a binary's function names), built on first use. */
export function programNames(names: readonly string[]): ProgramNames {
  let pn = memo.get(names);
  if (!pn) {
    pn = buildNames(names);
    memo.set(names, pn);
  }
  return pn;
}

/** `a/b/c.(*T[...]).M` → ["a/b/c", "(*T[...]).M"]; undefined for names of no package. */
export function splitPackage(name: string): [string, string] | undefined {
  const slash = name.lastIndexOf('/', bracketFree(name));
  const dot = name.indexOf('.', slash + 1);
  if (dot <= 0) return undefined;
  return [name.slice(0, dot), name.slice(dot + 1)];
}

/** Where the first `[` is (type arguments may hold slashes), or the end. */
function bracketFree(name: string): number {
  const b = name.indexOf('[');
  return b < 0 ? name.length : b;
}

/** `T[int,string]` → `T[...]`: how pclntab names an instantiated type. */
export function elideTypeArgs(name: string): string {
  if (!name.includes('[')) return name;
  let out = '';
  let depth = 0;
  for (const c of name) {
    if (c === '[') {
      if (depth++ === 0) out += '[...]';
    } else if (c === ']') {
      if (depth > 0) depth--;
    } else if (depth === 0) out += c;
  }
  return out;
}

function buildNames(names: readonly string[]): ProgramNames {
  const packages = new Map<string, PackageNames>();
  const methods = new Map<string, MethodName[]>();
  const pkgOf = (path: string): PackageNames => {
    let p = packages.get(path);
    if (!p) packages.set(path, (p = { path, funcs: new Set(), types: new Set() }));
    return p;
  };
  const pathOk = new Map<string, boolean>();
  for (const full of names) {
    if (full.startsWith('type:') || full.startsWith('go:') || full.includes('-')) continue;
    const sp = splitPackage(full);
    if (!sp) continue;
    const [path, rest] = sp;
    let ok = pathOk.get(path);
    if (ok === undefined) pathOk.set(path, (ok = /^[\w./-]+$/.test(path) && !path.includes('..')));
    if (!ok) continue;
    let recv: string | undefined;
    let method: string | undefined;
    let pointer = false;
    if (rest.startsWith('(*')) {
      const close = rest.indexOf(').');
      if (close < 0) continue;
      recv = rest.slice(2, close);
      method = rest.slice(close + 2);
      pointer = true;
    } else {
      const parts = splitTop(rest);
      if (parts.length === 1) {
        if (isIdent(parts[0]!) && parts[0] !== 'init' && parts[0] !== '_') pkgOf(path).funcs.add(parts[0]!);
        else pkgOf(path);
        continue;
      }
      if (parts.length !== 2 || GENERATED.test(parts[1]!)) {
        pkgOf(path);
        continue;
      }
      [recv, method] = parts as [string, string];
    }
    const p = pkgOf(path);
    const b = recv.indexOf('[');
    const bare = b < 0 ? recv : recv.slice(0, b);
    if (!isIdent(bare) || !isIdent(method) || GENERATED.test(method)) continue;
    p.types.add(bare);
    const key = `${path}.${elideTypeArgs(recv)}`;
    let list = methods.get(key);
    if (!list) methods.set(key, (list = []));
    if (!list.some((m) => m.name === method)) list.push({ name: method, pointer });
  }
  const byName = new Map<string, PackageNames[]>();
  for (const p of packages.values()) {
    const short = p.path.slice(p.path.lastIndexOf('/') + 1);
    if (!isIdent(short)) continue;
    let l = byName.get(short);
    if (!l) byName.set(short, (l = []));
    l.push(p);
  }
  return { packages, byName, methods };
}

/** Splits at dots outside brackets: `T[a.b].M` → ["T[a.b]", "M"]. */
function splitTop(s: string): string[] {
  if (!s.includes('[')) return s.split('.');
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '.' && depth === 0) {
      out.push(s.slice(from, i));
      from = i + 1;
    }
  }
  out.push(s.slice(from));
  return out;
}
