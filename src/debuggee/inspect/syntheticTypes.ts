/**
 * The warm-up's Go types (warmUp.ts), decoded by the TypeLoader the program's
 * own types go through, from DIEs made here as Go's linker writes them: a
 * struct's fields and a pointer's target are the same getters, the objects
 * the same shapes, so the code a warm-up runs on them is the code (and the
 * inline caches) a request runs on the program's types; types built by hand
 * as plain objects had data properties where the decoder's have getters.
 * (No gain in eval.first was measurable from this alone on the loaded
 * machine of 1 Dec 2026.)
 *
 * The DIE offsets are negative: no cache keyed by offset can mistake these
 * types for the program's.
 */
import type { AttrSpec } from '../../dwarf/abbrev.js';
import { AT, ATE, GO_KIND, TAG } from '../../dwarf/constants.js';
import { type GoType, TypeLoader } from '../../dwarf/goTypes.js';
import { Die, type InfoReader, Unit } from '../../dwarf/info.js';

/** The forms are not read back: a value's JS type is what the decoder looks at. */
const FORM_ANY = 0;

class Dies {
  private readonly unit = new Unit(0, 0, 0, 4, 0x01, 8, 4, 0, 0);
  private readonly byOffset = new Map<number, Die>();
  private next = -2;

  /** A DIE with these attributes (and children): its offset. */
  add(tag: number, attrs: [number, number | string | boolean][], children: Die[] = []): number {
    const d = this.die(tag, attrs, children);
    this.byOffset.set(d.offset, d);
    return d.offset;
  }

  die(tag: number, attrs: [number, number | string | boolean][], children: Die[] = []): Die {
    const specs: AttrSpec[] = attrs.map(([at]) => ({ at, form: FORM_ANY, implicit: 0 }));
    const offset = this.next;
    this.next -= 2;
    const d = new Die(
      offset,
      this.unit,
      { code: 1, tag, hasChildren: children.length > 0, attrs: specs },
      attrs.map(([, v]) => v),
      offset,
    );
    for (const c of children) {
      c.parent = d;
      d.children.push(c);
    }
    return d;
  }

  member(name: string, type: number, offset: number): Die {
    return this.die(TAG.member, [
      [AT.name, name],
      [AT.type, type],
      [AT.data_member_location, offset],
      [AT.go_embedded_field, false],
    ]);
  }

  /** What TypeLoader reads: whole DIE trees by offset. */
  reader(): InfoReader {
    return {
      tree: (offset: number) => {
        const d = this.byOffset.get(offset);
        if (!d) throw new Error(`warm-up type DIE ${offset} missing`);
        return d;
      },
    } as unknown as InfoReader;
  }
}

export interface WarmTypes {
  int: GoType;
  float64: GoType;
  bool: GoType;
  string: GoType;
  ints: GoType;
  tags: GoType;
  leaf: GoType;
  leafPtr: GoType;
  node: GoType;
  /** map[int]int as Go 1.24+ lays it out (Swiss tables). */
  intMap: GoType;
}

/** The sizes intMap's parts have (syntheticTypes), by which the warm-up lays out its bytes. */
export const MAP_LAYOUT = { header: 48, table: 32, group: 136, slot: 16, slots: 8 } as const;

/**
 * int, float64, bool, string, []int, [2]string and two structs:
 * warmup.Leaf {Name string; N int; Ratio float64; Tags [2]string; Ok bool} (72 bytes) and
 * warmup.Node {Name string; A, B Leaf; P *Leaf; S []int} (192 bytes).
 */
