/**
 * The names a program's function table knows, indexed for completions:
 * packages (by path and by the name an expression uses, the path's last
 * element), each package's functions, and the methods of each receiver type.
 * Built once per binary from the pclntab's names: on the Go compiler (22,494
 * functions) that takes 100–400 ms on these loaded machines, so the session
 * starts it a moment after the first stop in slices of about a millisecond
 * (prepareProgramNames), between other requests; a completion that comes first finishes it at once.
 *
 * Go's linker keeps only the methods something can reach, so a method the
 * program never uses is absent here as it is from the binary.
 */
import { elideTypeArgs } from '../../binary/funcTable.js';

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

/** Where the names come from: a function table (SymbolTable's functionCount/functionName). */
export interface NameSource {
  functionCount?(): number;
  functionName?(i: number): string;
}

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

const builders = new WeakMap<NameSource, NamesBuilder>();

function builderOf(src: NameSource): NamesBuilder {
  let b = builders.get(src);
  if (!b) builders.set(src, (b = new NamesBuilder(src)));
  return b;
}

/** The index of `src`'s function names, finished now if it is not yet. */
export function programNames(src: NameSource): ProgramNames {
  const b = builderOf(src);
  b.step(Number.POSITIVE_INFINITY);
  return b.names;
}

/**
 * A slice of the index runs at most this long. Measured on testdata/benchstruct
 * (Go 1.26): 1,500 functions per slice took 10–22 ms while the code was
 * cold, and a request arriving meanwhile (the first evaluate, the first
 * expand) waited for all of it.
 */
const SLICE_MS = 1;
/** Functions indexed between two looks at the clock. */
const CHUNK = 64;
/**
 * The first slice waits this long after the stop: an editor asks for the
 * threads, the stack, the scopes, the locals and the watches within a few
 * tens of ms of the `stopped` event, and none of them needs the index.
 */
const START_DELAY_MS = 250;

const preparing = new WeakMap<NamesBuilder, Promise<void>>();

/**
 * Builds the index in slices of about a millisecond, one per turn of the
 * event loop, starting a moment after the stop; resolves when it is complete.
 */
export function prepareProgramNames(src: NameSource): Promise<void> {
  const b = builderOf(src);
  let p = preparing.get(b);
  if (p) return p;
  p = new Promise((resolve) => {
    const run = (): void => {
      const until = performance.now() + SLICE_MS;
      let done = b.step(CHUNK);
      while (!done && performance.now() < until) done = b.step(CHUNK);
      if (done) resolve();
      else setImmediate(run);
    };
    setTimeout(run, START_DELAY_MS);
  });
  preparing.set(b, p);
  return p;
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

class NamesBuilder {
  private next = 0;
  private done = false;
  private readonly pathOk = new Map<string, boolean>();
  readonly names: ProgramNames = { packages: new Map(), byName: new Map(), methods: new Map() };

  constructor(private readonly src: NameSource) {}

  /** Indexes up to `count` more functions; true once every one is. */
  step(count: number): boolean {
    if (this.done) return true;
    const total = this.src.functionCount?.() ?? 0;
    const stop = Math.min(total, this.next + count);
    for (; this.next < stop; this.next++) this.add(this.src.functionName!(this.next));
    if (this.next >= total) {
      this.done = true;
      this.indexByName();
    }
    return this.done;
  }

  private pkgOf(path: string): PackageNames {
    let p = this.names.packages.get(path);
    if (!p) this.names.packages.set(path, (p = { path, funcs: new Set(), types: new Set() }));
    return p;
  }

  private add(full: string): void {
    if (full.startsWith('type:') || full.startsWith('go:') || full.includes('-')) return;
    const sp = splitPackage(full);
    if (!sp) return;
    const [path, rest] = sp;
    let ok = this.pathOk.get(path);
    if (ok === undefined) this.pathOk.set(path, (ok = /^[\w./-]+$/.test(path) && !path.includes('..')));
    if (!ok) return;
    const p = this.pkgOf(path);
    let recv: string;
    let method: string;
    let pointer = false;
    if (rest.startsWith('(*')) {
      const close = rest.indexOf(').');
      if (close < 0) return;
      recv = rest.slice(2, close);
      method = rest.slice(close + 2);
      pointer = true;
    } else {
      const parts = splitTop(rest);
      if (parts.length === 1) {
        if (isIdent(parts[0]!) && parts[0] !== 'init' && parts[0] !== '_') p.funcs.add(parts[0]!);
        return;
      }
      if (parts.length !== 2 || GENERATED.test(parts[1]!)) return;
      [recv, method] = parts as [string, string];
    }
    const b = recv.indexOf('[');
    const bare = b < 0 ? recv : recv.slice(0, b);
    if (!isIdent(bare) || !isIdent(method) || GENERATED.test(method)) return;
    p.types.add(bare);
    const key = `${path}.${elideTypeArgs(recv)}`;
    let list = this.names.methods.get(key);
    if (!list) this.names.methods.set(key, (list = []));
    if (!list.some((m) => m.name === method)) list.push({ name: method, pointer });
  }

  private indexByName(): void {
    for (const p of this.names.packages.values()) {
      const short = p.path.slice(p.path.lastIndexOf('/') + 1);
      if (!isIdent(short)) continue;
      let l = this.names.byName.get(short);
      if (!l) this.names.byName.set(short, (l = []));
      l.push(p);
    }
  }
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
