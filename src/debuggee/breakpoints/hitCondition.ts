/**
 * Hit conditions as users write them in the breakpoint UI: `N` (stop at the
 * Nth hit only, as `== N`: what Delve, the Go debugger VS Code users know,
 * makes of a bare number), or `OP N` with ==, !=, <, <=, >, >=, % (every Nth hit).
 */

export interface HitCondition {
  op: '==' | '!=' | '<' | '<=' | '>' | '>=' | '%';
  n: number;
  text: string;
}

export function parseHitCondition(text: string): HitCondition | { error: string } {
  const m = /^\s*(==|!=|<=|>=|<|>|%)?\s*(\d+)\s*$/.exec(text);
  if (!m) {
    return { error: `Invalid hit condition "${text}": use a number N, or one of ==, !=, <, <=, >, >=, % followed by a number` };
  }
  const op = (m[1] ?? '==') as HitCondition['op'];
  const n = Number(m[2]);
  if (op === '%' && n === 0) return { error: `Invalid hit condition "${text}": % 0 is undefined` };
  return { op, n, text: text.trim() };
}

/** Whether the `hits`-th hit (1-based) satisfies the condition. */
export function hitConditionHolds(hc: HitCondition, hits: number): boolean {
  switch (hc.op) {
    case '==':
      return hits === hc.n;
    case '!=':
      return hits !== hc.n;
    case '<':
      return hits < hc.n;
    case '<=':
      return hits <= hc.n;
    case '>':
      return hits > hc.n;
    case '>=':
      return hits >= hc.n;
    case '%':
      return hits % hc.n === 0;
  }
}
