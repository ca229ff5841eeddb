/**
 * The editor-independent part of the debug configuration provider: what F5
 * debugs when there is no launch.json, filling in `program`, substituting the
 * variables VS Code left alone, and making relative paths absolute.
 * No `vscode` import here, so it is unit-tested under node.
 */
import { dirname, isAbsolute, basename, extname, resolve } from 'node:path';

export const DEBUG_TYPE = 'go-debug';

/** What the provider knows about the editor when a session starts. */
export interface EditorContext {
  /** Path of the file in the active editor, if any. */
  activeFile?: string;
  /** Language id of the active editor ("go" for Go files). */
  activeLanguage?: string;
  /** The workspace folder the configuration belongs to (or the first one). */
  workspaceFolder?: string;
}

/** A debug configuration: VS Code's shape, without the vscode import. */
export interface Config {
  type?: string;
  name?: string;
  request?: string;
  [key: string]: unknown;
}

export type Resolved = { config: Config } | { message: string };

export const NO_GO_FILE = 'Open a Go file (or add a go-debug configuration to launch.json) to start debugging with go-debug-adapter.';

function isGoFile(ctx: EditorContext): boolean {
  return ctx.activeFile !== undefined && (ctx.activeLanguage === 'go' || ctx.activeFile.endsWith('.go'));
}

/** The configuration F5 uses without launch.json: debug the package of the open Go file. */
export function defaultLaunchConfig(): Config {
  return { type: DEBUG_TYPE, name: 'Launch package', request: 'launch', mode: 'debug', program: '${fileDirname}' };
}

/**
 * First pass (before VS Code substitutes variables): an empty configuration
 * (F5 with no launch.json) becomes "debug the package of the open Go file";
 * a launch without `program` gets the same. Returns a message to show when
 * there is nothing sensible to debug.
 */
export function resolveInitial(config: Config, ctx: EditorContext): Resolved {
  const empty = !config.type && !config.request && !config.name;
  if (empty) {
    if (!isGoFile(ctx)) return { message: NO_GO_FILE };
    return { config: defaultLaunchConfig() };
  }
  const out: Config = { ...config };
  if (out.request === 'launch' && (out.program === undefined || out.program === '')) {
    if (!isGoFile(ctx)) return { message: `${NO_GO_FILE} (The configuration "${out.name ?? 'launch'}" has no "program".)` };
    out.program = '${fileDirname}';
  }
  if (out.request === 'attach' && (out.processId === undefined || out.processId === '')) {
    out.processId = '${command:pickGoProcess}';
  }
  return { config: out };
}

/** Values for the file/folder variables, from the editor context. */
export function variableValues(ctx: EditorContext): Record<string, string | undefined> {
  const f = ctx.activeFile;
  return {
    file: f,
    fileDirname: f && dirname(f),
    fileBasename: f && basename(f),
    fileBasenameNoExtension: f && basename(f, extname(f)),
    fileExtname: f && extname(f),
    workspaceFolder: ctx.workspaceFolder,
    workspaceFolderBasename: ctx.workspaceFolder && basename(ctx.workspaceFolder),
    cwd: ctx.workspaceFolder,
  };
}

/**
 * Replaces `${file}`, `${fileDirname}`, `${workspaceFolder}` (and friends) in
 * every string of `value`. Unknown variables and variables without a value
 * (no open file) are left as they are; the adapter then reports them.
 */
export function substituteVariables<T>(value: T, ctx: EditorContext): T {
  const vars = variableValues(ctx);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/\$\{(\w+)\}/g, (m, name: string) => vars[name] ?? m);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/**
 * Second pass (after VS Code's substitution): substitute what is left, then
 * make `cwd`, `program`, `output` and `envFile` absolute: relative paths are
 * relative to the workspace folder, and `program` to `cwd` when that is set.
 * (The adapter's working directory is the extension host's, not the
 * workspace: relative paths must not reach it.)
 */
export function resolveSubstituted(config: Config, ctx: EditorContext): Config {
  const out = substituteVariables(config, ctx);
  const base = ctx.workspaceFolder;
  if (!base) return out;
  const abs = (p: unknown, from: string) => (typeof p === 'string' && p !== '' && !p.includes('${') && !isAbsolute(p) ? resolve(from, p) : p);
  if (out.request !== 'launch') return out;
  out.cwd = abs(out.cwd, base);
  const cwd = typeof out.cwd === 'string' && isAbsolute(out.cwd) ? out.cwd : base;
  out.program = abs(out.program, cwd);
  out.output = abs(out.output, cwd);
  if (Array.isArray(out.envFile)) out.envFile = out.envFile.map((f) => abs(f, cwd));
  else out.envFile = abs(out.envFile, cwd);
  for (const k of ['cwd', 'output', 'envFile'] as const) if (out[k] === undefined) delete out[k];
  return out;
}
