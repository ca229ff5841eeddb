/**
 * The Go type model built from DWARF type DIEs.
 *
 * What the Go linker emits (src/cmd/link/internal/ld/dwarf.go), and how it maps here:
 *  - bool/ints/floats/complex: DW_TAG_base_type (named types like `main.MyInt` too).
 *  - string: a DW_TAG_structure_type (go_kind 24) with fields `str *uint8` @0, `len int` @8.
 *  - slice: a DW_TAG_structure_type (go_kind 23, DW_AT_go_elem) with `array *T` @0, `len` @8, `cap` @16.
 *  - array: DW_TAG_array_type with one DW_TAG_subrange_type child holding DW_AT_count.
 *  - pointer: DW_TAG_pointer_type; unsafe.Pointer is a pointer_type with no DW_AT_type.
 *  - struct: DW_TAG_structure_type (go_kind 25), members with data_member_location and go_embedded_field.
 *  - interface: a DW_TAG_typedef (go_kind 20) whose DW_AT_type is `runtime.iface`
 *    (`tab *itab` @0, `data` @8) for non-empty interfaces or `runtime.eface`
 *    (`_type *_type` @0, `data` @8) for `any`.
 *  - map: a DW_TAG_typedef (go_kind 21) with DW_AT_go_key / DW_AT_go_elem, whose DW_AT_type is a
 *    POINTER to a synthesized struct: Go 1.24+ Swiss tables `map<K,V>` (copy of
 *    internal/runtime/maps.Map: used, seed, dirPtr **table<K,V>, dirLen, globalDepth, ...,
 *    where table<K,V>.groups is groupReference<K,V>{data *group, lengthMask}); before
 *    (and with GOEXPERIMENT=noswissmap) `hash<K,V>` (copy of runtime.hmap: count, flags, B,
 *    noverflow, hash0, buckets *bucket<K,V>, oldbuckets, nevacuate, extra).
 *  - chan: a DW_TAG_typedef (go_kind 18, DW_AT_go_elem) whose DW_AT_type is `*hchan<T>`.
 *  - func: DW_TAG_subroutine_type (size 8: a pointer to a closure), params and results
 *    (results carry DW_AT_variable_parameter = 1).
 *  - named types: the linker writes the real DIE with the Go name and then a plain
 *    DW_TAG_typedef of the same name pointing at it; that typedef is transparent here
 *    (`type(typedefOffset)` returns the named type itself).
 *  - generic shapes: functions carry DW_TAG_typedef children `.paramN` with
 *    DW_AT_go_dict_index; they are kind 'typedef' with `dictIndex`.
 */
import { DecodeError } from '../binary/reader.js';
import { AT, ATE, GO_KIND, TAG } from './constants.js';
import type { Die, InfoReader } from './info.js';

interface Base {
  /** DIE offset of the type (after looking through same-name typedefs). */
  offset: number;
  name: string;
  size: number;
  /** DW_AT_go_kind: a reflect.Kind number, 0 when absent. */
  goKind: number;
  /**
   * DW_AT_go_runtime_type: the runtime type descriptor (`*abi.Type`) as an
   * OFFSET from moduledata.types (the `runtime.types` symbol, start of the type
   * data in .rodata); 0 when absent. Address = types base + this offset.
   */
  runtimeType: number;
}

export interface BoolType extends Base {
  kind: 'bool';
}
export interface IntType extends Base {
  kind: 'int' | 'uint' | 'uintptr';
  signed: boolean;
}
export interface FloatType extends Base {
  kind: 'float';
}
export interface ComplexType extends Base {
  kind: 'complex';
}
export interface StringType extends Base {
  kind: 'string';
  fields: StructField[];
}
export interface ArrayType extends Base {
  kind: 'array';
  count: number;
  elemOffset: number;
  readonly elem: GoType;
}
export interface SliceType extends Base {
  kind: 'slice';
  fields: StructField[];
  elemOffset: number;
  readonly elem: GoType;
}
export interface StructType extends Base {
  kind: 'struct';
  fields: StructField[];
}
export interface PointerType extends Base {
  kind: 'pointer';
  elemOffset: number;
  readonly elem: GoType;
}
export interface UnsafePointerType extends Base {
  kind: 'unsafePointer';
}
export interface MapType extends Base {
  kind: 'map';
  keyOffset: number;
  elemOffset: number;
  readonly key: GoType;
  readonly elem: GoType;
  /** The runtime representation: a pointer to `map<K,V>` (Swiss) or `hash<K,V>` (classic). */
  readonly header: GoType;
  /** True for Swiss tables (Go 1.24+ default), false for the classic hmap buckets. */
  readonly swiss: boolean;
}
export interface ChanType extends Base {
  kind: 'chan';
  dir: 'both' | 'send' | 'recv';
  elemOffset: number;
  readonly elem: GoType;
  /** The runtime representation: a pointer to `hchan<T>`. */
  readonly header: GoType;
}
export interface FuncType extends Base {
  kind: 'func';
  readonly params: GoType[];
  readonly results: GoType[];
  variadic: boolean;
}
export interface InterfaceType extends Base {
  kind: 'interface';
  /** `any` / `interface {}` (eface: type word first) vs an interface with methods (iface: itab first). */
  readonly empty: boolean;
  /** The two-word layout struct: runtime.eface or runtime.iface. */
  readonly layout: GoType;
}
export interface TypedefType extends Base {
  kind: 'typedef';
  targetOffset: number;
  readonly target: GoType;
  /** DW_AT_go_dict_index of a generic shape typedef (`.paramN`). */
  dictIndex?: number;
}
/** `<unspecified>` and anything we do not model. */
export interface UnspecifiedType extends Base {
  kind: 'unspecified';
}

