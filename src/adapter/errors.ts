/**
 * User-facing errors: a stable code, a short message that says how to fix it.
 * Anything else that escapes a request becomes "Error processing <command>".
 */

export const ErrorCode = {
  InvalidArguments: 2001,
  BuildFailed: 2002,
  NotGoBinary: 2003,
  LaunchFailed: 2004,
  AttachFailed: 2005,
  NoProgram: 2006,
  ProgramRunning: 2007,
  UnknownFrame: 2008,
  Internal: 2099,
} as const;

export class UserError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
