/**
 * The identifiers of Go source whose values are worth showing inline while
 * stopped: every identifier in code (not in comments, strings or runes) that
 * could name a variable. Left out: keywords, predeclared identifiers (types,
 * builtins, true/false/nil/iota), selectors after `.` (fields, methods,
 * package members), package names before `.`, keys of composite literals
 * (`point{X: 1}`) and labels, and the name of a declared func.
 * No `vscode` import here, so it is unit-tested under node.
 */

/** An identifier's place: 0-based line, 0-based UTF-16 columns [start, end). */
export interface IdentifierAt {
  line: number;
  start: number;
  end: number;
  name: string;
}

const KEYWORDS = new Set(
  'break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var'.split(
    ' ',
  ),
);

// Predeclared: a local may shadow one, but showing `len = …` for every call is noise.
const PREDECLARED = new Set(
  (
    'any bool byte comparable complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr ' +
    'true false iota nil append cap clear close complex copy delete imag len make max min new panic print println real recover'
  ).split(' '),
);

type Token = { kind: 'ident'; line: number; start: number; end: number; name: string } | { kind: 'punct'; text: string; line: number };

const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{Nd}_]/u;

/** Identifiers and punctuation of `lines`, comments and literals removed (block comments and raw strings may span lines). */
function tokenize(lines: readonly string[]): Token[] {
  const out: Token[] = [];
  let inBlockComment = false;
  let inRawString = false;
  for (let ln = 0; ln < lines.length; ln++) {
    const s = lines[ln];
    let i = 0;
    while (i < s.length) {
      if (inBlockComment) {
        const e = s.indexOf('*/', i);
        if (e < 0) break;
        inBlockComment = false;
        i = e + 2;
        continue;
      }
      if (inRawString) {
        const e = s.indexOf('`', i);
        if (e < 0) break;
        inRawString = false;
        i = e + 1;
        continue;
      }
      const c = s[i];
      if (c === '/' && s[i + 1] === '/') break;
      if (c === '/' && s[i + 1] === '*') {
        inBlockComment = true;
        i += 2;
        continue;
      }
      if (c === '`') {
        inRawString = true;
        i++;
        continue;
      }
      if (c === '"' || c === "'") {
        // Interpreted string or rune: to the closing quote on this line, past escapes.
        i++;
        while (i < s.length && s[i] !== c) i += s[i] === '\\' ? 2 : 1;
        i++;
        continue;
      }
      if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(s[i + 1] ?? ''))) {
        // A number (0x1F, 1e9, 1_000, 0.5i): its letters are not identifiers.
        i++;
        while (i < s.length && (/[0-9A-Za-z_.]/.test(s[i]) || (/[eEpP]/.test(s[i - 1]) && /[+-]/.test(s[i])))) i++;
        continue;
      }
      const cp = s.codePointAt(i) ?? 0;
      const ch = String.fromCodePoint(cp);
      if (IDENT_START.test(ch)) {
        const start = i;
        i += ch.length;
        for (;;) {
          const n = s.codePointAt(i);
          if (n === undefined) break;
          const nc = String.fromCodePoint(n);
          if (!IDENT_PART.test(nc)) break;
          i += nc.length;
        }
        out.push({ kind: 'ident', line: ln, start, end: i, name: s.slice(start, i) });
        continue;
      }
      if (c === ':' && s[i + 1] === '=') {
        out.push({ kind: 'punct', text: ':=', line: ln });
        i += 2;
        continue;
      }
      if (!/\s/.test(c)) out.push({ kind: 'punct', text: c, line: ln });
      i++;
    }
  }
  return out;
}

