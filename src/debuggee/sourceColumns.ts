/**
 * Columns on a line of Go source. Go's line tables (pclntab and DWARF
 * .debug_line as the Go linker writes it) carry lines only, every column is
 * 0; so where a statement or a call starts on a line is read from the source
 * text. The scanner knows what can hide a name or a bracket from it: string
 * literals ("…" with escapes, `…` raw strings), rune literals ('…'), `//` and
 * `/* … *\/` comments. It works on one line: a raw string or a block comment
 * begun on an earlier line is not known (the columns of such a line may be
 * wrong; the lines themselves never are).
 *
 * Columns are 1-based and count UTF-16 code units, as JavaScript strings and
 * the DAP do.
 */
import { readFileSync, statSync } from 'node:fs';

/** A call on the line: `name(` with its arguments. */
export interface CallToken {
  /** The called name (`Println` for `fmt.Println(…)`), or `func` for a function literal called in place. */
  name: string;
  /** Column where the callee expression starts (`fmt` of `fmt.Println`). */
  column: number;
  /** Column just after its closing parenthesis (the line's end + 1 when it closes on a later line). */
  endColumn: number;
}

/** A function literal (`func(…) … {`) on the line. */
export interface FuncLiteral {
  /** Column of its `func` keyword. */
  column: number;
  /** Column of the first token of its body, when the body has one on this line. */
  bodyColumn?: number;
}

export interface LineColumns {
  /** Column of the line's first token (undefined for a blank or comment-only line). */
  first?: number;
  /** Calls in the order Go evaluates them: arguments before the call (by closing parenthesis). */
  calls: CallToken[];
  /** Function literals in source order. */
  funcLiterals: FuncLiteral[];
}

const KEYWORDS = new Set([
  'break',
  'case',
  'chan',
  'const',
  'continue',
  'default',
  'defer',
  'else',
  'fallthrough',
  'for',
  'func',
  'go',
  'goto',
  'if',
  'import',
  'interface',
  'map',
  'package',
  'range',
  'return',
  'select',
  'struct',
  'switch',
  'type',
  'var',
]);

interface Token {
  kind: 'ident' | 'punct' | 'literal';
  text: string;
  /** 0-based index in the line. */
  at: number;
}

const isIdentStart = (c: string) => /[A-Za-z_]/.test(c) || c > '\u007f';
const isIdentPart = (c: string) => /[A-Za-z0-9_]/.test(c) || c > '\u007f';

/** The tokens of one line, strings, runes and comments skipped (literals kept as one token). */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      break;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) break;
      i = end + 2;
    } else if (c === '"' || c === "'") {
      const start = i++;
      while (i < text.length && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
      i++;
      out.push({ kind: 'literal', text: text.slice(start, i), at: start });
    } else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      out.push({ kind: 'literal', text: '`', at: i });
      i = end < 0 ? text.length : end + 1;
    } else if (isIdentStart(c)) {
      const start = i;
      while (i < text.length && isIdentPart(text[i]!)) i++;
      out.push({ kind: 'ident', text: text.slice(start, i), at: start });
    } else if (/[0-9]/.test(c)) {
      const start = i;
      while (i < text.length && /[0-9A-Za-z_.]/.test(text[i]!)) i++;
      out.push({ kind: 'literal', text: text.slice(start, i), at: start });
    } else {
      out.push({ kind: 'punct', text: c, at: i });
      i++;
    }
  }
  return out;
}

/** Where calls, function literals and the first statement are on one line of Go source. */
export function scanLine(text: string): LineColumns {
  const toks = tokenize(text);
  const calls: (CallToken & { closeAt: number })[] = [];
  const funcLiterals: FuncLiteral[] = [];
  // Open parentheses, each with the call it begins (or none for grouping and signatures).
  const parens: ({ call: CallToken & { closeAt: number } } | { call: undefined })[] = [];
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (t.kind === 'ident' && t.text === 'func') {
      // A declaration starts its line at column 1; anything else is a literal.
      if (k === 0 && t.at === 0) continue;
      funcLiterals.push(literalAt(toks, k));
      continue;
    }
    if (t.kind !== 'punct') continue;
    if (t.text === '(') {
      const prev = toks[k - 1];
      let call: (CallToken & { closeAt: number }) | undefined;
      if (prev?.kind === 'ident' && !KEYWORDS.has(prev.text)) {
        call = { name: prev.text, column: selectorStart(toks, k - 1) + 1, endColumn: text.length + 1, closeAt: Number.POSITIVE_INFINITY };
      } else if (prev?.kind === 'punct' && prev.text === '}') {
        const lit = funcLiterals[funcLiterals.length - 1];
        if (lit) call = { name: 'func', column: lit.column, endColumn: text.length + 1, closeAt: Number.POSITIVE_INFINITY };
      }
      if (call) calls.push(call);
      parens.push({ call });
    } else if (t.text === ')') {
      const open = parens.pop();
      if (open?.call) {
        open.call.endColumn = t.at + 2;
        open.call.closeAt = t.at;
      }
    }
  }
  // Go evaluates a call's arguments before the call, left to right: calls end in that order.
  const ordered = calls
    .map((c, i) => ({ c, i }))
    .sort((a, b) => a.c.closeAt - b.c.closeAt || a.i - b.i)
    .map(({ c }) => ({ name: c.name, column: c.column, endColumn: c.endColumn }));
  return { first: toks[0] ? toks[0].at + 1 : undefined, calls: ordered, funcLiterals };
}

/** Index (0-based) where the selector chain ending at token k begins: `a.b.c` → a. */
function selectorStart(toks: Token[], k: number): number {
  let j = k;
  while (j >= 2 && toks[j - 1]!.text === '.' && toks[j - 2]!.kind === 'ident') j -= 2;
  return toks[j]!.at;
}

/** The literal whose `func` keyword is token k: its body is the first `{` outside its signature's parentheses. */
function literalAt(toks: Token[], k: number): FuncLiteral {
  const lit: FuncLiteral = { column: toks[k]!.at + 1 };
  let depth = 0;
  for (let j = k + 1; j < toks.length; j++) {
    const t = toks[j]!;
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') depth--;
    else if (t.text === '{' && depth === 0) {
      // `struct{…}` and `interface{…}` in a result type are not the body.
      const prev = toks[j - 1];
      if (prev?.text === 'struct' || prev?.text === 'interface') {
        let d = 0;
        for (; j < toks.length; j++) {
          if (toks[j]!.text === '{') d++;
          else if (toks[j]!.text === '}' && --d === 0) break;
        }
        continue;
      }
      const body = toks[j + 1];
      if (body && body.text !== '}') lit.bodyColumn = body.at + 1;
      return lit;
    }
  }
  return lit;
}

const fileCache = new Map<string, { mtimeMs: number; lines: string[] }>();

/** Line `line` (1-based) of the source file at `path`, or undefined when it cannot be read. */
export function sourceLine(path: string, line: number): string | undefined {
  try {
    const { mtimeMs } = statSync(path);
    let f = fileCache.get(path);
    if (!f || f.mtimeMs !== mtimeMs) {
      f = { mtimeMs, lines: readFileSync(path, 'utf8').split('\n') };
      fileCache.set(path, f);
    }
    return f.lines[line - 1];
  } catch {
    return undefined;
  }
}
