/**
 * Finds the module specifiers a TypeScript source names: `import … from`,
 * `export … from`, side-effect `import '…'` and dynamic `import('…')`, each
 * with its 1-based line. Comments are blanked first (keeping line breaks), so
 * an import quoted in a comment does not count.
 */
export interface ImportSite {
  specifier: string;
  line: number;
}

/** `source` with block and line comments replaced by spaces; strings, templates and regex literals kept. */
export function blankComments(source: string): string {
  let out = '';
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === "'" || c === '"' || c === '`') {
      const stop = endOfQuoted(source, i);
      out += source.slice(i, stop);
      i = stop;
    } else if (c === '/' && startsRegex(out)) {
      const stop = endOfRegex(source, i);
      out += source.slice(i, stop);
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Index just past the string or template literal that opens at `start` (template holes are skipped as text). */
function endOfQuoted(s: string, start: number): number {
  const q = s[start]!;
  let i = start + 1;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\') i += 2;
    else if (c === q) return i + 1;
    else if (c === '\n' && q !== '`') return i;
    else i++;
  }
  return s.length;
}

/** A `/` starts a regex literal when the code before it cannot end an operand. */
function startsRegex(before: string): boolean {
  const m = /(\S)\s*$/.exec(before);
  if (!m) return true;
  if (/[\w$)\]]/.test(m[1]!)) return /\b(return|typeof|case|do|else|in|of|void|yield|await)\s*$/.test(before);
  return true;
}

function endOfRegex(s: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '\n') return i;
    if (c === '/' && !inClass) return i + 1;
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    i++;
  }
  return s.length;
}

const STATIC = /^[ \t]*(?:import|export)\s+(?:type\s+)?[\w$\s,{}*]*?\bfrom\s*(['"])([^'"\n]+)\1/gm;
const BARE = /^[ \t]*import\s*(['"])([^'"\n]+)\1/gm;
const DYNAMIC = /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/** Every module specifier in `source`, in order of appearance. */
export function importsOf(source: string): ImportSite[] {
  const code = blankComments(source);
  const found: { at: number; specifier: string }[] = [];
  for (const re of [STATIC, BARE, DYNAMIC]) {
    for (const m of code.matchAll(re)) found.push({ at: m.index + m[0].length - m[2]!.length - 1, specifier: m[2]! });
  }
  found.sort((a, b) => a.at - b.at);
  return found.map(({ at, specifier }) => ({ specifier, line: lineAt(code, at) }));
}

function lineAt(s: string, index: number): number {
  let line = 1;
  for (let i = s.indexOf('\n'); i >= 0 && i < index; i = s.indexOf('\n', i + 1)) line++;
  return line;
}
