/**
 * What the debuggee logic asks of a program's symbols: functions, lines,
 * breakpoint sites, frame sizes, and the runtime's structure offsets. `Symbols`
 * (symbols.ts) answers from a Go binary; unit tests answer from a hand-written
 * table (test/unit/debuggee/fakeSymbols.ts), so Program, stepping, breakpoints
 * and goroutines can run without building Go code.
 */
import type { GoFunc } from '../binary/pclntab.js';
import type { Dwarf } from '../dwarf/dwarf.js';
import type { UnwindTables } from '../unwind/unwinder.js';
import type { RuntimeLayout } from './runtimeLayout.js';

export type { GoFunc };

/** One code address of a source line. */
export interface LinePC {
  pc: number;
  fn: GoFunc;
  inlined: boolean;
}

export interface SourceLocation {
  file: string;
  line: number;
  fn: GoFunc;
}

export interface SymbolTable extends UnwindTables {
  /** The DWARF data, or undefined when the binary has none. */
  readonly dwarf: Dwarf | undefined;
  /**
   * Settles when the DWARF a launch inflates off the main thread (the units' address ranges,
   * the line tables) is ready: a section read before then is inflated again on the caller's thread.
   */
  dwarfLoaded?(): Promise<void>;
  readonly goVersion: string | undefined;
  /** The GOROOT the program was built with, when known. */
  readonly goroot: string | undefined;
  /** The binary's file, when the table was read from one. */
  readonly path?: string;

  funcForPC(pc: number): GoFunc | undefined;
  funcByName(name: string): GoFunc | undefined;
  /** A function whose name ends with `.name` or `/name`. */
  findFunctionBySuffix(name: string): GoFunc | undefined;
  /** Every function a name means: the exact symbol, or every instantiation of a generic function named with `[...]` or without type arguments. */
  functionsNamed?(name: string): GoFunc[];
  /** Every function of the shortest name ending with `.name` or `/name` (all instantiations of a generic one). */
  findFunctionsBySuffix?(name: string): GoFunc[];
  /** How many functions the table has, and the Go symbol name of the i-th (for completions); optional. */
  functionCount?(): number;
  functionName?(i: number): string;
  /** The names of the functions whose name ends with `suffix` (`.String`), from one scan of the name table; optional. */
  functionNamesEndingWith?(suffix: string): string[];
  /** Frame size at pc (bytes between SP and the return address), undefined when unknown. */
  spDelta(pc: number): number | undefined;
  lineForPC(pc: number): SourceLocation | undefined;
  /** The ELF function symbol holding pc, for code without Go tables (C frames of cgo); optional. */
  nativeSymbolAt?(pc: number): { name: string; entry: number; end: number } | undefined;
  /** Logical frames at pc, innermost first; empty when nothing is inlined there. */
  inlinedFramesAt(pc: number): { funcName: string; file: string; line: number }[];
  /** Functions with code from `file` (their own or inlined); optional. */
  funcsInFile?(file: string): GoFunc[];
  /** Every source file the binary's line table names (loadedSources, breakpoint diagnostics); optional. */
  sourceFiles?(): readonly string[];
  /** The path the binary records for a client's path, if it has that file. */
  resolveFile(path: string): string | undefined;
  /** Breakpoint sites of a source line. */
  sitesForLine(file: string, line: number): LinePC[];
  nearestLineWithCode(file: string, line: number): number | undefined;
  /**
   * Statement starts of a function, in address order; `inlineDepth` is how
   * many inlined calls deep the code there is (0 or absent: the function's own).
   */
  lineStarts(fn: GoFunc): { pc: number; line: number; file: string; inlineDepth?: number }[];
  /** First address after the function's prologue (stack check, frame setup). */
  prologueEnd(fn: GoFunc): number;
  /** The address DWARF marks prologue_end in the function (where Delve enters it), when it marks one. */
  markedPrologueEnd?(fn: GoFunc): number | undefined;
  /** Unreachable int3 padding where displaced instructions may run, if any. */
  scratchSlot(): number | undefined;
  /** The program's read-only data (`.rodata`: string literals among it) and its address; never written while it runs. */
  readOnlyData?(): { addr: number; bytes: Uint8Array } | undefined;
  /** True for a source file of the Go distribution. */
  isLibraryFile(file: string | undefined): boolean;
  /** True for code a user did not write: the runtime, internal packages, compiler wrappers. */
  isRuntimeFunc(name: string): boolean;
  /**
   * Moves every address answered to where the process with entry point
   * `entry` (the kernel's AT_ENTRY) loaded a position-independent image; a
   * no-op for a binary that runs at its link addresses.
   */
  relocate?(entry: number): void;
  /** True for an image the kernel may load anywhere (ELF ET_DYN): relocate once its process exists. */
  readonly positionIndependent?: boolean;
  /** Offsets of the runtime's structures; throws LayoutError (runtimeLayout.ts) when they cannot be known. */
  runtimeLayout(): RuntimeLayout;
}

/** True for a function name of code a user did not write: the runtime, internal packages, compiler wrappers. */
export function isRuntimeName(name: string): boolean {
  return (
    name.startsWith('runtime.') ||
    name.startsWith('internal/') ||
    name.startsWith('runtime/internal/') ||
    name.startsWith('type:') ||
    name.startsWith('go:') ||
    name === 'runtime'
  );
}