export function syntheticTypes(): WarmTypes {
  const d = new Dies();
  const base = (name: string, size: number, encoding: number, kind: number) =>
    d.add(TAG.base_type, [
      [AT.name, name],
      [AT.byte_size, size],
      [AT.encoding, encoding],
      [AT.go_kind, kind],
      [AT.go_runtime_type, 0],
    ]);
  const pointer = (name: string, elem: number) =>
    d.add(TAG.pointer_type, [
      [AT.name, name],
      [AT.byte_size, 8],
      [AT.type, elem],
      [AT.go_kind, GO_KIND.Pointer],
      [AT.go_runtime_type, 0],
    ]);
  const struct = (name: string, size: number, kind: number, members: [string, number, number][], extra: [number, number][] = []) =>
    d.add(
      TAG.structure_type,
      [[AT.name, name], [AT.byte_size, size], [AT.go_kind, kind], [AT.go_runtime_type, 0], ...extra],
      members.map(([n, t, off]) => d.member(n, t, off)),
    );
  const array = (name: string, size: number, elem: number, count: number) =>
    d.add(
      TAG.array_type,
      [
        [AT.name, name],
        [AT.byte_size, size],
        [AT.type, elem],
        [AT.go_kind, GO_KIND.Array],
        [AT.go_runtime_type, 0],
      ],
      [d.die(TAG.subrange_type, [[AT.count, count]])],
    );
  const int = base('int', 8, ATE.signed, GO_KIND.Int);
  const uint8 = base('uint8', 1, ATE.unsigned, GO_KIND.Uint8);
  const float64 = base('float64', 8, ATE.float, GO_KIND.Float64);
  const bool = base('bool', 1, ATE.boolean, GO_KIND.Bool);
  const bytePtr = pointer('*uint8', uint8);
  const string = struct('string', 16, GO_KIND.String, [
    ['str', bytePtr, 0],
    ['len', int, 8],
  ]);
  const intPtr = pointer('*int', int);
  const ints = struct(
    '[]int',
    24,
    GO_KIND.Slice,
    [
      ['array', intPtr, 0],
      ['len', int, 8],
      ['cap', int, 16],
    ],
    [[AT.go_elem, int]],
  );
  const tags = array('[2]string', 32, string, 2);
  const leaf = struct('warmup.Leaf', 72, GO_KIND.Struct, [
    ['Name', string, 0],
    ['N', int, 16],
    ['Ratio', float64, 24],
    ['Tags', tags, 32],
    ['Ok', bool, 64],
  ]);
  const leafPtr = pointer('*warmup.Leaf', leaf);
  const node = struct('warmup.Node', 192, GO_KIND.Struct, [
    ['Name', string, 0],
    ['A', leaf, 16],
    ['B', leaf, 88],
    ['P', leafPtr, 160],
    ['S', ints, 168],
  ]);
  // map[int]int as the Go 1.24+ linker describes it: a typedef of *map<int,int> (internal/runtime/maps.Map's
  // fields), its directory of *table<int,int>, each table's groups of 8 slots behind a control word.
  const uint16 = base('uint16', 2, ATE.unsigned, GO_KIND.Uint16);
  const uint64 = base('uint64', 8, ATE.unsigned, GO_KIND.Uint64);
  const uintptr = base('uintptr', 8, ATE.unsigned, GO_KIND.Uintptr);
  const slot = struct('slot<int,int>', MAP_LAYOUT.slot, GO_KIND.Struct, [
    ['key', int, 0],
    ['elem', int, 8],
  ]);
  const slots = array('[8]slot<int,int>', MAP_LAYOUT.slot * MAP_LAYOUT.slots, slot, MAP_LAYOUT.slots);
  const group = struct('group<int,int>', MAP_LAYOUT.group, GO_KIND.Struct, [
    ['ctrl', uint64, 0],
    ['slots', slots, 8],
  ]);
  const groupRef = struct('groupReference<int,int>', 16, GO_KIND.Struct, [
    ['data', pointer('*group<int,int>', group), 0],
    ['lengthMask', uint64, 8],
  ]);
  const table = struct('table<int,int>', MAP_LAYOUT.table, GO_KIND.Struct, [
    ['used', uint16, 0],
    ['capacity', uint16, 2],
    ['growthLeft', uint16, 4],
    ['localDepth', uint8, 6],
    ['index', int, 8],
    ['groups', groupRef, 16],
  ]);
  const header = struct('map<int,int>', MAP_LAYOUT.header, GO_KIND.Struct, [
    ['used', uint64, 0],
    ['seed', uintptr, 8],
    ['dirPtr', pointer('**table<int,int>', pointer('*table<int,int>', table)), 16],
    ['dirLen', int, 24],
    ['globalDepth', uint8, 32],
    ['globalShift', uint8, 33],
    ['writing', uint8, 34],
    ['tombstonePossible', bool, 35],
    ['clearSeq', uint64, 40],
  ]);
  const intMap = d.add(TAG.typedef, [
    [AT.name, 'map[int]int'],
    [AT.type, pointer('*map<int,int>', header)],
    [AT.go_kind, GO_KIND.Map],
    [AT.go_key, int],
    [AT.go_elem, int],
    [AT.go_runtime_type, 0],
  ]);
  const loader = new TypeLoader(d.reader());
  const T = (o: number) => loader.type(o);
  return {
    int: T(int),
    float64: T(float64),
    bool: T(bool),
    string: T(string),
    ints: T(ints),
    tags: T(tags),
    leaf: T(leaf),
    leafPtr: T(leafPtr),
    node: T(node),
    intMap: T(intMap),
  };
}
