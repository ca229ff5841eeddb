/**
 * What every part of a Program reads a stopped program through: its OS
 * threads, registers, stacks and memory, with the checks that the program is
 * stopped (or that the thread being examined on the hit path is the one
 * asked about). Program (program.ts) adds lifecycle, execution and
 * breakpoints on top.
 */
import { EventEmitter } from 'node:events';
import type { DebuggeeProcess } from '../process/process.js';
import type { Registers } from '../process/registers.js';
import { userErrors } from '../util/userErrors.js';
import { disassembleAround, instructionStartOf, type DisassembledInstruction } from './disassembly.js';
import type { GoroutineView } from './goroutines/goroutineView.js';
import type { ProgramEvents } from './program.js';
import type { SourceFrame } from './stack/stack.js';
import type { SymbolTable } from './symbolTable.js';

export abstract class ProgramAccess extends EventEmitter<ProgramEvents> {
  abstract readonly symbols: SymbolTable;
  abstract readonly view: GoroutineView;
  protected inf?: DebuggeeProcess;
  /** Thread being examined on the hit path while the others run (conditions, logpoints). */
  protected trapTid?: number;

  /** When (performance.now()) the process last reported a stop of a thread, whatever it was, or was resumed; undefined before either. */
  get lastEventAt(): number | undefined {
    return this.inf?.lastEventAt;
  }

  /** Handles the thread stops the process has reported and the event loop has not yet seen (a timer runs before SIGCHLD's handler). */
  collectStops(): void {
    this.inf?.poll?.();
  }

  /** OS thread ids (running or not). */
  osThreadIds(): number[] {
    return this.inf?.threadIds() ?? [];
  }

  /** The OS thread that runs thread id `id`; throws when it is a parked goroutine. */
  threadOf(id: number): number {
    this.requireInspectable();
    const { tid, g } = this.view.resolve(id);
    if (tid === undefined) throw g ? userErrors.notOnThread(id) : userErrors.noThread(id);
    return tid;
  }

  /** Registers of thread id `id` (frame 0); throws when it is a parked goroutine. */
  registers(id: number): Registers {
    return this.inf!.getRegs(this.threadOf(id));
  }

  /** The frames of a thread id's stack (cached until the program resumes). */
  stackTrace(id: number, maxFrames = 10_000): SourceFrame[] {
    this.requireInspectable();
    return this.view.stack(id, maxFrames);
  }

  /** Replaces the registers of thread id `id` (setVariable on a register-resident value). */
  setRegisters(id: number, regs: Registers): void {
    this.requireStopped().setRegs(this.threadOf(id), regs);
    this.invalidate();
  }

  /** Instructions around an address (see disassembly.ts). */
  disassemble(addr: number, offset: number, count: number): DisassembledInstruction[] {
    this.requireInspectable();
    const inf = this.inf!;
    return disassembleAround(addr, offset, count, this.symbols, inf);
  }

  /** Where the instruction holding `addr` starts (undefined before the program runs, or outside its code). */
  protected instructionStart(addr: number): number | undefined {
    return this.inf && instructionStartOf(addr, this.symbols, this.inf);
  }

  read(addr: number, len: number): Uint8Array {
    this.requireInspectable();
    return this.inf!.read(addr, len);
  }
  readInto(addr: number, out: Uint8Array): number {
    this.requireInspectable();
    return this.inf!.readInto(addr, out);
  }

  protected invalidate(): void {
    this.view.reset();
  }

  protected requireStopped(): DebuggeeProcess {
    const inf = this.inf;
    if (!inf) throw userErrors.noProgram();
    if (inf.state === 'exited') throw userErrors.programExited();
    if (inf.state !== 'stopped') throw userErrors.programRunning();
    return inf;
  }

  /** Stopped, or on the hit path of the thread being examined. */
  protected requireInspectable(): void {
    if (this.trapTid !== undefined && this.inf?.state === 'running') return;
    this.requireStopped();
  }
}
