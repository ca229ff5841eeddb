/**
 * .debug_abbrev: abbreviation tables, one per unit (usually one shared table
 * for the whole Go binary). An abbreviation gives a DIE's tag, whether it has
 * children, and the (attribute, form) list of its values.
 */
import { Reader } from '../binary/reader.js';
import { FORM } from './constants.js';

export interface AttrSpec {
  readonly at: number;
  readonly form: number;
  /** Value of a DW_FORM_implicit_const attribute (stored in the abbreviation). */
  readonly implicit: number | bigint;
}

export interface Abbrev {
  readonly code: number;
  readonly tag: number;
  readonly hasChildren: boolean;
  readonly attrs: readonly AttrSpec[];
}

/** An abbreviation table: code → abbreviation (a dense array when codes are small). */
export class AbbrevTable {
  private readonly dense: (Abbrev | undefined)[] = [];
  private readonly sparse = new Map<number, Abbrev>();

  add(a: Abbrev): void {
    if (a.code < 4096) this.dense[a.code] = a;
    else this.sparse.set(a.code, a);
  }
  get(code: number): Abbrev | undefined {
    return code < 4096 ? this.dense[code] : this.sparse.get(code);
  }
}

/** Parses the abbreviation table that starts at `offset` in `.debug_abbrev`. */
export function parseAbbrevTable(bytes: Uint8Array, offset: number): AbbrevTable {
  const r = new Reader(bytes, '.debug_abbrev');
  r.seek(offset);
  const table = new AbbrevTable();
  for (;;) {
    const code = r.uleb();
    if (code === 0) break;
    const tag = r.uleb();
    const hasChildren = r.u8() !== 0;
    const attrs: AttrSpec[] = [];
    for (;;) {
      const at = r.uleb();
      const form = r.uleb();
      if (at === 0 && form === 0) break;
      let implicit: number | bigint = 0;
      if (form === FORM.implicit_const) {
        const v = r.slebBig();
        implicit = v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      }
      attrs.push({ at, form, implicit });
    }
    table.add({ code, tag, hasChildren, attrs });
  }
  return table;
}
