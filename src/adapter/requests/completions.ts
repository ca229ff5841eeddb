/**
 * completions: names for the debug console at the cursor (the logic is in
 * src/debuggee/inspect/completions.ts).
 *
 * `column` is a position in UTF-16 code units in the line `line` of `text`
 * (the first line when absent), 0- or 1-based as the client's
 * columnsStartAt1 says. Each item replaces the part of the word before the
 * cursor: we answer its `length` and leave `start` out, which DAP defines as
 * "at the cursor". Both clients we test read a `start` as a 0-based offset
 * whatever columnsStartAt1 says (VS Code 1.99 for its filter text, nvim-dap
 * 0.7–0.9 for the column given to complete()), so a 1-based start would be
 * off by one in each; without it they replace `length` characters (VS Code)
 * or the keyword before the cursor (nvim-dap), which is the same text.
 * Without frameId the current thread's innermost frame is used, as evaluate
 * does; while the program runs, only names that need no frame are offered.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { completionsAt, warmFrameScope } from '../../debuggee/inspect/completions.js';
import { prepareProgramNames } from '../../debuggee/inspect/programNames.js';
import type { Program } from '../../debuggee/program.js';
import type { FrameRef } from '../../debuggee/inspect/inspector.js';
import { userErrors } from '../../util/userErrors.js';
import type { RequestContext } from './context.js';

/** The client's column base to ours (1-based). */
export interface Columns {
  toDebugger(column: number): number;
}

export function completions(ctx: RequestContext, args: DebugProtocol.CompletionsArguments, cols: Columns): DebugProtocol.CompletionsResponse['body'] {
  if (typeof args?.text !== 'string') throw userErrors.invalidArguments('text is required and must be a string');
  if (typeof args.column !== 'number' || !Number.isInteger(args.column)) throw userErrors.invalidArguments('column is required and must be an integer');
  const p = ctx.state.program;
  if (!p || p.exited || !ctx.state.view) throw userErrors.noProgram();
  const lines = args.text.split('\n');
  const lineIndex = args.line === undefined ? 0 : ctx.lineToDebugger(args.line) - 1;
  if (!Number.isInteger(lineIndex) || lineIndex < 0 || lineIndex >= lines.length) throw userErrors.invalidArguments(`line ${args.line} is not a line of text`);
  const column = cols.toDebugger(args.column);
  const line = lines[lineIndex]!;
  if (column < 1 || column > line.length + 1) throw userErrors.invalidArguments(`column ${args.column} is outside line ${lineIndex + 1} of text`);
  let lineStart = 0;
  for (let i = 0; i < lineIndex; i++) lineStart += lines[i]!.length + 1;
  let frame: FrameRef | undefined;
  if (!p.running) frame = args.frameId !== undefined ? ctx.state.frame(args.frameId) : { tid: p.currentThread, index: 0 };
  const a = completionsAt(ctx.state.view.inspector, p, args.text, lineStart + column - 1, frame);
  return {
    targets: a.items.map((it, i) => {
      const t: DebugProtocol.CompletionItem = { label: it.label, type: it.kind, length: a.length, sortText: String(i).padStart(6, '0') };
      if (it.detail) t.detail = it.detail;
      return t;
    }),
  };
}

/**
 * Starts indexing the program's names for completions, a few ms per turn of
 * the event loop, so that the first completion does not pay for it (on the Go
 * compiler, 100–400 ms). Called at each stop; only the first does any work.
 */
export function prepareCompletions(p: Program): void {
  void prepareProgramNames(p.symbols);
  // The names in scope at the stopped frame (its compile unit's DWARF, decoded once): what the first
  // completion, evaluate or Variables view at this stop needs, made ready while the user reads the stop.
  const id = p.currentThread;
  setImmediate(() => {
    if (p.running || p.exited) return;
    try {
      warmFrameScope(p, id);
    } catch {
      /* nothing to warm: the frame has no Go code or no DWARF */
    }
  });
}
