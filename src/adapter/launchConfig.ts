/**
 * The launch/attach configuration: the one source of truth for the attributes a
 * user writes in launch.json (or an nvim-dap configuration).
 *
 * - `LaunchArguments` / `AttachArguments`: what arrives in the DAP request.
 * - `launchSchema` / `attachSchema` (launchSchema.ts): their descriptions, from
 *   which package.json's configurationAttributes are generated.
 * - `validateLaunchArguments` / `validateAttachArguments`: type checks with
 *   user-facing messages, and normalisation (defaults, args/buildFlags split,
 *   envFile merged under env, cwd defaulted to the program's folder).
 *
 * Attribute names follow vscode-go, so existing launch.json files carry over.
 */
import { statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { parseGoroutineFilters } from '../debuggee/goroutines/filters.js';
import { loadEnvFile, splitShellWords } from './launchInputs.js';
import { DEFAULT_STACK_TRACE_DEPTH } from './launchSchema.js';

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

export type LaunchMode = 'debug' | 'test' | 'exec' | 'core';
export type ConsoleKind = 'internalConsole' | 'integratedTerminal' | 'externalTerminal';
export type TraceLevel = 'verbose' | 'trace' | 'log' | 'info' | 'warn' | 'error';

/** A source path rewrite: `from` is the path in the editor, `to` the path recorded in the binary. */
export interface SubstitutePathRule {
  from: string;
  to: string;
}

/** Options shared by launch and attach. */
export interface DisplayOptions {
  substitutePath?: SubstitutePathRule[];
  showGlobalVariables?: boolean;
  hideSystemGoroutines?: boolean;
  goroutineFilters?: string;
  justMyCode?: boolean;
  callStringMethods?: boolean;
  stackTraceDepth?: number;
  showLog?: boolean;
  trace?: TraceLevel;
}

export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments, DisplayOptions {
  program?: string;
  mode?: LaunchMode;
  args?: string[] | string;
  env?: Record<string, string | null>;
  envFile?: string | string[];
  cwd?: string;
  buildFlags?: string | string[];
  output?: string;
  stopOnEntry?: boolean;
  console?: ConsoleKind;
  coreFilePath?: string;
}

export interface AttachArguments extends DebugProtocol.AttachRequestArguments, DisplayOptions {
  processId?: number | string;
  mode?: 'local';
}

/** Display options with every default filled in. */
export interface NormalizedDisplayOptions {
  substitutePath: SubstitutePathRule[];
  showGlobalVariables: boolean;
  hideSystemGoroutines: boolean;
  /** Delve's goroutine filter syntax ("-w user -wo label k=v"); "" shows every goroutine. */
  goroutineFilters: string;
  justMyCode: boolean;
  /** Show the text of Error() / String() methods in the Variables view (calls in the program, 100 ms each at most). */
  callStringMethods: boolean;
  stackTraceDepth: number;
  showLog: boolean;
  trace: TraceLevel;
}

/** A validated launch configuration: absolute paths, arrays split, defaults applied. */
export interface NormalizedLaunchArguments extends NormalizedDisplayOptions {
  /** Absolute path: a package directory, a .go file, or (mode exec) a binary. */
  program: string;
  /** True when `program` is a directory. */
  programIsDirectory: boolean;
  mode: LaunchMode;
  args: string[];
  /** Variables to add to (or, when null, remove from) the adapter's environment: envFile values overlaid by env. */
  env: Record<string, string | null>;
  /** Absolute working directory of the debuggee (default: the program's folder). */
  cwd: string;
  buildFlags: string[];
  /** Absolute path for the built binary, when the user asked for one. */
  output?: string;
  stopOnEntry: boolean;
  console: ConsoleKind;
  noDebug: boolean;
  /** mode "core": the absolute path of the core file. */
  coreFilePath?: string;
}

export interface NormalizedAttachArguments extends NormalizedDisplayOptions {
  processId: number;
  mode: 'local';
}

export type Validated<T> = { ok: true; args: T } | { ok: false; error: string };

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

/** A user-facing configuration error (the message says what to change in launch.json). */
class ConfigError extends Error {}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return `a ${typeof v}`;
}

function optString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ConfigError(`\`${key}\` must be a string, but it is ${describe(v)}`);
  return v;
}

function optBool(o: Record<string, unknown>, key: string, dflt: boolean): boolean {
  const v = o[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') throw new ConfigError(`\`${key}\` must be true or false, but it is ${describe(v)}`);
  return v;
}

function optEnum<T extends string>(o: Record<string, unknown>, key: string, allowed: readonly T[], dflt: T, hint = ''): T {
  const v = o[key];
  if (v === undefined || v === null || v === '') return dflt;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    const list = allowed.map((a) => `"${a}"`).join(', ');
    throw new ConfigError(`\`${key}\` must be one of ${list}, but it is ${describe(v)}${hint}`);
  }
  return v as T;
}