export type GoType =
  | BoolType
  | IntType
  | FloatType
  | ComplexType
  | StringType
  | ArrayType
  | SliceType
  | StructType
  | PointerType
  | UnsafePointerType
  | MapType
  | ChanType
  | FuncType
  | InterfaceType
  | TypedefType
  | UnspecifiedType;

export interface StructField {
  name: string;
  offset: number;
  embedded: boolean;
  typeOffset: number;
  readonly type: GoType;
}

export const TYPE_TAGS: ReadonlySet<number> = new Set([
  TAG.base_type,
  TAG.array_type,
  TAG.typedef,
  TAG.subroutine_type,
  TAG.pointer_type,
  TAG.structure_type,
  TAG.unspecified_type,
]);

export function isTypeTag(tag: number): boolean {
  return TYPE_TAGS.has(tag);
}

/** Builds GoTypes from DIEs, cached by DIE offset. */
export class TypeLoader {
  private readonly cache = new Map<number, GoType>();
  private readonly resolving = new Set<number>();

  constructor(private readonly info: InfoReader) {}

  type(offset: number): GoType {
    const hit = this.cache.get(offset);
    if (hit) return hit;
    if (this.resolving.has(offset)) throw new DecodeError('.debug_info', offset, 'typedef cycle');
    this.resolving.add(offset);
    try {
      const t = this.build(offset);
      this.cache.set(offset, t);
      return t;
    } finally {
      this.resolving.delete(offset);
    }
  }

  private build(offset: number): GoType {
    const die = this.info.tree(offset);
    const name = die.name ?? '';
    const goKind = die.num(AT.go_kind) ?? 0;
    // An offset from moduledata.types in an address form: the unit's load bias does not apply.
    const runtimeType = (die.num(AT.go_runtime_type) ?? die.unit.bias) - die.unit.bias;
    const base = { offset, name, size: die.num(AT.byte_size) ?? 0, goKind, runtimeType };
    const ref = (at: number): number => {
      const v = die.get(at);
      if (typeof v !== 'number') throw new DecodeError('.debug_info', offset, `type DIE lacks attribute 0x${at.toString(16)}`);
      return v;
    };
    const optRef = (at: number): number | undefined => {
      const v = die.get(at);
      return typeof v === 'number' ? v : undefined;
    };
    const T = (o: number): GoType => this.type(o);

    switch (die.tag) {
      case TAG.base_type: {
        const enc = die.num(AT.encoding) ?? 0;
        if (enc === ATE.boolean) return { ...base, kind: 'bool' };
        if (enc === ATE.float) return { ...base, kind: 'float' };
        if (enc === ATE.complex_float) return { ...base, kind: 'complex' };
        if (enc === ATE.signed || enc === ATE.signed_char) return { ...base, kind: 'int', signed: true };
        if (goKind === GO_KIND.Uintptr || name === 'uintptr') return { ...base, kind: 'uintptr', signed: false };
        if (enc === ATE.unsigned || enc === ATE.unsigned_char || enc === ATE.UTF) return { ...base, kind: 'uint', signed: false };
        return { ...base, kind: 'unspecified' };
      }
      case TAG.pointer_type: {
        const elemOffset = optRef(AT.type);
        if (elemOffset === undefined) return { ...base, size: base.size || 8, kind: 'unsafePointer' };
        return {
          ...base,
          size: base.size || 8,
          kind: 'pointer',
          elemOffset,
          get elem() {
            return T(elemOffset);
          },
        };
      }
      case TAG.array_type: {
        const elemOffset = ref(AT.type);
        const sub = die.children.find((c) => c.tag === TAG.subrange_type);
        let count = 0;
        if (sub) {
          const c = sub.num(AT.count);
          if (c !== undefined) count = c;
          else {
            const ub = sub.num(0x2f /* upper_bound */);
            if (ub !== undefined) count = ub + 1;
          }
        }
        return {
          ...base,
          kind: 'array',
          count,
          elemOffset,
          get elem() {
            return T(elemOffset);
          },
        };
      }
      case TAG.structure_type: {
        const fields = this.fields(die);
        if (goKind === GO_KIND.String) return { ...base, kind: 'string', fields };
        if (goKind === GO_KIND.Slice) {
          const elemOffset = optRef(AT.go_elem) ?? sliceElemFromArray(this, fields, offset);
          return {
            ...base,
            kind: 'slice',
            fields,
            elemOffset,
            get elem() {
              return T(elemOffset);
            },
          };
        }
        return { ...base, kind: 'struct', fields };
      }
      case TAG.subroutine_type: {
        const params: number[] = [];
        const results: number[] = [];
        let variadic = false;
        for (const c of die.children) {
          if (c.tag === TAG.unspecified_parameters) variadic = true;
          else if (c.tag === TAG.formal_parameter) {
            const t = c.get(AT.type);
            if (typeof t !== 'number') continue;
            (c.flag(AT.variable_parameter) ? results : params).push(t);
          }
        }
        return {
          ...base,
          size: base.size || 8,
          kind: 'func',
          variadic,
          get params() {
            return params.map(T);
          },
          get results() {
            return results.map(T);
          },
        };
      }
      case TAG.typedef:
        return this.typedef(die, base, optRef);
      case TAG.unspecified_type:
        return { ...base, kind: 'unspecified' };
      default:
        throw new DecodeError('.debug_info', offset, `DIE with tag 0x${die.tag.toString(16)} is not a type`);
    }
  }

