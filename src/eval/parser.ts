/**
 * A recursive-descent parser for Go expressions (the Go spec's Expression
 * grammar without function literals and method calls), with type syntax
 * where Go allows it in expressions: conversions `T(x)`, `(*T)(x)`,
 * `[]byte(s)`, composite literals `T{…}`, `[]T{…}`, `[...]T{…}`,
 * `map[K]V{…}`, type assertions `x.(T)` and `x.(type)`.
 */
import type { BinaryOp, Expr, LiteralElem, TypeExpr, UnaryOp } from './ast.js';
import { EvalError } from './errors.js';
import { tokenize, type Token } from './lexer.js';

const PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 3,
  '<=': 3,
  '>': 3,
  '>=': 3,
  '+': 4,
  '-': 4,
  '|': 4,
  '^': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  '<<': 5,
  '>>': 5,
  '&': 5,
  '&^': 5,
};

const UNARY = new Set(['-', '+', '!', '^', '*', '&']);

function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of expression';
  if (t.kind === 'op') return `'${t.text}'`;
  return `${t.kind === 'ident' ? 'name' : 'literal'} ${t.text}`;
}

/** Parses one expression; throws EvalError("… at column N") on bad syntax. */
export function parseExpression(src: string): Expr {
  const p = new Parser(src);
  const e = p.expr();
  p.expectEnd();
  return e;
}

class Parser {
  private readonly toks: Token[];
  private i = 0;

  constructor(private readonly src: string) {
    if (src.trim() === '') throw new EvalError('empty expression', 0);
    this.toks = tokenize(src);
  }

  private get tok(): Token {
    return this.toks[this.i]!;
  }
  private next(): Token {
    return this.toks[this.i++]!;
  }
  private isOp(text: string): boolean {
    return this.tok.kind === 'op' && this.tok.text === text;
  }
  private fail(what: string, t: Token = this.tok): never {
    throw new EvalError(`${what}, found ${describe(t)} at column ${t.pos + 1}`, t.pos);
  }
  private expect(text: string): Token {
    if (!this.isOp(text)) this.fail(`expected '${text}'`);
    return this.next();
  }

  expectEnd(): void {
    if (this.tok.kind !== 'eof') this.fail('unexpected text after the expression');
  }

  expr(minPrec = 1): Expr {
    let x = this.unary();
    for (;;) {
      const t = this.tok;
      const prec = t.kind === 'op' ? PRECEDENCE[t.text] : undefined;
      if (prec === undefined || prec < minPrec) return x;
      this.next();
      const y = this.expr(prec + 1);
      x = { k: 'binary', op: t.text as BinaryOp, x, y, pos: x.pos, end: y.end };
    }
  }

  private unary(): Expr {
    const t = this.tok;
    if (t.kind === 'op' && UNARY.has(t.text)) {
      this.next();
      const x = this.unary();
      return { k: 'unary', op: t.text as UnaryOp, x, pos: t.pos, end: x.end };
    }
    if (t.kind === 'op' && t.text === '<-') this.fail('channel receive is not supported');
    return this.primary();
  }