/** A string (split like a shell would) or an array of strings. */
function optWords(o: Record<string, unknown>, key: string): string[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') {
    try {
      return splitShellWords(v);
    } catch (e) {
      throw new ConfigError(`\`${key}\`: ${(e as Error).message}`);
    }
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return [...v];
  throw new ConfigError(`\`${key}\` must be an array of strings (or one string), but it is ${describe(v)}`);
}

function display(o: Record<string, unknown>): NormalizedDisplayOptions {
  const sp = o.substitutePath ?? [];
  if (!Array.isArray(sp)) throw new ConfigError(`\`substitutePath\` must be an array of {"from": ..., "to": ...}, but it is ${describe(sp)}`);
  const substitutePath = sp.map((r: unknown, i) => {
    const rule = r as Record<string, unknown> | null;
    if (typeof rule !== 'object' || rule === null || typeof rule.from !== 'string' || typeof rule.to !== 'string') {
      throw new ConfigError(`\`substitutePath[${i}]\` must be {"from": "<path in the editor>", "to": "<path in the binary>"}`);
    }
    return { from: rule.from, to: rule.to };
  });
  let stackTraceDepth = DEFAULT_STACK_TRACE_DEPTH;
  if (o.stackTraceDepth !== undefined && o.stackTraceDepth !== null) {
    const d = o.stackTraceDepth;
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1) {
      throw new ConfigError(`\`stackTraceDepth\` must be a positive whole number, but it is ${describe(d)}${typeof d === 'number' ? ` (${d})` : ''}`);
    }
    stackTraceDepth = d;
  }
  return {
    substitutePath,
    showGlobalVariables: optBool(o, 'showGlobalVariables', false),
    hideSystemGoroutines: optBool(o, 'hideSystemGoroutines', false),
    goroutineFilters: filters(o),
    justMyCode: optBool(o, 'justMyCode', true),
    callStringMethods: optBool(o, 'callStringMethods', true),
    stackTraceDepth,
    showLog: optBool(o, 'showLog', false),
    trace: optEnum(o, 'trace', ['verbose', 'trace', 'log', 'info', 'warn', 'error'] as const, 'error'),
  };
}

function filters(o: Record<string, unknown>): string {
  const text = optString(o, 'goroutineFilters') ?? '';
  try {
    parseGoroutineFilters(text);
  } catch (e) {
    throw new ConfigError(`\`goroutineFilters\`: ${(e as Error).message}`);
  }
  return text;
}

/** 'other' is a device, FIFO or socket: never a program (reading /dev/zero would never end). */
function statKind(p: string): 'dir' | 'file' | 'other' | 'missing' {
  try {
    const st = statSync(p);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}

const PROGRAM_REQUIRED = '`program` is required: set it to a package directory, a .go file or (with mode "exec") a binary';

/**
 * Checks a launch request's arguments and fills in defaults. Relative paths
 * (program, cwd, output, envFile) are resolved against `cwd` when it is
 * absolute, else against the adapter's working directory. Checks that
 * `program` exists and fits the mode; reads the env files.
 */
export function validateLaunchArguments(raw: unknown): Validated<NormalizedLaunchArguments> {
  try {
    return { ok: true, args: normalizeLaunch(raw) };
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, error: e.message };
    throw e;
  }
}

