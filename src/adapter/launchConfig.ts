/**
 * The launch/attach configuration: the one source of truth for the attributes a
 * user writes in launch.json (or an nvim-dap configuration).
 *
 * - `LaunchArguments` / `AttachArguments`: what arrives in the DAP request.
 * - `launchSchema` / `attachSchema`: JSON-schema-like descriptions; the
 *   `contributes.debuggers[0].configurationAttributes` section of package.json
 *   is generated from them (`npm run gen-manifest`) and a test keeps them equal.
 * - `validateLaunchArguments` / `validateAttachArguments`: type checks with
 *   user-facing messages, and normalisation (defaults, args/buildFlags split,
 *   envFile merged under env, cwd defaulted to the program's folder).
 *
 * Attribute names follow vscode-go, so existing launch.json files carry over.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

export type LaunchMode = 'debug' | 'test' | 'exec';
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
}

export interface NormalizedAttachArguments extends NormalizedDisplayOptions {
  processId: number;
  mode: 'local';
}

export type Validated<T> = { ok: true; args: T } | { ok: false; error: string };

// ---------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------

/** A JSON-schema subset, as VS Code reads it in `configurationAttributes`. */
export interface AttributeSchema {
  type?: string | string[];
  description: string;
  default?: unknown;
  enum?: readonly string[];
  enumDescriptions?: readonly string[];
  items?: Omit<AttributeSchema, 'description'> & { description?: string };
  properties?: Record<string, Omit<AttributeSchema, 'description'> & { description?: string }>;
  required?: readonly string[];
  additionalProperties?: { type: string | string[] } | boolean;
}

export interface RequestSchema {
  required: string[];
  properties: Record<string, AttributeSchema>;
}

export const DEFAULT_STACK_TRACE_DEPTH = 50;

const displayProperties: Record<keyof DisplayOptions, AttributeSchema> = {
  substitutePath: {
    type: 'array',
    description:
      'Rewrites source paths between the editor and the binary: `from` is a path prefix as the editor sees it, `to` the prefix recorded in the binary (for programs built elsewhere, in a container or with -trimpath). The first matching rule wins.',
    items: {
      type: 'object',
      properties: {
        from: { type: 'string', description: 'Path prefix in the editor (local).', default: '' },
        to: { type: 'string', description: 'Path prefix in the binary (as built).', default: '' },
      },
      required: ['from', 'to'],
    },
    default: [],
  },
  showGlobalVariables: {
    type: 'boolean',
    description: "Show the current package's global variables in the Variables view.",
    default: false,
  },
  hideSystemGoroutines: {
    type: 'boolean',
    description: 'Hide goroutines that run only runtime code (the garbage collector, timers, ...) from the Call Stack.',
    default: false,
  },
  stackTraceDepth: {
    type: 'number',
    description: 'Frames a stack trace returns when the client does not say how many (totalFrames always counts the whole stack).',
    default: DEFAULT_STACK_TRACE_DEPTH,
  },
  showLog: {
    type: 'boolean',
    description: "Show the adapter's own log in the Debug Console.",
    default: false,
  },
  trace: {
    type: 'string',
    enum: ['verbose', 'trace', 'log', 'info', 'warn', 'error'],
    description:
      'How much of the adapter log showLog shows: error (internal errors), warn (+ failed requests), info and log (+ one line per request), trace (+ one line per event), verbose (every DAP message in full).',
    default: 'error',
  },
};

export const launchSchema: RequestSchema = {
  required: ['program'],
  properties: {
    program: {
      type: 'string',
      description:
        'What to debug: a package directory or a .go file (built for you with optimisations off), or a built binary with "mode": "exec". Absolute, or relative to `cwd`.',
      default: '${fileDirname}',
    },
    mode: {
      type: 'string',
      enum: ['debug', 'test', 'exec'],
      enumDescriptions: [
        'Build `program` with `go build` and debug it.',
        'Build the tests of `program` with `go test -c` and debug them.',
        'Debug `program`, an existing binary (build it with -gcflags=all=-N -l for the best experience).',
      ],
      description: 'How `program` becomes a binary to debug.',
      default: 'debug',
    },
    args: {
      type: ['array', 'string'],
      items: { type: 'string' },
      description: 'Command-line arguments for the program (for tests: flags such as "-test.run", "TestName"). A single string is split like a shell would.',
      default: [],
    },
    env: {
      type: 'object',
      additionalProperties: { type: ['string', 'null'] },
      description: "Environment variables added to the debuggee's environment; null removes a variable. Overrides envFile.",
      default: {},
    },
    envFile: {
      type: ['string', 'array'],
      items: { type: 'string' },
      description: 'Path(s) of files with KEY=VALUE lines (# comments, quotes and `export` allowed) loaded into the environment; `env` wins on conflicts.',
      default: '${workspaceFolder}/.env',
    },
    cwd: {
      type: 'string',
      description: "Working directory of the program. Default: the program's folder.",
      default: '${workspaceFolder}',
    },
    buildFlags: {
      type: ['string', 'array'],
      items: { type: 'string' },
      description:
        'Extra flags for `go build` / `go test -c`, e.g. "-tags=integration" (a single string is split like a shell would). The debug flags -gcflags=all=-N -l are always added.',
      default: [],
    },
    output: {
      type: 'string',
      description: 'Where to write the built binary (relative to `cwd`). Default: a temporary file removed at the end of the session.',
    },
    stopOnEntry: {
      type: 'boolean',
      description: 'Stop at the start of main.main (or the test main) before running user code.',
      default: false,
    },
    console: {
      type: 'string',
      enum: ['internalConsole', 'integratedTerminal', 'externalTerminal'],
      enumDescriptions: [
        'Program output goes to the Debug Console; no stdin.',
        "Run the program in VS Code's integrated terminal, so it can read stdin.",
        'Run the program in an external terminal window.',
      ],
      description: 'Where the program runs and its stdin/stdout go.',
      default: 'internalConsole',
    },
    ...displayProperties,
  },
};