  private typedef(die: Die, base: Base, optRef: (at: number) => number | undefined): GoType {
    const T = (o: number): GoType => this.type(o);
    const targetOffset = optRef(AT.type);
    switch (base.goKind) {
      case GO_KIND.Map: {
        const keyOffset = optRef(AT.go_key) ?? 0;
        const elemOffset = optRef(AT.go_elem) ?? 0;
        const hdr = targetOffset ?? 0;
        return {
          ...base,
          size: 8,
          kind: 'map',
          keyOffset,
          elemOffset,
          get key() {
            return T(keyOffset);
          },
          get elem() {
            return T(elemOffset);
          },
          get header() {
            return T(hdr);
          },
          get swiss() {
            const h = T(hdr);
            const s = h.kind === 'pointer' ? h.elem : h;
            return s.name.startsWith('map<');
          },
        };
      }
      case GO_KIND.Chan: {
        const elemOffset = optRef(AT.go_elem) ?? 0;
        const hdr = targetOffset ?? 0;
        const dir = base.name.startsWith('<-chan') ? 'recv' : base.name.startsWith('chan<-') ? 'send' : 'both';
        return {
          ...base,
          size: 8,
          kind: 'chan',
          dir,
          elemOffset,
          get elem() {
            return T(elemOffset);
          },
          get header() {
            return T(hdr);
          },
        };
      }
      case GO_KIND.Interface: {
        const lay = targetOffset ?? 0;
        const layoutType = targetOffset !== undefined ? T(lay) : undefined;
        const empty = layoutType ? isEface(layoutType) : base.name === 'interface {}';
        return {
          ...base,
          size: layoutType?.size || 16,
          kind: 'interface',
          empty,
          get layout() {
            return T(lay);
          },
        };
      }
    }
    if (targetOffset === undefined) return { ...base, kind: 'unspecified' };
    const dictIndex = die.num(AT.go_dict_index);
    if (dictIndex === undefined) {
      // The linker's TYPEDECL: a typedef carrying the same name as what it points at.
      const target = T(targetOffset);
      if (target.name === base.name) return target;
      return {
        ...base,
        size: target.size,
        kind: 'typedef',
        targetOffset,
        get target() {
          return T(targetOffset);
        },
      };
    }
    return {
      ...base,
      kind: 'typedef',
      targetOffset,
      dictIndex,
      get size() {
        return T(targetOffset).size;
      },
      get target() {
        return T(targetOffset);
      },
    };
  }

  private fields(die: Die): StructField[] {
    const T = (o: number): GoType => this.type(o);
    const out: StructField[] = [];
    for (const c of die.children) {
      if (c.tag !== TAG.member) continue;
      const typeOffset = c.get(AT.type);
      if (typeof typeOffset !== 'number') throw new DecodeError('.debug_info', c.offset, 'member without a type');
      const loc = c.get(AT.data_member_location);
      out.push({
        name: c.name ?? '',
        offset: typeof loc === 'number' ? loc : 0,
        embedded: c.flag(AT.go_embedded_field),
        typeOffset,
        get type() {
          return T(typeOffset);
        },
      });
    }
    return out;
  }
}

function isEface(layout: GoType): boolean {
  if (layout.name === 'runtime.eface') return true;
  if (layout.name === 'runtime.iface') return false;
  return layout.kind === 'struct' && layout.fields[0]?.name === '_type';
}

function sliceElemFromArray(loader: TypeLoader, fields: StructField[], offset: number): number {
  const arr = fields.find((f) => f.name === 'array');
  const t = arr ? loader.type(arr.typeOffset) : undefined;
  if (t?.kind === 'pointer') return t.elemOffset;
  throw new DecodeError('.debug_info', offset, 'slice type without an element type');
}

/** Follows non-transparent typedefs (generic shapes) to the underlying type. */
export function underlying(t: GoType): GoType {
  let cur = t;
  for (let i = 0; i < 64 && cur.kind === 'typedef'; i++) cur = cur.target;
  return cur;
}
