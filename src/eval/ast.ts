/** Syntax tree of Go expressions and type expressions (positions are 0-based offsets into the source). */

interface Node {
  pos: number;
  end: number;
}

export type Expr =
  | (Node & { k: 'ident'; name: string })
  | (Node & { k: 'int'; value: bigint })
  | (Node & { k: 'float'; value: number })
  | (Node & { k: 'imag'; value: number })
  | (Node & { k: 'rune'; value: bigint })
  | (Node & { k: 'string'; value: Uint8Array })
  | (Node & { k: 'paren'; x: Expr })
  | (Node & { k: 'selector'; x: Expr; name: string })
  | (Node & { k: 'index'; x: Expr; index: Expr })
  | (Node & { k: 'slice'; x: Expr; lo?: Expr; hi?: Expr; max?: Expr })
  | (Node & { k: 'assert'; x: Expr; type: TypeExpr })
  | (Node & { k: 'call'; fn: Expr | TypeExpr; args: Expr[] /** `f(xs...)` */; dots?: boolean })
  /** `T{…}`; `type` is absent for an element whose type the enclosing literal gives (`[]T{{1, 2}}`). */
  | (Node & { k: 'composite'; type?: TypeExpr; elems: LiteralElem[] })
  /** A type literal in parentheses, as the operand of a conversion: `(*[5]byte)(p)`, `(*interface {})(p)`. */
  | (Node & { k: 'type'; type: TypeExpr })
  | (Node & { k: 'unary'; op: UnaryOp; x: Expr })
  | (Node & { k: 'binary'; op: BinaryOp; x: Expr; y: Expr });

/** One element of a composite literal: `value`, or `key: value` (a field name, an index, a map key). */
export interface LiteralElem {
  key?: Expr;
  value: Expr;
}

export type UnaryOp = '-' | '+' | '!' | '^' | '*' | '&';
export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '|' | '^' | '*' | '/' | '%' | '<<' | '>>' | '&' | '&^';

/** Type syntax, in conversions and type assertions. */
export type TypeExpr =
  | (Node & { k: 'typeName'; name: string })
  | (Node & { k: 'pointerType'; elem: TypeExpr })
  | (Node & { k: 'sliceType'; elem: TypeExpr })
  /** `len` is -1 for `[...]T`, which only a composite literal may use. */
  | (Node & { k: 'arrayType'; len: bigint; elem: TypeExpr })
  | (Node & { k: 'mapType'; key: TypeExpr; elem: TypeExpr })
  | (Node & { k: 'chanType'; dir: 'both' | 'send' | 'recv'; elem: TypeExpr })
  | (Node & { k: 'interfaceType' })
  | (Node & { k: 'structType' });

export function isTypeExpr(n: Expr | TypeExpr): n is TypeExpr {
  return n.k.endsWith('Type') || n.k === 'typeName';
}

/** Go's spelling of a type expression, as the linker names types in DWARF ("*main.T", "[]int", "map[string]int"). */
export function typeString(t: TypeExpr): string {
  switch (t.k) {
    case 'typeName':
      return t.name;
    case 'pointerType':
      return `*${typeString(t.elem)}`;
    case 'sliceType':
      return `[]${typeString(t.elem)}`;
    case 'arrayType':
      return `[${t.len < 0n ? '...' : t.len}]${typeString(t.elem)}`;
    case 'mapType':
      return `map[${typeString(t.key)}]${typeString(t.elem)}`;
    case 'chanType':
      return `${t.dir === 'recv' ? '<-chan' : t.dir === 'send' ? 'chan<-' : 'chan'} ${typeString(t.elem)}`;
    case 'interfaceType':
      return 'interface {}';
    case 'structType':
      return 'struct {}';
  }
}