  private primary(): Expr {
    let x = this.operand();
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        if (this.isOp('(')) {
          this.next();
          if (this.tok.kind === 'ident' && this.tok.text === 'type') {
            const kw = this.next();
            const close = this.expect(')');
            x = { k: 'assert', x, type: { k: 'typeName', name: 'type', pos: kw.pos, end: kw.end }, pos: x.pos, end: close.end };
            continue;
          }
          const type = this.type();
          const close = this.expect(')');
          x = { k: 'assert', x, type, pos: x.pos, end: close.end };
          continue;
        }
        const name = this.tok;
        if (name.kind !== 'ident') this.fail('expected a field name or ( after .');
        this.next();
        x = { k: 'selector', x, name: name.text, pos: x.pos, end: name.end };
      } else if (this.isOp('[')) {
        const generic = literalType(x) && this.genericLiteral(x);
        if (generic) {
          x = generic;
          continue;
        }
        this.next();
        let lo: Expr | undefined;
        if (!this.isOp(':')) lo = this.expr();
        if (this.isOp(']')) {
          if (!lo) this.fail('expected an index');
          const close = this.next();
          x = { k: 'index', x, index: lo, pos: x.pos, end: close.end };
          continue;
        }
        if (!this.isOp(':')) this.fail("expected ']'");
        this.next();
        let hi: Expr | undefined;
        let max: Expr | undefined;
        if (!this.isOp(']') && !this.isOp(':')) hi = this.expr();
        if (this.isOp(':')) {
          if (!hi) this.fail('middle index required in 3-index slice');
          this.next();
          if (this.isOp(']')) this.fail('final index required in 3-index slice');
          max = this.expr();
        }
        const close = this.expect(']');
        x = { k: 'slice', x, lo, hi, max, pos: x.pos, end: close.end };
      } else if (this.isOp('(')) {
        this.next();
        const args: Expr[] = [];
        while (!this.isOp(')')) {
          args.push(this.expr());
          if (!this.isOp(',')) break;
          this.next();
        }
        // `f(xs...)`: the last argument is the variadic parameter's slice.
        const dots = args.length > 0 && this.isOp('...');
        if (dots) {
          this.next();
          if (this.isOp(',')) this.next();
        }
        const close = this.expect(')');
        x = { k: 'call', fn: x, args, pos: x.pos, end: close.end, ...(dots ? { dots } : {}) };
      } else if (this.isOp('{')) {
        const type = literalType(x);
        if (!type) this.fail('a composite literal needs a type before {');
        x = this.literalBody(type);
      } else return x;
    }
  }

  private operand(): Expr {
    const t = this.tok;
    switch (t.kind) {
      case 'ident':
        if (t.text === 'func') this.fail('function literals are not supported');
        if (t.text === 'map' || t.text === 'chan' || t.text === 'interface' || t.text === 'struct') return this.typeOperand();
        this.next();
        return { k: 'ident', name: t.text, pos: t.pos, end: t.end };
      case 'int':
        this.next();
        return { k: 'int', value: t.int!, pos: t.pos, end: t.end };
      case 'float':
        this.next();
        return { k: 'float', value: t.float!, pos: t.pos, end: t.end };
      case 'imag':
        this.next();
        return { k: 'imag', value: t.float!, pos: t.pos, end: t.end };
      case 'rune':
        this.next();
        return { k: 'rune', value: t.int!, pos: t.pos, end: t.end };
      case 'string':
        this.next();
        return { k: 'string', value: t.bytes!, pos: t.pos, end: t.end };
      case 'op':
        if (t.text === '(') {
          if (this.parenthesisedTypeLiteral()) {
            // `(*[5]byte)(p)`; but `([]int{1, 2})[0]` is a parenthesised literal: parse that as an expression.
            const saved = this.i;
            try {
              return this.parenConversion();
            } catch (e) {
              if (!(e instanceof EvalError)) throw e;
              this.i = saved;
            }
          }
          this.next();
          // `(*T)(x)` and `(T)(x)`: the parenthesised part may be a type; parse it as an expression
          // (`*T` reads as a dereference) and let the evaluator decide.
          const x = this.expr();
          const close = this.expect(')');
          return { k: 'paren', x, pos: t.pos, end: close.end };
        }
        if (t.text === '[') return this.typeOperand();
        break;
    }
    return this.fail('expected an operand');
  }

  /** After `(`: `*`… then `[`, `<-`, map, chan, interface or struct: a type literal such as `(*[5]byte)`, not an expression. */
  private parenthesisedTypeLiteral(): boolean {
    let j = this.i + 1;
    while (this.toks[j]?.kind === 'op' && this.toks[j]!.text === '*') j++;
    const t = this.toks[j];
    if (!t) return false;
    if (t.kind === 'op') return t.text === '[' || t.text === '<-';
    return t.kind === 'ident' && ['map', 'chan', 'interface', 'struct'].includes(t.text);
  }

  /** `(T)(x)` with a type literal T. */
  private parenConversion(): Expr {
    const open = this.next();
    const type = this.type();
    this.expect(')');
    if (!this.isOp('(')) this.fail(`a type (${this.src.slice(type.pos, type.end)}) must be followed by (value)`);
    this.next();
    const arg = this.expr();
    const close = this.expect(')');
    return { k: 'call', fn: type, args: [arg], pos: open.pos, end: close.end };
  }

  /** A type literal used as an operand: a composite literal `T{…}` or a conversion `T(x)`. */
  private typeOperand(): Expr {
    const type = this.type(true);
    if (this.isOp('{') && (type.k === 'arrayType' || type.k === 'sliceType' || type.k === 'mapType' || type.k === 'structType')) return this.literalBody(type);
    if (type.k === 'arrayType' && type.len < 0n) this.fail('[...] array type must be followed by {');
    // A bare type before `)` or `,`: a call argument (make([]int, 1), new([]int)) or a parenthesised type.
    if (this.isOp(')') || this.isOp(',')) return { k: 'type', type, pos: type.pos, end: type.end };
    if (!this.isOp('(')) this.fail(`a type (${this.src.slice(type.pos, type.end)}) must be followed by (value)`);
    this.next();
    const arg = this.expr();
    const close = this.expect(')');
    return { k: 'call', fn: type, args: [arg], pos: type.pos, end: close.end };
  }

  /** `{ elem, … }` of a composite literal of `type` (absent: an elided element type). */
  private literalBody(type: TypeExpr | undefined): Expr {
    const open = this.expect('{');
    const elems: LiteralElem[] = [];
    while (!this.isOp('}')) {
      const first = this.literalValue();
      if (this.isOp(':')) {
        this.next();
        elems.push({ key: first, value: this.literalValue() });
      } else elems.push({ value: first });
      if (!this.isOp(',')) break;
      this.next();
    }
    const close = this.expect('}');
    return { k: 'composite', type, elems, pos: type?.pos ?? open.pos, end: close.end };
  }

  private literalValue(): Expr {
    return this.isOp('{') ? this.literalBody(undefined) : this.expr();
  }

  type(literal = false): TypeExpr {
    const t = this.tok;
    if (this.isOp('*')) {
      this.next();
      const elem = this.type();
      return { k: 'pointerType', elem, pos: t.pos, end: elem.end };
    }
    if (this.isOp('(')) {
      this.next();
      const inner = this.type();
      this.expect(')');
      return inner;
    }
    if (this.isOp('[')) {
      this.next();
      if (this.isOp(']')) {
        this.next();
        const elem = this.type();
        return { k: 'sliceType', elem, pos: t.pos, end: elem.end };
      }
      if (literal && this.isOp('...')) {
        this.next();
        this.expect(']');
        const elem = this.type();
        return { k: 'arrayType', len: -1n, elem, pos: t.pos, end: elem.end };
      }
      const n = this.tok;
      if (n.kind !== 'int') this.fail('expected an array length');
      this.next();
      this.expect(']');
      const elem = this.type();
      return { k: 'arrayType', len: n.int!, elem, pos: t.pos, end: elem.end };
    }
    if (this.isOp('<-')) {
      this.next();
      if (!(this.tok.kind === 'ident' && this.tok.text === 'chan')) this.fail("expected 'chan'");
      this.next();
      const elem = this.type();
      return { k: 'chanType', dir: 'recv', elem, pos: t.pos, end: elem.end };
    }
    if (t.kind !== 'ident') this.fail('expected a type');
    this.next();
    switch (t.text) {
      case 'map': {
        this.expect('[');
        const key = this.type();
        this.expect(']');
        const elem = this.type();
        return { k: 'mapType', key, elem, pos: t.pos, end: elem.end };
      }
      case 'chan': {
        let dir: 'both' | 'send' = 'both';
        if (this.isOp('<-')) {
          this.next();
          dir = 'send';
        }
        const elem = this.type();
        return { k: 'chanType', dir, elem, pos: t.pos, end: elem.end };
      }
      case 'interface':
      case 'struct': {
        this.expect('{');
        const close = this.expect('}');
        return t.text === 'interface' ? { k: 'interfaceType', pos: t.pos, end: close.end } : { k: 'structType', pos: t.pos, end: close.end };
      }
    }
    // A possibly qualified name: main.T, or a package path in quotes is not Go syntax; keep pkg.T.
    let name = t.text;
    let end = t.end;
    if (this.isOp('.') && this.toks[this.i + 1]?.kind === 'ident') {
      this.next();
      const n2 = this.next();
      name += `.${n2.text}`;
      end = n2.end;
    }
    // Generic instantiation: Pair[string,int].
    if (this.isOp('[') && /^[\p{Lu}\p{L}_]/u.test(name) && this.looksLikeTypeArgs()) {
      this.next();
      const args: string[] = [];
      for (;;) {
        const a = this.type();
        args.push(this.src.slice(a.pos, a.end).replace(/\s+/g, ''));
        if (this.isOp(',')) {
          this.next();
          continue;
        }
        break;
      }
      const close = this.expect(']');
      name += `[${args.join(',')}]`;
      end = close.end;
    }
    return { k: 'typeName', name, pos: t.pos, end };
  }

  /**
   * At `[` after a name: `T[A, B]{…}`, a literal of an instantiated generic
   * type (its name spelled as DWARF spells it, arguments without spaces), or
   * `T[A, B]` alone, that type (as a conversion's); undefined (nothing read)
   * when the brackets are an index or a slice. `T[A](v)` parses as an index
   * and call: the evaluator tells a type from a value there.
   */
  private genericLiteral(x: Expr): Expr | undefined {
    // Only when `{` follows the matching `]`, or a comma is inside (no exception is made for an ordinary index).
    let depth = 0;
    let j = this.i;
    for (; j < this.toks.length; j++) {
      const t = this.toks[j]!;
      if (t.kind !== 'op') continue;
      if (t.text === '[') depth++;
      else if (t.text === ']' && --depth === 0) break;
    }
    const after = this.toks[j + 1];
    const literal = after?.kind === 'op' && after.text === '{';
    // `Pair[int, []string]` before anything else is a type (a conversion's, `(*Pair[int, []string])(p)`):
    // an index has no comma at its top level.
    if (!literal && !this.topLevelComma(this.i + 1, j)) return undefined;
    const saved = this.i;
    try {
      this.next();
      const args: string[] = [];
      for (;;) {
        const a = this.type();
        args.push(this.src.slice(a.pos, a.end).replace(/\s+/g, ''));
        if (!this.isOp(',')) break;
        this.next();
      }
      const close = this.expect(']');
      const type: TypeExpr = { k: 'typeName', name: `${literalType(x)!.name}[${args.join(',')}]`, pos: x.pos, end: close.end };
      return literal ? this.literalBody(type) : { k: 'type', type, pos: x.pos, end: close.end };
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
      this.i = saved;
      return undefined;
    }
  }

  /** Whether tokens from..to-1 hold a comma outside any brackets, parentheses or braces. */
  private topLevelComma(from: number, to: number): boolean {
    let depth = 0;
    for (let k = from; k < to; k++) {
      const t = this.toks[k]!;
      if (t.kind !== 'op') continue;
      if (t.text === '[' || t.text === '(' || t.text === '{') depth++;
      else if (t.text === ']' || t.text === ')' || t.text === '}') depth--;
      else if (t.text === ',' && depth === 0) return true;
    }
    return false;
  }

  /** After `Name[`: a type argument list rather than an index (only inside type syntax). */
  private looksLikeTypeArgs(): boolean {
    const t = this.toks[this.i + 1];
    return !!t && (t.kind === 'ident' || (t.kind === 'op' && (t.text === '*' || t.text === '[')));
  }
}

/** The type an operand names when `{` follows it: `T`, `pkg.T`. */
function literalType(x: Expr): Extract<TypeExpr, { k: 'typeName' }> | undefined {
  if (x.k === 'ident') return { k: 'typeName', name: x.name, pos: x.pos, end: x.end };
  if (x.k === 'selector' && x.x.k === 'ident') return { k: 'typeName', name: `${x.x.name}.${x.name}`, pos: x.pos, end: x.end };
  return undefined;
}
