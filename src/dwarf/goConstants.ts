/**
 * Go's typed constants. The compiler writes every package-level constant of
 * a package as a top-level DW_TAG_constant of that package's compile unit
 * (name "pkg.Name", DW_AT_type, DW_AT_const_value as sdata), typed or not,
 * exported or not, used or not; the type DIE itself is in the runtime unit.
 * Constants are grouped here by the DIE offset of their type, one scan per
 * package unit, on first use.
 */
import { AT, TAG } from './constants.js';
import type { InfoReader, Unit } from './info.js';

export interface DwarfConstant {
  /** The constant's name without its package ("ByteConst" for main.ByteConst). */
  name: string;
  value: bigint;
}

/** A constant found by its full name ("pkg/path.Name"): its type's DIE offset and value. */
export interface NamedConstant {
  typeOffset: number;
  value: bigint;
}

const CONSTANT_FILTER = { tags: new Set<number>([TAG.constant]), attrs: new Set<number>([AT.name, AT.type, AT.const_value]) };

/** The package path of a named type ("main" of main.Code, "a/b" of a/b.T[a/b.U]), or undefined. */
export function packageOfType(name: string): string | undefined {
  const bracket = name.indexOf('[');
  const base = bracket >= 0 ? name.slice(0, bracket) : name;
  const dot = base.indexOf('.', base.lastIndexOf('/') + 1);
  return dot > 0 ? base.slice(0, dot) : undefined;
}

export class ConstantIndex {
  private readonly byUnit = new Map<number, Map<number, DwarfConstant[]>>();
  /** Per unit: full name → constant (filled by the same scan as byUnit). */
  private readonly namesByUnit = new Map<number, Map<string, NamedConstant>>();

  constructor(
    private readonly info: InfoReader,
    /** The DIE offset a type reference resolves to (same-name typedefs looked through). */
    private readonly typeOffset: (ref: number) => number,
  ) {}

  /** Constants of the type at `typeOffset` declared in `units` (its package's), in DWARF order. */
  of(typeOffset: number, units: readonly Unit[]): DwarfConstant[] {
    const out: DwarfConstant[] = [];
    for (const u of units) out.push(...(this.unitConstants(u).get(typeOffset) ?? []));
    return out;
  }

  /** The constant named `fullName` declared in `units` (its package's). */
  named(fullName: string, units: readonly Unit[]): NamedConstant | undefined {
    for (const u of units) {
      this.unitConstants(u);
      const c = this.namesByUnit.get(u.offset)?.get(fullName);
      if (c) return c;
    }
    return undefined;
  }

  /** Every constant declared in `units`, by full name. */
  all(units: readonly Unit[]): [string, NamedConstant][] {
    return units.flatMap((u) => {
      this.unitConstants(u);
      return [...(this.namesByUnit.get(u.offset) ?? [])];
    });
  }

  private unitConstants(u: Unit): Map<number, DwarfConstant[]> {
    let m = this.byUnit.get(u.offset);
    if (m) return m;
    m = new Map();
    this.byUnit.set(u.offset, m);
    const byType = m;
    const byName = new Map<string, NamedConstant>();
    this.namesByUnit.set(u.offset, byName);
    this.info.forEachChild(
      this.info.root(u),
      (d) => {
        const name = d.name;
        const t = d.get(AT.type);
        const v = d.get(AT.const_value);
        if (name === undefined || typeof t !== 'number' || (typeof v !== 'number' && typeof v !== 'bigint')) return;
        let key: number;
        try {
          key = this.typeOffset(t);
        } catch {
          return;
        }
        const dot = name.indexOf('.', name.lastIndexOf('/') + 1);
        const short = dot >= 0 ? name.slice(dot + 1) : name;
        let list = byType.get(key);
        if (!list) byType.set(key, (list = []));
        list.push({ name: short, value: BigInt(v) });
        byName.set(name, { typeOffset: key, value: BigInt(v) });
      },
      CONSTANT_FILTER,
    );
    return m;
  }
}
