/**
 * Every error a user can cause or fix, in one place: a stable code (shown as
 * the DAP error id), and a factory per failure whose message says what went
 * wrong and, where there is one, how to fix it. Any layer may throw these; the
 * adapter turns them into error responses. Anything else that escapes a
 * request is an internal error: "Error processing <command>", with the stack
 * only in the log.
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
  UnknownThread: 2009,
  EvalFailed: 2010,
  NoDebugInfo: 2011,
  NotAtException: 2012,
  Busy: 2013,
  Unsupported: 2014,
  UnknownVariables: 2015,
  Cancelled: 2016,
  /** goto, gotoTargets, stepInTargets and stepIn with a targetId that cannot be done. */
  CannotNavigate: 2021,
  /** The repl's `dump` could not write a core file. */
  CannotDump: 2030,
  Internal: 2099,
} as const;
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export class UserError extends Error {
  constructor(
    readonly code: ErrorCodeValue,
    message: string,
    /** Worth a notification in the editor (a failed launch), not just the response text (a watch that does not apply). */
    readonly showUser = false,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

const HOW_TO_BUILD = 'build it with `go build -gcflags=all=-N -l`';

export const userErrors = {
  invalidArguments: (detail: string) => new UserError(ErrorCode.InvalidArguments, detail, true),
  /** A request whose arguments break the protocol (a missing required field); no notification, the client sent it. */
  invalidRequest: (detail: string) => new UserError(ErrorCode.InvalidArguments, detail),
  /** A second configurationDone: the program was started by the first. */
  alreadyConfigured: () => new UserError(ErrorCode.InvalidArguments, 'configurationDone was already received: the program has been started'),
  notConfigurable: () => new UserError(ErrorCode.NoProgram, 'configurationDone before launch or attach: there is no program to start'),
  notAnAddress: (ref: string) => new UserError(ErrorCode.InvalidArguments, `Not an address: ${ref}`),
  buildFailed: (detail: string) => new UserError(ErrorCode.BuildFailed, detail, true),
  notGoBinary: (path: string, why: string) =>
    new UserError(ErrorCode.NotGoBinary, `program is not a Go binary: ${path}: ${why}. Debug a Go program, or ${HOW_TO_BUILD}`, true),
  cannotDebug: (path: string, why: string) => new UserError(ErrorCode.NotGoBinary, `${path} cannot be debugged: ${why}`, true),
  noSuchProgram: (path: string) => new UserError(ErrorCode.NotGoBinary, `${path} does not exist`, true),
  launchFailed: (detail: string) => new UserError(ErrorCode.LaunchFailed, detail, true),
  attachFailed: (detail: string) => new UserError(ErrorCode.AttachFailed, detail, true),
  noProgram: () => new UserError(ErrorCode.NoProgram, 'The program is not running'),
  programExited: () => new UserError(ErrorCode.NoProgram, 'The program has exited'),
  programRunning: () => new UserError(ErrorCode.ProgramRunning, 'The program is running: pause it first'),
  alreadyRunning: () => new UserError(ErrorCode.ProgramRunning, 'The program is already running'),
  busy: () => new UserError(ErrorCode.Busy, 'The debugger is still carrying out the previous command'),
  unknownFrame: (id: number) => new UserError(ErrorCode.UnknownFrame, `Unknown frame id ${id} (the program has resumed since)`),
  noFrame: (index: number, thread: number) => new UserError(ErrorCode.UnknownFrame, `No frame ${index} on thread ${thread}`),
  noThread: (id: number) => new UserError(ErrorCode.UnknownThread, `No thread or goroutine with id ${id}`),
  notOnThread: (id: number) => new UserError(ErrorCode.UnknownThread, `Goroutine ${id} is not running on a thread (it is parked)`),
  cannotStep: (id: number, where: string) =>
    new UserError(
      ErrorCode.UnknownThread,
      `Goroutine ${id} cannot be stepped: it is parked in the runtime (${where}) with no frame of your code. Step a goroutine that runs your code, or continue`,
    ),
  gotoRefused: (why: string) => new UserError(ErrorCode.CannotNavigate, `Cannot jump there: ${why}`),
  noStepInTargets: (id: number) =>
    new UserError(ErrorCode.CannotNavigate, `Goroutine ${id} has no call to pick: it is not stopped on a line of your code on a thread`),
  unknownStepInTarget: (pc: number) =>
    new UserError(ErrorCode.CannotNavigate, `No call at 0x${pc.toString(16)} on the current line: ask stepInTargets again (the program has moved since)`),
  topFrameOnly: (what: string) => new UserError(ErrorCode.CannotNavigate, `${what} works in the top frame of a goroutine; select frame 0`),
  notAtException: (id: number) => new UserError(ErrorCode.NotAtException, `Thread ${id} is not stopped at an exception`),
  evalFailed: (detail: string) => new UserError(ErrorCode.EvalFailed, detail),
  cannotSet: (name: string, why: string) => new UserError(ErrorCode.EvalFailed, `Cannot set ${name}: ${why}`),
  cannotSetHere: (name: string) => new UserError(ErrorCode.EvalFailed, `Cannot set ${name} here`),
  noVariable: (name: string) => new UserError(ErrorCode.EvalFailed, `No variable ${name} to set`),
  unknownVariablesReference: (ref: number) =>
    new UserError(ErrorCode.UnknownVariables, `Unknown variablesReference ${ref} (the program has resumed since, or it was never handed out)`),
  noDebugInfo: () =>
    new UserError(
      ErrorCode.NoDebugInfo,
      `The program has no DWARF debug information: the binary was built with -ldflags=-w (or stripped); rebuild it without -w to see variables (${HOW_TO_BUILD})`,
    ),
  unsupported: (what: string) => new UserError(ErrorCode.Unsupported, `${what} is not supported`),
  /** Running, stepping or writing a program that cannot run (a core file). */
  cannotRun: (why: string) => new UserError(ErrorCode.Unsupported, `Not possible: ${why}`),
  cannotRestart: (why: string) => new UserError(ErrorCode.Unsupported, `Cannot restart: ${why}`, true),
  /** A request ended by the client's cancel: DAP wants the message "cancelled". */
  cancelled: () => new UserError(ErrorCode.Cancelled, 'cancelled'),
  /** A variable the Variables view does not show under that handle (dataBreakpointInfo). */
  noSuchVariable: (name: string) => new UserError(ErrorCode.EvalFailed, `No variable ${name} here`),
  /** writeMemory that could not write (nothing is written then). */
  cannotWriteMemory: (addr: number, len: number, why: string) =>
    new UserError(ErrorCode.InvalidArguments, `Cannot write ${len} bytes at 0x${addr.toString(16)}: ${why}`),
  /** The repl's `dump` refused or failed; nothing was written at the path (an older file there is kept). */
  cannotDump: (why: string) => new UserError(ErrorCode.CannotDump, `Cannot write the core file: ${why}`),
  /** What an error that is none of the above becomes in a response (its stack goes to the log only). */
  internal: (command: string, detail: string, notify: boolean) => new UserError(ErrorCode.Internal, `Error processing ${command}: ${detail}`, notify),
};
