/**
 * The contract between the evaluator and the debuggee for a function call in
 * an expression (`f(1, "x")`, `v.M()`, `err.Error()`): the evaluator lays the
 * arguments out by Go's internal register ABI on amd64 and hands the debuggee
 * a CallRequest; the debuggee runs it on the stopped goroutine by the runtime's
 * `runtime.debugCallV2` protocol, the other goroutines staying stopped, and
 * answers a CallOutcome (or throws an Error whose message says why the call
 * could not be made or did not finish). No process, no DAP types here.
 */

/** The integer argument and result registers of Go's register ABI, in assignment order. */
export const INT_ABI_REGISTERS = ['rax', 'rbx', 'rcx', 'rdi', 'rsi', 'r8', 'r9', 'r10', 'r11'] as const;
/** How many float registers (X0…X14) the ABI assigns. */
export const FLOAT_ABI_REGISTERS = 15;

export interface CallRequest {
  /** The function's entry PC. */
  entry: number;
  /** Its name (for messages). */
  name: string;
  /** RDX for a closure call: the address of the funcval. */
  closure?: bigint;
  /** Integer argument registers in INT_ABI_REGISTERS order (only as many as are used). */
  intArgs: bigint[];
  /** Float argument registers X0… as 64-bit patterns (a float32 in the low 32 bits). */
  floatArgs: bigint[];
  /** The argument frame's bytes, written at SP+8 once debugCallV2 has opened the frame: stack arguments and spill space. */
  stackArgs: Uint8Array;
  /** The argument frame size asked of debugCallV2 (≥ stackArgs.length, stack results included). */
  frameSize: number;
  /** How long the call may run before it is abandoned; it then finishes when the program resumes, its result lost. */
  timeoutMs: number;
}

export type CallOutcome =
  /** The registers after the return (same orders as the request) and the frameSize bytes at SP+8 (stack results). */
  | { kind: 'returned'; intResults: bigint[]; floatResults: bigint[]; frame: Uint8Array }
  /** The call panicked: the panic value, an interface{} (eface) read at SP+8 at the panic report. */
  | { kind: 'panicked'; typeWord: bigint; dataWord: bigint };

/** Runs one call synchronously; throws an Error with the reason when it cannot be made or does not return in time. */
export type FunctionCaller = (req: CallRequest) => CallOutcome;
