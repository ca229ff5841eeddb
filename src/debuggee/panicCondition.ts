/**
 * The condition of the panic exception filter: a Go expression in which
 * `value` is the value given to panic(), an `interface {}` (its two words as
 * noted at runtime.gopanic, so an error keeps its dynamic type). Evaluated on
 * the hit path at runtime.fatalpanic, synchronously, reading memory while the
 * other threads run. A condition that cannot be evaluated (a failed type
 * assertion, a name that does not exist) does not hold: the filter then does
 * not stop, as if the panic did not match.
 */
import type { Expr } from '../eval/ast.js';
import { evaluate, type EvalScope } from '../eval/evaluator.js';
import { asBool } from '../eval/operators.js';
import { parseExpression } from '../eval/parser.js';
import type { MemoryReader } from '../process/memory.js';
import { ValueReader } from '../values/valueReader.js';
import type { RaisedValue } from './exceptions.js';
import type { SymbolTable } from './symbolTable.js';

export class PanicCondition {
  private readonly ast: Expr;

  /** Throws EvalError when `text` is not a Go expression. */
  constructor(readonly text: string) {
    this.ast = parseExpression(text);
  }

  /** Whether the condition holds for panic value `raised`; false when it cannot be evaluated. */
  holds(raised: RaisedValue, symbols: SymbolTable, mem: MemoryReader): boolean {
    try {
      const dwarf = symbols.dwarf;
      const eface = dwarf?.typeByName('interface {}');
      if (!dwarf || !eface) return false;
      const bytes = new Uint8Array(16);
      const dv = new DataView(bytes.buffer);
      dv.setBigUint64(0, BigInt(raised.typ), true);
      dv.setBigUint64(8, BigInt(raised.data), true);
      const reader = new ValueReader({ mem, dwarf, funcName: (pc) => symbols.funcForPC(pc)?.name, funcEntry: (name) => symbols.funcByName(name)?.entry });
      const value = { type: eface, bytes, computed: true };
      const scope: EvalScope = { reader, dwarf, pkg: 'main', local: (name) => (name === 'value' ? value : undefined) };
      return asBool(evaluate(scope, this.text, this.ast), reader);
    } catch {
      return false;
    }
  }
}

/** Undefined when `text` parses as a condition; else why not. */
export function panicConditionProblem(text: string): string | undefined {
  try {
    parseExpression(text);
    return undefined;
  } catch (e) {
    return `Invalid condition "${text}": ${e instanceof Error ? e.message : String(e)}`;
  }
}
