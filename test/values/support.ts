/**
 * Helpers for the values end-to-end tests: launch a testdata program to a
 * marked line (`// BP:name`), read the Variables view, page children, and
 * render what the view shows in Go's %#v syntax, so it can be compared with
 * what the program printed about itself (the oracle).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, tidOf, waitStopped } from '../support/dap.js';
import { testdataDir } from '../support/goBuild.js';

export type Var = DebugProtocol.Variable;

/** Line numbers of `// BP:<name>` marks in testdata/<fixture>/main.go. */
export function marks(fixture: string): { source: string; line: Record<string, number> } {
  const source = join(testdataDir, fixture, 'main.go');
  const line: Record<string, number> = {};
  readFileSync(source, 'utf8')
    .split('\n')
    .forEach((t, i) => {
      const m = /\/\/ BP:(\w+)/.exec(t);
      if (m) line[m[1]!] = i + 1;
    });
  return { source, line };
}

export interface Stopped {
  c: StartedClient;
  dc: DebugClient;
  tid: number;
  frameId: number;
  out: ReturnType<typeof collectOutput>;
}

/** Launches `binary`, sets the breakpoints, waits for the first stop. */
export async function launchTo(binary: string, source: string, bps: DebugProtocol.SourceBreakpoint[]): Promise<Stopped & { bps: DebugProtocol.Breakpoint[] }> {
  const c = await startAdapterClient();
  const { dc } = c;
  const out = collectOutput(dc);
  // >> initialize, launch, << initialized
  await dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', supportsVariablePaging: true });
  const initialized = dc.waitForEvent('initialized', 60_000);
  await dc.launch({ mode: 'exec', program: binary } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  // >> setBreakpoints (with conditions, hit conditions, log messages), configurationDone
  const r = await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: bps });
  const stopped = waitStopped(dc, 60_000);
  await dc.configurationDoneRequest();
  // << stopped
  const ev = await stopped;
  const tid = tidOf(ev);
  const frameId = (await dc.stackTraceRequest({ threadId: tid, levels: 1 })).body.stackFrames[0]!.id;
  return { c, dc, tid, frameId, out, bps: r.body.breakpoints };
}

export { configure };

/** After a continue: the new top frame id. */
export async function topFrame(dc: DebugClient, tid: number): Promise<number> {
  return (await dc.stackTraceRequest({ threadId: tid, levels: 1 })).body.stackFrames[0]!.id;
}

export async function scopeVars(dc: DebugClient, frameId: number, scope = 'Locals'): Promise<Var[]> {
  const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
  const s = scopes.find((x) => x.name.startsWith(scope));
  assert.ok(s, `no ${scope} scope in ${scopes.map((x) => x.name).join(', ')}`);
  return (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
}

export async function children(dc: DebugClient, v: Var, start?: number, count?: number): Promise<Var[]> {
  assert.ok(v.variablesReference > 0, `${v.name} (${v.value}) is not expandable`);
  const args: DebugProtocol.VariablesArguments = { variablesReference: v.variablesReference };
  if (start !== undefined) Object.assign(args, { start, count, filter: 'indexed' });
  return (await dc.variablesRequest(args)).body.variables;
}

/** All indexed children, fetched in pages of `page`. */
export async function allIndexed(dc: DebugClient, v: Var, page = 500): Promise<Var[]> {
  const n = v.indexedVariables ?? 0;
  const out: Var[] = [];
  for (let s = 0; s < n; s += page) out.push(...(await children(dc, v, s, Math.min(page, n - s))));
  return out;
}

export function byName(vars: Var[], name: string): Var {
  const v = vars.find((x) => x.name === name);
  assert.ok(v, `no variable ${name} among ${vars.map((x) => x.name).join(', ')}`);
  return v;
}

/** The program's own %#v lines: `name=value` (first `=` splits). */
export function oracleLines(stdout: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of stdout.split('\n')) {
    const i = l.indexOf('=');
    if (i > 0) m.set(l.slice(0, i), l.slice(i + 1));
  }
  return m;
}

const UNSIGNED = /^(uint\d*|uintptr|byte)$/;

function keyOrder(a: string, b: string): number {
  if (/^-?\d+$/.test(a) && /^-?\d+$/.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Renders a Variables-view entry as fmt's %#v would print the value: built
 * from the view's structure (children, types, memory references), using our
 * value strings only for leaves (numbers, strings, bools).
 */
export async function sharpV(dc: DebugClient, v: Var, top = true): Promise<string> {
  const t = v.type ?? '';
  if (t.startsWith('*')) {
    if (v.value === 'nil') return `(${t})(nil)`;
    if (!top) return `(${t})(${v.memoryReference})`;
    const kids = await children(dc, v);
    return `&${await renderStruct(dc, t.slice(1), kids)}`;
  }
  if (t.startsWith('[]')) {
    if (/, nil$/.test(v.value)) return `${t}(nil)`;
    if (!v.variablesReference) return `${t}{}`;
    return `${t}{${(await Promise.all((await allIndexed(dc, v)).map((k) => sharpV(dc, k, false)))).join(', ')}}`;
  }
  if (/^\[\d+\]/.test(t)) {
    const kids = await children(dc, v, 0, v.indexedVariables ?? 0);
    return `${t}{${(await Promise.all(kids.map((k) => sharpV(dc, k, false)))).join(', ')}}`;
  }
  if (t.startsWith('map[')) {
    if (/ nil$/.test(v.value)) return `${t}(nil)`;
    if (!v.variablesReference) return `${t}{}`;
    const entries: [string, string][] = [];
    for (const k of await allIndexed(dc, v)) {
      if (k.name.startsWith('[key ')) {
        const [key, val] = await children(dc, k);
        entries.push([await sharpV(dc, key!, false), await sharpV(dc, val!, false)]);
      } else {
        const keyText = k.name.slice(1, -1);
        entries.push([keyText, await sharpV(dc, k, false)]);
      }
    }
    entries.sort((a, b) => keyOrder(a[0], b[0]));
    return `${t}{${entries.map(([a, b]) => `${a}:${b}`).join(', ')}}`;
  }
  if (v.variablesReference && (t.startsWith('main.') || t.startsWith('struct')) && / \{/.test(v.value)) {
    return renderStruct(dc, t, await children(dc, v));
  }
  if (UNSIGNED.test(t) && /^\d+$/.test(v.value)) return `0x${BigInt(v.value).toString(16)}`;
  return v.value;
}

async function renderStruct(dc: DebugClient, t: string, kids: Var[]): Promise<string> {
  const parts = await Promise.all(kids.map(async (k) => `${k.name}:${await sharpV(dc, k, false)}`));
  return `${t}{${parts.join(', ')}}`;
}
