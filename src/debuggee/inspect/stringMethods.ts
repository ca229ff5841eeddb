/**
 * Which method gives a value's text in the Variables view, the way fmt's %v
 * picks one: Error() first, then String(), and only a method in the value's
 * method set (a T value has T's value-receiver methods; a *T has those and
 * (*T)'s). Never for a nil pointer or a nil interface (fmt prints <nil>), an
 * empty interface (its dynamic value is shown as a child), an unreadable
 * value, a generic type, or the types the view already formats from their
 * fields (time.Time, time.Duration). The call itself is made by the
 * inspector through the function-call path, with STRING_CALL_MS to return.
 */
import { underlying, type GoType } from '../../dwarf/goTypes.js';
import { methodFunctionNames } from '../../eval/funcValues.js';
import type { Value } from '../../values/value.js';
import type { ValueReader } from '../../values/valueReader.js';
import type { SymbolTable } from '../symbolTable.js';

/** How long a String() or Error() call of the Variables view may run before it is abandoned and the raw value shown. */
export const STRING_CALL_MS = 100;

export type TextMethod = 'Error' | 'String';
const METHODS: readonly TextMethod[] = ['Error', 'String'];

/**
 * Types the view formats from their fields, better than (or the same as) their
 * String(); and reflect.Value, whose String() fmt never calls (it prints the
 * value held: String() gives "<int Value>" for a held 42).
 */
const FORMATTED = new Set(['time.Time', 'time.Duration', 'reflect.Value']);

export class StringMethods {
  /** By type name: the method a value of that type shows, or null for none. */
  private readonly byType = new Map<string, TextMethod | null>();
  /** Interface type names of which a method proved absent (the interface does not have it). */
  private readonly missing = new Set<string>();

  /**
   * The names of the program's Error and String functions (`main.T.String`,
   * `main.(*T).Error`), read in one scan of the function names (prime), or
   * null when the symbol table cannot list them (each name is looked up then).
   * Without it, a type with neither method cost a scan of the name table per
   * name looked up (50–100 µs each on testdata/benchstruct's 3,033 functions,
   * two names per struct type on its first expansion).
   */
  private methodNames?: Set<string> | null;

  constructor(private readonly symbols: SymbolTable) {}

  /** Reads the names of the program's Error and String functions now (the warm-up calls it while the program runs; reads the binary only). */
  prime(): void {
    if (this.methodNames !== undefined) return;
    const s = this.symbols;
    this.methodNames = s.functionNamesEndingWith ? new Set(METHODS.flatMap((m) => s.functionNamesEndingWith!(`.${m}`))) : null;
  }

  private hasFunction(name: string): boolean {
    this.prime();
    return this.methodNames ? this.methodNames.has(name) : this.symbols.funcByName(name) !== undefined;
  }

  /** The methods to try for `v`, in fmt's order (empty when none applies); reads only a pointer or an interface's first word. */
  candidates(r: ValueReader, v: Value): TextMethod[] {
    if (v.error !== undefined || v.mapEntries) return [];
    const t = v.type;
    const u = underlying(t);
    if (u.kind === 'interface') {
      if (u.empty || r.uword(v, 0) === 0) return [];
      return METHODS.filter((m) => !this.missing.has(`${t.name} ${m}`));
    }
    if (u.kind === 'pointer') {
      // A named pointer type has no methods of its own; *T has T's and (*T)'s.
      const m = t.name.startsWith('*') ? this.methodOf(u.elem, true) : undefined;
      return m && r.pointer(v) !== 0 ? [m] : [];
    }
    const m = this.methodOf(t, false);
    return m ? [m] : [];
  }

  /** An interface value answered that it has no such method: not tried again for that interface type. */
  noMethod(t: GoType, m: TextMethod): void {
    const u = underlying(t);
    if (u.kind === 'interface') this.missing.add(`${t.name} ${m}`);
    else this.byType.set(u.kind === 'pointer' ? `*${u.elem.name}` : t.name, null);
  }

  private methodOf(t: GoType, pointer: boolean): TextMethod | undefined {
    const key = pointer ? `*${t.name}` : t.name;
    let m = this.byType.get(key);
    if (m === undefined) {
      m = this.lookup(t.name, pointer) ?? null;
      this.byType.set(key, m);
    }
    return m ?? undefined;
  }

  private lookup(typeName: string, pointer: boolean): TextMethod | undefined {
    // Generic types (their methods take a dictionary) and unnamed ones are left out.
    if (FORMATTED.has(typeName) || !plainTypeName(typeName)) return undefined;
    for (const m of METHODS) {
      const names = methodFunctionNames(typeName, m);
      if (!names) return undefined;
      if (this.hasFunction(names.byValue) || (pointer && this.hasFunction(names.byPointer))) return m;
    }
    return undefined;
  }
}

/**
 * A type name without brackets, `*`, braces, parentheses or white space (a
 * character loop: a regex costs a compile at its first use, in the first
 * expansion at a stop).
 */
function plainTypeName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    // [ * { } ( ) and white space (\s: the ASCII ones, NBSP, and the Unicode spaces and separators).
    if (c === 0x5b || c === 0x2a || c === 0x7b || c === 0x7d || c === 0x28 || c === 0x29) return false;
    if ((c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0 || (c >= 0x1680 && WHITE.test(name[i]!))) return false;
  }
  return true;
}

const WHITE = /\s/;
