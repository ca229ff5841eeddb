/**
 * The launch and attach attributes as JSON-schema-like descriptions: the
 * `contributes.debuggers[0].configurationAttributes` section of package.json
 * is generated from them (`npm run gen-manifest`) and a test keeps them equal.
 * Their types and validation are in launchConfig.ts.
 */
import type { DisplayOptions } from './launchConfig.js';

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
  goroutineFilters: {
    type: 'string',
    description:
      'Which goroutines the Call Stack lists, in Delve\'s syntax: `-w running`, `-w user`, `-w label key=value`, `-w curloc|userloc|goloc|startloc <pattern>` (a substring of "file:line in function", or a glob); `-wo` leaves the matches out instead; several filters must all hold. The stopped goroutine is always listed.',
    default: '',
  },
  justMyCode: {
    type: 'boolean',
    description:
      'Steps end only in your code: stepping into or out of the standard library, the module cache or vendored code goes on to the next line of your code, and their frames are shown de-emphasised in the Call Stack.',
    default: true,
  },
  callStringMethods: {
    type: 'boolean',
    description:
      "Show what a value's Error() or String() method returns in the Variables view, as fmt's %v would print it: the method runs in the stopped program (other goroutines stay stopped); a call that does not return within 100 ms is abandoned and the value's fields are shown.",
    default: true,
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
      enum: ['debug', 'test', 'exec', 'core'],
      enumDescriptions: [
        'Build `program` with `go build` and debug it.',
        'Build the tests of `program` with `go test -c` and debug them.',
        'Debug `program`, an existing binary (build it with -gcflags=all=-N -l for the best experience).',
        'Open `coreFilePath`, a core file of the binary `program`: threads, goroutines, stacks, variables and memory as they were; nothing runs.',
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
    coreFilePath: {
      type: 'string',
      description: 'With "mode": "core": the core file to open (made by the kernel, e.g. with GOTRACEBACK=crash, or by gcore). Relative to `cwd`.',
      default: '',
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