function normalizeLaunch(raw: unknown): NormalizedLaunchArguments {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError('the launch configuration must be an object');
  const o = raw as Record<string, unknown>;
  const mode = optEnum(o, 'mode', ['debug', 'test', 'exec', 'core'] as const, 'debug', modeHint(o.mode));
  const programIn = optString(o, 'program');
  if (programIn === undefined || programIn.trim() === '') throw new ConfigError(PROGRAM_REQUIRED);
  if (programIn.includes('${')) {
    throw new ConfigError(`\`program\` contains an unresolved variable: ${programIn} (the editor did not substitute it; use an absolute path)`);
  }
  const cwdIn = optString(o, 'cwd');
  const base = cwdIn && isAbsolute(cwdIn) ? cwdIn : process.cwd();
  const program = resolve(base, programIn);
  const kind = statKind(program);
  if (kind === 'missing') throw new ConfigError(`\`program\` "${program}" does not exist`);
  if (kind === 'other') {
    throw new ConfigError(
      `\`program\` "${program}" is not a regular file or a directory (a device, FIFO or socket): give a package directory, a .go file or a built binary`,
    );
  }
  if ((mode === 'exec' || mode === 'core') && kind === 'dir') {
    throw new ConfigError(`\`program\` "${program}" is a directory, but mode "${mode}" needs a built binary (use mode "debug" to build the package)`);
  }
  if (mode !== 'exec' && mode !== 'core' && kind === 'file' && !program.endsWith('.go')) {
    throw new ConfigError(`\`program\` "${program}" is not a package directory or a .go file: to debug a built binary set "mode": "exec"`);
  }
  const cwd = cwdIn && cwdIn !== '' ? resolve(cwdIn) : kind === 'dir' ? program : dirname(program);
  if (cwdIn && statKind(cwd) !== 'dir') throw new ConfigError(`\`cwd\` "${cwd}" is not a directory`);

  const envIn = o.env ?? {};
  if (typeof envIn !== 'object' || envIn === null || Array.isArray(envIn)) {
    throw new ConfigError(`\`env\` must be an object like {"NAME": "value"}, but it is ${describe(envIn)}`);
  }
  const env: Record<string, string | null> = {};
  const envFiles = o.envFile === undefined || o.envFile === null || o.envFile === '' ? [] : o.envFile;
  const envFileList = typeof envFiles === 'string' ? [envFiles] : envFiles;
  if (!Array.isArray(envFileList) || !envFileList.every((f) => typeof f === 'string')) {
    throw new ConfigError(`\`envFile\` must be a path or an array of paths, but it is ${describe(o.envFile)}`);
  }
  for (const f of envFileList) {
    try {
      Object.assign(env, loadEnvFile(resolve(cwd, f)));
    } catch (e) {
      throw new ConfigError((e as Error).message);
    }
  }
  for (const [k, v] of Object.entries(envIn)) {
    if (typeof v !== 'string' && v !== null) throw new ConfigError(`\`env.${k}\` must be a string (or null to unset it), but it is ${describe(v)}`);
    env[k] = v;
  }

  const output = optString(o, 'output');
  const coreIn = optString(o, 'coreFilePath');
  let coreFilePath: string | undefined;
  if (mode === 'core') {
    if (!coreIn) throw new ConfigError('mode "core" needs `coreFilePath`: the core file of `program` to open');
    coreFilePath = resolve(cwd, coreIn);
    if (statKind(coreFilePath) !== 'file') throw new ConfigError(`\`coreFilePath\` "${coreFilePath}" is not a file`);
  }
  return {
    ...(coreFilePath ? { coreFilePath } : {}),
    program,
    programIsDirectory: kind === 'dir',
    mode,
    args: optWords(o, 'args'),
    env,
    cwd,
    buildFlags: optWords(o, 'buildFlags'),
    output: output ? resolve(cwd, output) : undefined,
    stopOnEntry: optBool(o, 'stopOnEntry', false),
    console: optEnum(o, 'console', ['internalConsole', 'integratedTerminal', 'externalTerminal'] as const, 'internalConsole'),
    noDebug: optBool(o, 'noDebug', false),
    ...display(o),
  };
}

function modeHint(mode: unknown): string {
  if (mode === 'auto') return ': use "debug"';
  if (mode === 'remote' || mode === 'replay') return ` (mode "${mode}" is a Delve feature that go-debug-adapter does not have)`;
  if (mode === 'local') return ' in a launch configuration ("local" is for "request": "attach")';
  return '';
}

/** Checks an attach request's arguments and fills in defaults. */
export function validateAttachArguments(raw: unknown): Validated<NormalizedAttachArguments> {
  try {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError('the attach configuration must be an object');
    const o = raw as Record<string, unknown>;
    const p = o.processId;
    let processId: number;
    if (typeof p === 'number') processId = p;
    else if (typeof p === 'string' && /^\s*\d+\s*$/.test(p)) processId = Number(p);
    else if (p === undefined || p === null || p === '' || p === 0) {
      throw new ConfigError(
        '`processId` is required: set it to the process id of a running Go program, or to "${command:pickGoProcess}" to choose one from a list',
      );
    } else if (typeof p === 'string' && p.includes('${')) {
      throw new ConfigError(`\`processId\` contains an unresolved variable: ${p} (your editor did not substitute it; give a process id)`);
    } else throw new ConfigError(`\`processId\` must be a process id (a number), but it is ${describe(p)}`);
    if (!Number.isInteger(processId) || processId <= 0) throw new ConfigError(`\`processId\` must be a positive whole number, but it is ${processId}`);
    const mode = optEnum(
      o,
      'mode',
      ['local'] as const,
      'local',
      o.mode === 'remote' ? ' (remote attach is not supported: run go-debug-adapter --listen on the remote machine instead)' : '',
    );
    return { ok: true, args: { processId, mode, ...display(o) } };
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, error: e.message };
    throw e;
  }
}
