/**
 * The test a goroutine runs in a test binary: its full name ("TestTable/case_2",
 * as `go test -run` matches it), read from the *testing.T argument of the
 * testing.tRunner frame on the goroutine's stack (`t.name`). Used to name
 * goroutines in the thread list and for `$test` in breakpoint conditions.
 * A goroutine's test never changes (goroutine ids are not reused), so each is
 * read once per session.
 */
import { evaluate } from '../eval/evaluator.js';
import { frameEvalScope, ScopeCache } from '../eval/scope.js';
import { ValueReader } from '../values/valueReader.js';
import type { Program } from './program.js';
import { frameInfo } from './stack/frames.js';

const T_RUNNER = 'testing.tRunner';
const MAX_NAME = 4096;

export class TestNames {
  private readonly names = new Map<number, string | null>();
  private scopes?: ScopeCache;
  private testBinary?: boolean;

  constructor(private readonly program: Program) {}

  /** The full name of the test goroutine `id` (a DAP thread id) runs, or undefined. */
  of(id: number): string | undefined {
    this.testBinary ??= this.program.symbols.funcByName(T_RUNNER) !== undefined && this.program.symbols.dwarf !== undefined;
    if (!this.testBinary) return undefined;
    let n = this.names.get(id);
    if (n === undefined) {
      n = this.read(id);
      // Kept when known (a name, or null: no test); a stack that could not be read is tried again.
      if (n !== undefined) this.names.set(id, n);
    }
    return n ?? undefined;
  }

  /** The name; null when the goroutine runs no test; undefined when its stack cannot be read now. */
  private read(id: number): string | null | undefined {
    const p = this.program;
    const dw = p.symbols.dwarf!;
    let frames: ReturnType<Program['stackTrace']>;
    try {
      frames = p.stackTrace(id);
    } catch {
      return undefined;
    }
    const k = frames.findIndex((f) => f.funcName === T_RUNNER);
    if (k < 0) return null;
    const f = frameInfo(p, id, k);
    if (!f) return null;
    const reader = new ValueReader({
      mem: p,
      dwarf: dw,
      funcName: (pc) => p.symbols.funcForPC(pc)?.name,
      funcEntry: (name) => p.symbols.funcByName(name)?.entry,
    });
    try {
      this.scopes ??= new ScopeCache(dw);
      const r = evaluate(frameEvalScope(reader, this.scopes, f, f.funcName), 't.name');
      if (r.k !== 'val') return null;
      return new TextDecoder().decode(reader.stringBytes(r.v, MAX_NAME).bytes);
    } catch {
      return null; // not a *testing.T we can read: no name
    }
  }
}

/**
 * `text` with every `$test` outside string and rune literals replaced by the
 * Go string literal of `name`: the pseudo-variable of breakpoint conditions
 * and logpoints (see BreakpointExpressions).
 */
export function withTestName(text: string, name: string): string {
  if (!text.includes('$test')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      const end = literalEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (c === '$' && text.startsWith('$test', i) && !/[\p{L}\p{N}_]/u.test(text[i + 5] ?? '')) {
      out += JSON.stringify(name);
      i += 4;
    } else out += c;
  }
  return out;
}

/** The index just past the literal that opens at `i` (the text's end when it is not closed). */
function literalEnd(text: string, i: number): number {
  const q = text[i]!;
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\' && q !== '`') j++;
    else if (text[j] === q) return j + 1;
  }
  return text.length;
}
