/**
 * Performance numbers for the values work (a script, not a test):
 *   node out/test/values/numbers.js
 * - cost per false conditional-breakpoint hit (10,000 hits of `i == 9999`);
 * - opening a 1,000,000-element slice and fetching its last page;
 * - listing the locals of a frame in cmd/compile (debug build).
 */
import { performance } from 'node:perf_hooks';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient } from '../support/adapterClient.js';
import { tidOf, waitStopped } from '../support/dap.js';
import { buildFixture } from '../support/goBuild.js';
import { largeBinary } from '../dwarf/support.js';
import { byName, children, launchTo, marks, scopeVars } from './support.js';

async function condHits(bp: Omit<DebugProtocol.SourceBreakpoint, 'line'>, label: string): Promise<void> {
  const { source, line } = marks('valuesloop');
  const c = await startAdapterClient();
  const { dc } = c;
  await dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const init = dc.waitForEvent('initialized');
  await dc.launch({ mode: 'exec', program: buildFixture('valuesloop') } as DebugProtocol.LaunchRequestArguments);
  await init;
  await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'main.cond' }] });
  let st = waitStopped(dc);
  await dc.configurationDoneRequest();
  const tid = tidOf(await st);
  await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: line.cond!, ...bp }] });
  st = waitStopped(dc);
  const t0 = performance.now();
  await dc.continueRequest({ threadId: tid });
  const ev = await st;
  const ms = performance.now() - t0;
  const frame = (await dc.stackTraceRequest({ threadId: tidOf(ev), levels: 1 })).body.stackFrames[0]!;
  const i = (await dc.evaluateRequest({ expression: 'i', frameId: frame.id })).body.result;
  console.log(`${label}: ${((ms / 10_000) * 1000).toFixed(1)} µs per hit (10,000 hits in ${ms.toFixed(0)} ms; stopped with i = ${i})`);
  await c.close();
}

async function hugeSlice(): Promise<void> {
  const { source, line } = marks('values');
  const s = await launchTo(buildFixture('values'), source, [{ line: line.main! }]);
  let t = performance.now();
  const locals = await scopeVars(s.dc, s.frameId);
  const tLocals = performance.now() - t;
  const huge = byName(locals, 'huge');
  t = performance.now();
  await children(s.dc, huge, 0, 100);
  const tOpen = performance.now() - t;
  t = performance.now();
  await children(s.dc, huge, 999_900, 100);
  const tLast = performance.now() - t;
  const big = byName(locals, 'big');
  t = performance.now();
  await children(s.dc, big, 1900, 100);
  const tMap = performance.now() - t;
  console.log(`locals (${locals.length} variables incl. the 1M slice and 2,000-entry map): ${tLocals.toFixed(1)} ms`);
  console.log(`1M-element slice: first page (100) ${tOpen.toFixed(1)} ms, last page (100) ${tLast.toFixed(1)} ms`);
  console.log(`2,000-entry Swiss map: page [1900, 2000) ${tMap.toFixed(1)} ms`);
  await s.c.close();
}

async function compilerLocals(): Promise<void> {
  const bin = largeBinary();
  const c = await startAdapterClient();
  const { dc } = c;
  await dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const init = dc.waitForEvent('initialized', 60_000);
  await dc.launch({ mode: 'exec', program: bin, args: ['-V'] } as DebugProtocol.LaunchRequestArguments);
  await init;
  // A frame with many locals, deep in the compiler: the SSA compile of the first function.
  await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'cmd/compile/internal/gc.Main' }] });
  const st = waitStopped(dc, 60_000);
  await dc.configurationDoneRequest();
  const tid = tidOf(await st);
  const frames = (await dc.stackTraceRequest({ threadId: tid, levels: 3 })).body.stackFrames;
  for (const f of frames.slice(0, 2)) {
    let t = performance.now();
    const scopes = (await dc.scopesRequest({ frameId: f.id })).body.scopes;
    const vars = (await dc.variablesRequest({ variablesReference: scopes[0]!.variablesReference })).body.variables;
    const cold = performance.now() - t;
    t = performance.now();
    await dc.variablesRequest({ variablesReference: scopes[0]!.variablesReference });
    const warm = performance.now() - t;
    console.log(`cmd/compile ${f.name}: scopes + locals (${vars.length} variables) ${cold.toFixed(1)} ms first, ${warm.toFixed(1)} ms again`);
  }
  await c.close();
}

await condHits({ hitCondition: '== 10000' }, 'floor (hit condition only, no expression)');
await condHits({ condition: 'i == 9999' }, 'cond.hit (`i == 9999`, false 9,999 times)');
await condHits({ condition: 'i == 9999 && sink >= 0' }, 'cond.hit (`i == 9999 && sink >= 0`, a local and a global)');
await hugeSlice();
await compilerLocals();
