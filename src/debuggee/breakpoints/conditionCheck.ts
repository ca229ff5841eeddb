/**
 * A breakpoint condition checked when the breakpoint is set: a condition that
 * does not parse as a Go expression can never hold, so the breakpoint is
 * reported unverified with the parser's message instead of stopping (or not)
 * at run time.
 */
import { EvalError } from '../../eval/errors.js';
import { parseExpression } from '../../eval/parser.js';
import { withTestName } from '../testNames.js';

/** Undefined when `condition` parses; else the message that says why not. */
export function checkCondition(condition: string): string | undefined {
  try {
    parseExpression(withTestName(condition, ''));
    return undefined;
  } catch (e) {
    const why = e instanceof EvalError ? e.message : String(e);
    return `Invalid condition "${condition}": ${why}`;
  }
}
