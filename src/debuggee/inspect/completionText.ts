/**
 * What the text before a debug-console cursor asks to complete: the word
 * typed so far (replaced by the completion) and, after a dot, the operand
 * whose fields, methods or package members are wanted. Offsets are in UTF-16
 * code units, as JavaScript strings and DAP count them.
 */

export interface CompletionSite {
  /** Offset in the text where the word being completed starts. */
  start: number;
  /** The part of the word before the cursor (what a completion replaces). */
  prefix: string;
  /** The operand before the dot of a selector: `o.Items[1]` in `o.Items[1].Q`. */
  base?: string;
}

const WORD = /[\p{L}\p{Nd}_]/u;
const DIGIT = /[0-9]/;

/**
 * The site at `offset` in `text`, or undefined where nothing is completed:
 * inside a string, rune or raw string literal, within a number (`1.5`), or
 * after a dot that follows something other than an operand.
 */
export function completionSite(text: string, offset: number): CompletionSite | undefined {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  if (insideLiteral(before)) return undefined;
  let start = before.length;
  while (start > 0 && WORD.test(before[start - 1]!)) start--;
  const prefix = before.slice(start);
  if (DIGIT.test(prefix[0] ?? '')) return undefined;
  if (before[start - 1] !== '.') return { start, prefix };
  const dot = start - 1;
  let i = dot - 1;
  while (i >= 0) {
    const c = before[i]!;
    if (WORD.test(c) || c === '.') i--;
    else if (c === ')' || c === ']') {
      const open = matchingOpen(before, i);
      if (open < 0) return undefined;
      i = open - 1;
    } else break;
  }
  const base = before.slice(i + 1, dot);
  // `1.`, `x.5.` and an empty operand (`.x`, `(.`) select nothing.
  if (!base || base.endsWith('.') || base.startsWith('.') || /(^|\.)[0-9]/.test(topLevel(base))) return undefined;
  return { start, prefix, base };
}

/** `text` without what its brackets hold: `a[1.5].b` → `a[].b`. */
function topLevel(text: string): string {
  let out = '';
  let depth = 0;
  for (const c of text) {
    if (c === '(' || c === '[') {
      if (depth++ === 0) out += c;
    } else if (c === ')' || c === ']') {
      if (--depth === 0) out += c;
    } else if (depth === 0) out += c;
  }
  return out;
}

/** The index of the bracket that `text[close]` closes, or -1. */
function matchingOpen(text: string, close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const c = text[i];
    if (c === ')' || c === ']') depth++;
    else if (c === '(' || c === '[') {
      depth--;
      if (depth === 0) return (c === '(') === (text[close] === ')') ? i : -1;
    }
  }
  return -1;
}

/** True when `text` ends inside a string, raw string or rune literal. */
function insideLiteral(text: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = undefined;
      else if (c === '\n' && quote !== '`') quote = undefined;
    } else if (c === '"' || c === '`' || c === "'") quote = c;
  }
  return quote !== undefined;
}
