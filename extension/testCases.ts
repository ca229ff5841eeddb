/**
 * The tests of a Go test file, for the "debug test" code lenses: each
 * `func TestXxx(t *testing.T)` and each `t.Run("literal", …)` inside one,
 * with the `-test.run` pattern that runs exactly it. Subtest names are
 * rewritten as the testing package does (spaces become underscores), and
 * every path element is anchored and regexp-quoted, so `TestTable/case 2`
 * runs as `^TestTable$/^case_2$`. Plain text scanning: comments and strings
 * other than the t.Run name are skipped, nesting is followed by braces.
 */

export interface TestCase {
  /** Full name, as the testing package reports it ("TestTable/case_2"). */
  name: string;
  /** 0-based line of the func or the t.Run call. */
  line: number;
  /** The `-test.run` value that selects exactly this test. */
  pattern: string;
}

const TEST_FUNC = /^func\s+(Test[\p{Lu}\p{N}_][\p{L}\p{N}_]*|Test)\s*\(\s*(\w+)\s+\*testing\.T\s*\)/u;

/** The tests and literal-named subtests of a `_test.go` file's text. */
export function testCases(text: string): TestCase[] {
  const lines = text.split(/\r?\n/);
  const out: TestCase[] = [];
  let current: { name: string; depth: number; runners: { variable: string; name: string; depth: number }[] } | undefined;
  let depth = 0;
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const m = !inComment && depth === 0 ? TEST_FUNC.exec(raw) : null;
    if (m) {
      current = { name: m[1]!, depth: 0, runners: [{ variable: m[2]!, name: m[1]!, depth: 0 }] };
      out.push({ name: m[1]!, line: i, pattern: patternOf([m[1]!]) });
    }
    const code = stripped(raw, inComment);
    inComment = code.inComment;
    if (current) {
      for (const r of code.runs) {
        const parent = [...current.runners].reverse().find((x) => x.variable === r.receiver && x.depth <= depth);
        if (!parent) continue;
        const name = `${parent.name}/${rewrite(r.name)}`;
        out.push({ name, line: i, pattern: patternOf(name.split('/')) });
        if (r.param) current.runners.push({ variable: r.param, name, depth: depth + 1 });
      }
    }
    for (const c of code.text) {
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (current) current.runners = current.runners.filter((x) => x.depth <= depth);
        if (depth === 0) current = undefined;
      }
    }
  }
  return out;
}

/** The testing package's subtest name rewrite: spaces become underscores, unprintable runes are quoted. */
function rewrite(name: string): string {
  let s = '';
  for (const ch of name) {
    if (/\s/u.test(ch)) s += '_';
    else if (/\p{C}/u.test(ch)) s += JSON.stringify(ch).slice(1, -1);
    else s += ch;
  }
  return s;
}

function patternOf(parts: string[]): string {
  return parts.map((p) => `^${p.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&')}$`).join('/');
}

interface Stripped {
  /** The line's code with strings, runes and comments blanked out. */
  text: string;
  inComment: boolean;
  /** `x.Run("name", func(y *testing.T)` calls on the line. */
  runs: { receiver: string; name: string; param?: string }[];
}

function stripped(line: string, inComment: boolean): Stripped {
  const runs: Stripped['runs'] = [];
  const runRe = /(\w+)\.Run\(\s*"((?:[^"\\]|\\.)*)"\s*,\s*(?:func\s*\(\s*(\w+)\s+\*testing\.T\s*\))?/g;
  for (const m of line.matchAll(runRe)) {
    if (inComment || isInCommentOrString(line, m.index!)) continue;
    let name: string;
    try {
      name = JSON.parse(`"${m[2]}"`) as string;
    } catch {
      name = m[2]!;
    }
    runs.push({ receiver: m[1]!, name, param: m[3] });
  }
  let text = '';
  for (let i = 0; i < line.length; i++) {
    if (inComment) {
      if (line.startsWith('*/', i)) {
        inComment = false;
        i++;
      }
      continue;
    }
    const c = line[i]!;
    if (line.startsWith('//', i)) break;
    if (line.startsWith('/*', i)) {
      inComment = true;
      i++;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const q = c;
      for (i++; i < line.length && line[i] !== q; i++) if (line[i] === '\\' && q !== '`') i++;
      continue;
    }
    text += c;
  }
  return { text, inComment, runs };
}

function isInCommentOrString(line: string, at: number): boolean {
  const before = stripped(line.slice(0, at), false);
  return before.inComment || line.slice(0, at).split('"').length % 2 === 0 || line.slice(0, at).includes('//');
}
