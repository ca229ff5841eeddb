/** Errors of Go expressions, in words a user can act on ("o has no field Nope", "undefined: foo"). */
export class EvalError extends Error {
  constructor(
    message: string,
    /** 0-based offset in the expression, when the error is about one place. */
    readonly pos?: number,
  ) {
    super(message);
    this.name = 'EvalError';
  }
}

/** An error about the operand at 0-based offset `pos`: the compiler's message, then "at column N" (1-based). */
export function errorAt(pos: number | undefined, message: string): EvalError {
  return new EvalError(pos === undefined ? message : `${message} at column ${pos + 1}`, pos);
}
