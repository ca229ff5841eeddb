/**
 * The shapes of request arguments as the DAP specification declares them,
 * checked before a handler runs: a request whose arguments have the wrong
 * type (a string where a number belongs, a missing required field, an object
 * where an array belongs) is answered InvalidArguments naming the field, not
 * "Error processing …" from deep inside a handler. Launch and attach
 * arguments are free-form and checked by launchConfig.ts; the execution
 * requests check their threadId themselves (requests/execution.ts).
 */

type Kind = 'number' | 'string' | 'boolean' | 'object' | 'array';

/** A field: its kind, whether it is required, and what it holds. */
interface Field {
  kind: Kind;
  required?: boolean;
  /** The items of an array, or the fields of an object. */
  items?: Kind | Shape;
  /** A count or an index: a whole number, 0 or more. */
  nat?: boolean;
}
type Shape = Record<string, Field>;

const req = (kind: Kind, items?: Kind | Shape): Field => ({ kind, required: true, items });
const opt = (kind: Kind, items?: Kind | Shape): Field => ({ kind, items });
/** A count or an index (a whole number, 0 or more), required or not. */
const reqNat: Field = { kind: 'number', required: true, nat: true };
const optNat: Field = { kind: 'number', nat: true };

const conditions: Shape = { condition: opt('string'), hitCondition: opt('string') };
/** A DAP Source: found by its path here (we have no source references). */
const source: Shape = { path: opt('string'), name: opt('string'), sourceReference: opt('number') };

const SHAPES: Record<string, Shape> = {
  initialize: { adapterID: opt('string'), linesStartAt1: opt('boolean'), columnsStartAt1: opt('boolean'), pathFormat: opt('string') },
  setBreakpoints: {
    source: req('object', source),
    breakpoints: opt('array', { line: req('number'), column: opt('number'), logMessage: opt('string'), ...conditions }),
    lines: opt('array', 'number'),
    sourceModified: opt('boolean'),
  },
  setFunctionBreakpoints: { breakpoints: req('array', { name: req('string'), ...conditions }) },
  setInstructionBreakpoints: { breakpoints: req('array', { instructionReference: req('string'), offset: opt('number'), ...conditions }) },
  setExceptionBreakpoints: {
    filters: req('array', 'string'),
    filterOptions: opt('array', { filterId: req('string'), condition: opt('string') }),
    exceptionOptions: opt('array'),
  },
  stackTrace: { threadId: req('number'), startFrame: optNat, levels: optNat, format: opt('object') },
  scopes: { frameId: req('number') },
  variables: { variablesReference: req('number'), filter: opt('string'), start: optNat, count: optNat, format: opt('object') },
  setVariable: { variablesReference: req('number'), name: req('string'), value: req('string'), format: opt('object') },
  setExpression: { expression: req('string'), value: req('string'), frameId: opt('number'), format: opt('object') },
  evaluate: { expression: req('string'), frameId: opt('number'), context: opt('string'), format: opt('object') },
  exceptionInfo: { threadId: req('number') },
  readMemory: { memoryReference: req('string'), offset: opt('number'), count: reqNat },
  disassemble: {
    memoryReference: req('string'),
    offset: opt('number'),
    instructionOffset: opt('number'),
    instructionCount: reqNat,
    resolveSymbols: opt('boolean'),
  },
  restart: { arguments: opt('object') },
  cancel: { requestId: opt('number'), progressId: opt('string') },
  disconnect: { restart: opt('boolean'), terminateDebuggee: opt('boolean'), suspendDebuggee: opt('boolean') },
  stepInTargets: { frameId: req('number') },
  gotoTargets: { source: req('object', source), line: req('number'), column: opt('number') },
  goto: { threadId: req('number'), targetId: req('number') },
  breakpointLocations: { source: req('object', source), line: req('number'), column: opt('number'), endLine: opt('number'), endColumn: opt('number') },
  writeMemory: { memoryReference: req('string'), offset: opt('number'), allowPartial: opt('boolean'), data: req('string') },
  dataBreakpointInfo: { variablesReference: opt('number'), name: req('string'), frameId: opt('number'), bytes: opt('number'), asAddress: opt('boolean') },
  setDataBreakpoints: { breakpoints: req('array', { dataId: req('string'), accessType: opt('string'), ...conditions }) },
};

function kindOf(v: unknown): Kind | 'null' | 'other' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  if (t === 'number') return Number.isFinite(v) ? 'number' : 'other';
  if (t === 'string' || t === 'boolean' || t === 'object') return t;
  return 'other';
}

function checkShape(shape: Shape, value: Record<string, unknown>, where: string): string | undefined {
  for (const [name, f] of Object.entries(shape)) {
    const v = value[name];
    const path = where ? `${where}.${name}` : name;
    if (v === undefined) {
      if (f.required) return `${path} is required`;
      continue;
    }
    if (kindOf(v) !== f.kind) return `${path} must be ${f.kind === 'array' ? 'an array' : `a${f.kind === 'object' ? 'n' : ''} ${f.kind}`}`;
    if (f.nat && !(Number.isSafeInteger(v) && (v as number) >= 0)) return `${path} must be a whole number, 0 or more (not ${v})`;
    if (f.kind === 'object' && f.items && typeof f.items !== 'string') {
      const bad = checkShape(f.items, v as Record<string, unknown>, path);
      if (bad) return bad;
    }
    if (f.kind === 'array' && f.items) {
      const items = v as unknown[];
      for (let i = 0; i < items.length; i++) {
        const it = items[i];
        if (typeof f.items === 'string') {
          if (kindOf(it) !== f.items) return `${path}[${i}] must be a ${f.items}`;
        } else {
          if (kindOf(it) !== 'object') return `${path}[${i}] must be an object`;
          const bad = checkShape(f.items, it as Record<string, unknown>, `${path}[${i}]`);
          if (bad) return bad;
        }
      }
    }
  }
  return undefined;
}

/** Why the arguments of `command` do not fit the specification, or undefined when they do (or are not checked here). */
export function argumentsProblem(command: string, args: unknown): string | undefined {
  const shape = SHAPES[command];
  if (args !== undefined && kindOf(args) !== 'object') return `the arguments of "${command}" must be an object`;
  if (!shape) return undefined;
  const bad = checkShape(shape, (args ?? {}) as Record<string, unknown>, '');
  return bad && `${command}: ${bad}`;
}
