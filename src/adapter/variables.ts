/**
 * The Variables view, hovers, the REPL and setVariable: DAP-side handles and
 * conversions for values read by the target layer.
 * (First cut: the Registers scope only; Go values arrive with the values work.)
 */
import { Handles, Scope } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DISPLAY_ORDER } from '../engine/registers.js';
import type { Program } from '../target/program.js';
import type { NormalizedDisplayOptions } from './launchConfig.js';
import { ErrorCode, UserError } from './errors.js';

type VarRef = { kind: 'registers'; tid: number; frame: number };

export class VariablesView {
  private refs = new Handles<VarRef>();

  constructor(
    private readonly program: Program,
    private readonly display: NormalizedDisplayOptions,
  ) {}

  /** Forget every handle: called whenever the program resumes or stops. */
  reset(): void {
    this.refs.reset();
  }

  scopes(tid: number, frame: number): DebugProtocol.Scope[] {
    const regs = new Scope('Registers', this.refs.create({ kind: 'registers', tid, frame }), true) as DebugProtocol.Scope;
    regs.presentationHint = 'registers';
    return [regs];
  }

  variables(args: DebugProtocol.VariablesArguments): DebugProtocol.Variable[] {
    const ref = this.refs.get(args.variablesReference);
    if (!ref) return [];
    return this.registerVariables(ref.tid, ref.frame);
  }

  evaluate(args: DebugProtocol.EvaluateArguments, _frame: { tid: number; index: number } | undefined): DebugProtocol.EvaluateResponse['body'] {
    throw new UserError(ErrorCode.Internal, `Cannot evaluate "${args.expression}": expressions are not supported yet`);
  }

  setVariable(args: DebugProtocol.SetVariableArguments): DebugProtocol.SetVariableResponse['body'] {
    throw new UserError(ErrorCode.Internal, `Cannot set ${args.name}: not supported yet`);
  }

  private registerVariables(tid: number, frameIndex: number): DebugProtocol.Variable[] {
    const p = this.program;
    const hex = (v: bigint | number) => `0x${v.toString(16)}`;
    if (frameIndex > 0) {
      const f = p.stackTrace(tid)[frameIndex];
      if (!f) return [];
      return [
        { name: 'rip', value: hex(f.pc), type: 'uint64', variablesReference: 0 },
        { name: 'rsp', value: hex(f.sp), type: 'uint64', variablesReference: 0 },
        { name: 'cfa', value: hex(f.cfa), type: 'uint64', variablesReference: 0 },
      ];
    }
    const regs = p.registers(tid);
    void this.display;
    return DISPLAY_ORDER.map((name) => ({ name, value: hex(regs.get(name)), type: 'uint64', variablesReference: 0 }));
  }
}