export const attachSchema: RequestSchema = {
  required: ['processId'],
  properties: {
    processId: {
      type: ['number', 'string'],
      description: 'Process id of the Go program to attach to. "${command:pickGoProcess}" shows a list of running Go programs to choose from.',
      default: '${command:pickGoProcess}',
    },
    mode: {
      type: 'string',
      enum: ['local'],
      enumDescriptions: ['Attach to a process on this machine.'],
      description: 'Attach to a local process.',
      default: 'local',
    },
    ...displayProperties,
  },
};

/** The package.json `contributes.debuggers[0].configurationAttributes` value. */
export function manifestConfigurationAttributes(): { launch: RequestSchema; attach: RequestSchema } {
  // A deep copy, so callers (the generator, tests) can't mutate the schema.
  return JSON.parse(JSON.stringify({ launch: launchSchema, attach: attachSchema }));
}

// ---------------------------------------------------------------------------
// Helpers: shell-like splitting, env files
// ---------------------------------------------------------------------------

/**
 * Splits a command line into words like a POSIX shell (without expansion):
 * whitespace separates words; '…' is literal; "…" allows \" \\ \$ \`; a
 * backslash outside quotes escapes the next character.
 * Throws on an unterminated quote.
 */
export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' quote in: ${line}`);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      inWord = true;
      for (;;) {
        if (i >= line.length) throw new Error(`unterminated " quote in: ${line}`);
        const d = line[i];
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) {
          word += line[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * Parses the text of an env file: `KEY=VALUE` lines, blank lines and `#`
 * comments ignored, an optional `export ` prefix, values optionally in single
 * quotes (literal) or double quotes (\n, \t, \" and \\ escapes); an unquoted
 * value ends at ` #`. Throws with the line number on a malformed line.
 */
export function parseEnvFile(text: string, name = 'envFile'): Record<string, string> {
  const env: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n].trim();
    if (line === '' || line.startsWith('#')) continue;
    if (/^export\s/.test(line)) line = line.slice(6).trimStart();
    const m = /^([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new Error(`${name}, line ${n + 1}: expected KEY=VALUE, found: ${lines[n].trim()}`);
    const [, key, rest] = m;
    env[key] = parseEnvValue(rest, `${name}, line ${n + 1}`);
  }
  return env;
}

function parseEnvValue(rest: string, where: string): string {
  if (rest.startsWith("'")) {
    const end = rest.indexOf("'", 1);
    if (end < 0) throw new Error(`${where}: unterminated ' quote`);
    return rest.slice(1, end);
  }
  if (rest.startsWith('"')) {
    let out = '';
    for (let i = 1; i < rest.length; i++) {
      const c = rest[i];
      if (c === '"') return out;
      if (c === '\\' && i + 1 < rest.length) {
        const e = rest[++i];
        out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
      } else out += c;
    }
    throw new Error(`${where}: unterminated " quote`);
  }
  const comment = rest.search(/\s#/);
  return (comment >= 0 ? rest.slice(0, comment) : rest).trim();
}

/** An env file holds a few variables; anything larger is a mistake (or a device that never ends). */
const MAX_ENV_FILE_BYTES = 1 << 20;

/** Reads and parses an env file (see parseEnvFile). Throws a user-facing message when it can't be read. */
export function loadEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error(`cannot read envFile "${path}": it is not a regular file`);
    if (st.size > MAX_ENV_FILE_BYTES) throw new Error(`cannot read envFile "${path}": it is ${st.size} bytes, more than ${MAX_ENV_FILE_BYTES}`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (!(e as NodeJS.ErrnoException).code) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new Error(`cannot read envFile "${path}": ${code === 'ENOENT' ? 'no such file' : code}`);
  }
  return parseEnvFile(text, `envFile "${path}"`);
}

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
    stackTraceDepth,
    showLog: optBool(o, 'showLog', false),
    trace: optEnum(o, 'trace', ['verbose', 'trace', 'log', 'info', 'warn', 'error'] as const, 'error'),
  };
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
  const mode = optEnum(o, 'mode', ['debug', 'test', 'exec'] as const, 'debug', modeHint(o.mode));
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
  if (mode === 'exec' && kind === 'dir') {
    throw new ConfigError(`\`program\` "${program}" is a directory, but mode "exec" needs a built binary (use mode "debug" to build the package)`);
  }
  if (mode !== 'exec' && kind === 'file' && !program.endsWith('.go')) {
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
  return {
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
  if (mode === 'remote' || mode === 'replay' || mode === 'core') return ` (mode "${mode}" is a Delve feature that go-debug-adapter does not have)`;
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