/** Package names the file imports (`import "a/b/c"` → c, `import x "a/b"` → x); blank and dot imports give none. */
export function importedPackageNames(lines: readonly string[]): Set<string> {
  const names = new Set<string>();
  const spec = /^\s*(?:([\p{L}_][\p{L}\p{Nd}_]*|\.)\s+)?"([^"]+)"/u;
  const add = (m: RegExpExecArray | null) => {
    if (!m) return;
    if (m[1] === '.' || m[1] === '_') return;
    if (m[1]) names.add(m[1]);
    else {
      // The last element of the path; a "/vN" major-version suffix names the element before it.
      const parts = m[2].split('/');
      let last = parts[parts.length - 1];
      if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
      names.add(last.replace(/^go-/, '').replace(/[^\p{L}\p{Nd}_].*$/u, ''));
    }
  };
  let inBlock = false;
  for (const line of lines) {
    if (inBlock) {
      if (/^\s*\)/.test(line)) inBlock = false;
      else add(spec.exec(line));
      continue;
    }
    const m = /^import\s*(\(?)(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === '(') inBlock = !/\)\s*$/.test(m[2]);
    else add(spec.exec(m[2]));
  }
  return names;
}

/**
 * The variable-like identifiers of `lines` within lines [fromLine, toLine]
 * (0-based, inclusive). The whole text is scanned so comments and raw strings
 * that begin above `fromLine` are known.
 */
export function variableIdentifiers(lines: readonly string[], fromLine: number, toLine: number): IdentifierAt[] {
  const packages = importedPackageNames(lines);
  const tokens = tokenize(lines);
  const out: IdentifierAt[] = [];
  const brackets: string[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'punct') {
      if (t.text === '(' || t.text === '[' || t.text === '{') brackets.push(t.text);
      else if (t.text === ')' || t.text === ']' || t.text === '}') brackets.pop();
      continue;
    }
    if (t.line < fromLine || t.line > toLine) continue;
    if (KEYWORDS.has(t.name) || PREDECLARED.has(t.name) || t.name === '_') continue;
    const prev = tokens[k - 1];
    const next = tokens[k + 1];
    if (prev?.kind === 'punct' && prev.text === '.') continue; // a field, method or package member
    if (prev?.kind === 'ident' && (prev.name === 'func' || prev.name === 'package')) continue; // func name(…), package name
    if (prev?.kind === 'ident' && (prev.name === 'goto' || prev.name === 'break' || prev.name === 'continue')) continue; // a label
    if (prev?.kind === 'punct' && prev.text === ')' && next?.kind === 'punct' && next.text === '(' && tokenBefore(tokens, k, 'func')) continue; // a method's name
    if (next?.kind === 'punct' && next.text === '.' && packages.has(t.name)) continue; // fmt.Println
    if (next?.kind === 'punct' && next.text === ':') {
      // `point{X: 1}` (a key) or `loop:` (a label); `a[i:j]` and `case x:` keep theirs.
      const isKey = brackets[brackets.length - 1] === '{' && prev?.kind === 'punct' && (prev.text === '{' || prev.text === ',');
      const isLabel = prev === undefined || prev.line !== t.line;
      if (isKey || isLabel) continue;
    }
    out.push({ line: t.line, start: t.start, end: t.end, name: t.name });
  }
  return out;
}

/** True when the `func` keyword starts the receiver list that ends just before tokens[k]. */
function tokenBefore(tokens: readonly Token[], k: number, keyword: string): boolean {
  let depth = 0;
  for (let j = k - 1; j >= 0; j--) {
    const t = tokens[j];
    if (t.kind === 'punct' && t.text === ')') depth++;
    else if (t.kind === 'punct' && t.text === '(') {
      depth--;
      if (depth === 0) {
        const before = tokens[j - 1];
        return before?.kind === 'ident' && before.name === keyword;
      }
    }
  }
  return false;
}

/**
 * The first line of the function around `line` (0-based): the nearest line at
 * or above it that begins a top-level `func`, or 0. Inline values start there,
 * so names of an earlier function never show.
 */
export function enclosingFuncStart(lines: readonly string[], line: number): number {
  for (let l = Math.min(line, lines.length - 1); l >= 0; l--) if (/^func\b/.test(lines[l])) return l;
  return 0;
}
