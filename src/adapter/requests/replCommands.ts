/**
 * Commands of the debug console that are not Go expressions (evaluate with
 * context "repl" only; watches and hovers always evaluate Go). Written as in
 * Delve's terminal, with Delve's DAP prefix `dlv ` accepted too:
 *
 *   dump <file>   writes a core file of the stopped program (debuggee/coreDump.ts),
 *                 which a launch with "mode": "core" opens. A relative name is
 *                 relative to the launch's cwd (attached: the program's directory).
 *
 * `dump` alone answers its usage; a Go variable named dump is still
 * evaluated when written `(dump)`.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { ProgressEndEvent, ProgressStartEvent, ProgressUpdateEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { dumpCore } from '../../debuggee/coreDump.js';
import { userErrors } from '../../util/userErrors.js';
import type { RequestContext } from './context.js';

type Body = DebugProtocol.EvaluateResponse['body'];

const DUMP = /^\s*(?:dlv\s+)?dump(?:\s+([\s\S]*?))?\s*$/;

export const DUMP_USAGE =
  'dump <file>: writes a core file of the stopped program; open it with a launch of "mode": "core" ("program": this binary, "coreFilePath": the file). A relative name is relative to the launch\'s cwd. An existing core file there is replaced; any other file is left alone.';

/** The answer of a repl command, or undefined when `args` is not one (then it is a Go expression). */
export function replCommand(ctx: RequestContext, args: DebugProtocol.EvaluateArguments): Body | Promise<Body> | undefined {
  if (args.context !== 'repl') return undefined;
  const m = DUMP.exec(args.expression);
  if (!m) return undefined;
  const file = unquote(m[1] ?? '');
  if (file === '') return { result: DUMP_USAGE, variablesReference: 0 };
  return dump(ctx, file);
}

async function dump(ctx: RequestContext, file: string): Promise<Body> {
  const program = ctx.state.program;
  if (!program || program.exited) throw userErrors.noProgram();
  const path = isAbsolute(file) ? file : resolve(baseDirectory(ctx), file);
  const progress = startProgress(ctx, `Writing the core file ${path}`);
  const started = performance.now();
  try {
    const r = await dumpCore(program, path, { signal: ctx.signal, onProgress: progress.update });
    const ms = Math.round(performance.now() - started);
    const size = `${megabytes(r.size)} (${megabytes(r.diskBytes)} on disk)`;
    ctx.console(
      `${r.replaced ? 'Replaced' : 'Wrote'} the core file ${path}: ${size}, ${r.threads} threads, ${r.segments} memory segments, in ${ms} ms. Open it with "mode": "core".\n`,
    );
    const la = ctx.state.launchArgs;
    if (la && (la.mode === 'debug' || la.mode === 'test') && !la.output) {
      ctx.console(
        `Mode "core" needs the binary too: this session's ${program.symbols.path ?? 'build'} is removed when the session ends (set "output" in the launch configuration to keep it).\n`,
      );
    }
    if (r.unreadable.length > 0) {
      const bytes = r.unreadable.reduce((n, u) => n + (u.end - u.start), 0);
      const where = r.unreadable
        .slice(0, 4)
        .map((u) => `0x${u.start.toString(16)}-0x${u.end.toString(16)}`)
        .join(', ');
      ctx.console(
        `${bytes} bytes of readable mappings could not be read and are left out of the core (${where}${r.unreadable.length > 4 ? ', …' : ''}): a core session reads them as unreadable.\n`,
      );
    }
    return { result: `${path} (${megabytes(r.size)})`, variablesReference: 0 };
  } finally {
    progress.end();
  }
}

/** Where a relative file name goes: the launch's cwd, else the program's directory. */
function baseDirectory(ctx: RequestContext): string {
  const cwd = ctx.state.launchArgs?.cwd;
  if (cwd) return cwd;
  const binary = ctx.state.program?.symbols.path;
  return binary ? dirname(binary) : process.cwd();
}

/** A progress notification (when the client shows them) that a cancel of it aborts; updates at most every 1% and 100 ms. */
function startProgress(ctx: RequestContext, title: string): { update: (done: number, total: number) => void; end: () => void } {
  if (!ctx.state.client.progress) return { update: () => {}, end: () => {} };
  const id = `go-debug-${++ctx.state.progressIds}`;
  const start = new ProgressStartEvent(id, title, 'reading memory') as DebugProtocol.ProgressStartEvent;
  start.body.cancellable = true;
  start.body.percentage = 0;
  const release = ctx.cancellableProgress(id);
  ctx.sendEvent(start);
  let shown = 0;
  let at = performance.now();
  return {
    update: (done, total) => {
      const pct = total > 0 ? Math.floor((done * 100) / total) : 100;
      if (pct <= shown || performance.now() - at < 100) return;
      shown = pct;
      at = performance.now();
      const ev = new ProgressUpdateEvent(id, `${megabytes(done)} of ${megabytes(total)}`) as DebugProtocol.ProgressUpdateEvent;
      ev.body.percentage = pct;
      ctx.sendEvent(ev);
    },
    end: () => {
      release();
      ctx.sendEvent(new ProgressEndEvent(id));
    },
  };
}

function unquote(s: string): string {
  const m = /^(["'])(.*)\1$/s.exec(s);
  return m ? m[2]! : s;
}

function megabytes(n: number): string {
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}
