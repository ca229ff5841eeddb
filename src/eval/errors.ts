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
