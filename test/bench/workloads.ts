/**
 * The workloads. Each run starts a fresh adapter, drives it to a stop with the same
 * DAP sequence for both adapters, measures, and checks the answer: a fast wrong
 * answer is a failure (shown as n/a), not a number.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { expectTopLine, findVar, launchToStop, locals, localsScope, resumeToStop, stackTrace, T } from './dapSteps.js';
import { evalFirst, varsStructDeep } from './firstRequests.js';
import { threads1024, threads100k } from './goroutineWorkloads.js';
import { adapterPeakRss } from './procTree.js';
import { compilerProgram, type Program, warmPageCache } from './programs.js';
import { median, onProgram, type RunContext, type Workload } from './workload.js';

export type { MetricDef, RunContext, Unit, Workload } from './workload.js';

const COND_ITERATIONS = 10_000;
const NEXT_COUNT = 200;
const STACK_DEPTH = 1000;
/** Levels asked for: the 1,000 recursive frames plus main.main, runtime.main, runtime.goexit, with room. */
const STACK_LEVELS = 1100;
const SLICE_LEN = 1_000_000;
const PAGE = 100;
const GOROUTINES = 10_000;
/** Fewest threads a `threads` answer must list to count: Delve caps its list at 1024 goroutines. */
const THREADS_MIN = 1000;

const launchSmall = onProgram(
  'launch.small',
  [
    { name: 'launch.small', unit: 'ms', what: 'launch request → stopped at a breakpoint in main.main (small program)' },
    { name: 'adapter.start', unit: 'ms', what: 'spawn of the adapter process → initialize response' },
    { name: 'session.small', unit: 'ms', what: 'spawn of the adapter process → stopped at that breakpoint (all a user waits for after F5)' },
  ],
  'benchsmall',
  async (ctx, p) => {
    const c = ctx.adapter.client;
    const first = await launchToStop(c, p.binary, p.source, [{ line: p.lines.launch! }]);
    await expectTopLine(c, first.threadId, p.source, p.lines.launch!);
    ctx.record('launch.small', first.stopped.at - first.launchSentAt);
    ctx.record('adapter.start', first.initializedAt - ctx.adapter.spawnedAt);
    ctx.record('session.small', first.stopped.at - ctx.adapter.spawnedAt);
  },
);

let compiler: Program | undefined;
const launchLarge: Workload = {
  name: 'launch.large',
  metrics: [
    { name: 'launch.large', unit: 'ms', what: 'launch request → stopped at main.main of cmd/compile (debug build)' },
    { name: 'firstStop.large', unit: 'ms', what: 'threads + stackTrace(20) + scopes + variables(locals) at that stop' },
    { name: 'rss.large', unit: 'MB', what: 'peak RSS (VmHWM) of the adapter processes, debuggee excluded' },
  ],
  prepare(cacheRoot, log) {
    compiler = compilerProgram(cacheRoot, log);
    warmPageCache(compiler.binary);
  },
  async run(ctx) {
    const p = compiler!;
    const c = ctx.adapter.client;
    const first = await launchToStop(c, p.binary, p.source, [{ line: p.lines.main! }]);
    // What VS Code asks at every stop: threads, the top of the stack, the locals.
    const threads = await c.request('threads', undefined, T.request);
    const frames = await stackTrace(c, first.threadId, 20);
    const top = frames[0];
    if (!top || top.line !== p.lines.main || !top.name.includes('main')) {
      throw new Error(`stopped at ${top?.source?.path}:${top?.line} (${top?.name}), expected main.go:${p.lines.main}`);
    }
    ctx.record('launch.large', first.stopped.at - first.launchSentAt);
    const scopes = await c.request<DebugProtocol.ScopesResponse['body']>('scopes', { frameId: top.id }, T.request);
    const scope = localsScope(scopes.body?.scopes ?? []);
    if (!/local/i.test(scope.name) && scope.presentationHint !== 'locals') throw new Error(`no Locals scope (first scope: ${scope.name})`);
    const vars = await c.request('variables', { variablesReference: scope.variablesReference }, T.request);
    ctx.record('firstStop.large', vars.at - threads.sentAt);
    // Sampled at the end, before disconnect.
    const mem = adapterPeakRss(ctx.adapter.pid, p.binary);
    if (mem.kib === 0) throw new Error('could not read VmHWM of the adapter');
    ctx.record('rss.large', mem.kib / 1024);
    // Name what is counted: e.g. dlv runs a Go telemetry child ("dlv ** telemetry **").
    ctx.note('rss.large', `counted ${mem.names.map((n) => (n.length > 40 ? `${n.slice(0, 40)}…` : n)).join(' + ')}`);
  },
};

const condHit = onProgram(
  'cond.hit',
  [{ name: 'cond.hit', unit: 'ms', what: `per hit: continue → stopped over ${COND_ITERATIONS} hits of \`i == ${COND_ITERATIONS - 1}\`, / ${COND_ITERATIONS}` }],
  'benchloop',
  async (ctx, p) => {
    const c = ctx.adapter.client;
    const condition = `i == ${COND_ITERATIONS - 1}`;
    const first = await launchToStop(c, p.binary, p.source, [{ line: p.lines.start! }, { line: p.lines.cond!, condition }]);
    await expectTopLine(c, first.threadId, p.source, p.lines.start!);
    const hit = await resumeToStop(c, 'continue', first.threadId);
    const tid = hit.stopped.body?.threadId ?? first.threadId;
    const top = await expectTopLine(c, tid, p.source, p.lines.cond!);
    const i = findVar(await locals(c, top.id), 'i');
    if (i.value !== String(COND_ITERATIONS - 1)) throw new Error(`stopped with i = ${i.value}, expected ${COND_ITERATIONS - 1}`);
    ctx.record('cond.hit', hit.ms / COND_ITERATIONS);
  },
);

const next = onProgram(
  'next',
  [{ name: 'next', unit: 'ms', what: `median of ${NEXT_COUNT} \`next\` round trips (request → stopped) through a loop body` }],
  'benchloop',
  async (ctx, p) => {
    const c = ctx.adapter.client;
    const first = await launchToStop(c, p.binary, p.source, [{ line: p.lines.step! }]);
    await expectTopLine(c, first.threadId, p.source, p.lines.step!);
    // Pure stepping: no breakpoint left in the loop.
    await c.request('setBreakpoints', { source: { path: p.source }, breakpoints: [], lines: [] }, T.request);
    const times: number[] = [];
    let tid = first.threadId;
    for (let k = 0; k < NEXT_COUNT; k++) {
      const r = await resumeToStop(c, 'next', tid, T.request);
      times.push(r.ms);
      tid = r.stopped.body?.threadId ?? tid;
    }
    // Each iteration is 4 stops (the 3 body lines and the for line), so 200 nexts from
    // the body's first line in iteration 0 end on that line in iteration 50.
    const top = await expectTopLine(c, tid, p.source, p.lines.step!);
    const i = findVar(await locals(c, top.id), 'i');
    const expected = String(NEXT_COUNT / 4);
    if (i.value !== expected) throw new Error(`after ${NEXT_COUNT} nexts i = ${i.value}, expected ${expected}`);
    ctx.record('next', median(times));
  },
);

const stackDeep = onProgram(
  'stack.deep',
  [{ name: 'stack.deep', unit: 'ms', what: `stackTrace {startFrame: 0, levels: ${STACK_LEVELS}} at the bottom of a ${STACK_DEPTH}-deep recursion` }],
  'benchrecurse',
  async (ctx, p) => {
    const c = ctx.adapter.client;
    const first = await launchToStop(c, p.binary, p.source, [{ line: p.lines.bottom! }]);
    // The measured request is the first stackTrace of this stop (nothing cached yet).
    const r = await c.request<DebugProtocol.StackTraceResponse['body']>(
      'stackTrace',
      { threadId: first.threadId, startFrame: 0, levels: STACK_LEVELS },
      T.request,
    );
    const frames = r.body?.stackFrames ?? [];
    ctx.note('stack.deep', `${frames.length} frames`);
    const recs = frames.filter((f) => /\brec$/.test(f.name)).length;
    if (frames[0]?.line !== p.lines.bottom || recs < STACK_DEPTH) {
      throw new Error(
        `got ${frames.length} frames (${recs} of rec), top at line ${frames[0]?.line}; expected ≥ ${STACK_DEPTH} rec frames from line ${p.lines.bottom}`,
      );
    }
    ctx.record('stack.deep', r.at - r.sentAt);
  },
);

/** Requests a page of `v`'s indexed children, checked to hold `PAGE` entries. */
async function page(
  ctx: RunContext,
  metric: string,
  v: DebugProtocol.Variable,
  start: number,
  check: (vars: DebugProtocol.Variable[]) => string | undefined,
): Promise<void> {
  const c = ctx.adapter.client;
  const paged = (v.indexedVariables ?? 0) > PAGE;
  const args = paged ? { variablesReference: v.variablesReference, filter: 'indexed', start, count: PAGE } : { variablesReference: v.variablesReference };
  if (!paged) ctx.note(metric, 'no indexedVariables: unpaged request');
  const r = await c.request<DebugProtocol.VariablesResponse['body']>('variables', args, T.request);
  const vars = r.body?.variables ?? [];
  const bad = check(vars);
  if (bad) throw new Error(`${metric}: ${bad}`);
  ctx.record(metric, r.at - r.sentAt);
}

const variables = onProgram(
  'variables',
  [
    { name: 'vars.slice.first', unit: 'ms', what: `variables: first page (${PAGE}) of a ${SLICE_LEN.toLocaleString('en')}-element []int` },
    { name: 'vars.slice.last', unit: 'ms', what: `variables: last page (${PAGE}) of that slice` },
    { name: 'vars.map.first', unit: 'ms', what: 'variables: first page (100) of a 100,000-entry map[int]int' },
  ],
  'benchvalues',
  async (ctx, p) => {
    const c = ctx.adapter.client;
    const first = await launchToStop(c, p.binary, p.source, [{ line: p.lines.values! }]);
    const top = await expectTopLine(c, first.threadId, p.source, p.lines.values!);
    const vars = await locals(c, top.id);
    const s = findVar(vars, 's');
    const m = findVar(vars, 'm');
    if (!s.variablesReference || !m.variablesReference) throw new Error('s or m is not expandable');
    const startLast = SLICE_LEN - PAGE;
    await page(ctx, 'vars.slice.first', s, 0, (vs) =>
      vs.length !== PAGE
        ? `${vs.length} elements`
        : vs[0]!.value !== '0' || vs[PAGE - 1]!.value !== String(PAGE - 1)
          ? `values ${vs[0]!.value}…${vs[PAGE - 1]!.value}`
          : undefined,
    );
    await page(ctx, 'vars.slice.last', s, startLast, (vs) =>
      vs.length !== PAGE
        ? `${vs.length} elements`
        : vs[0]!.value !== String(startLast) || vs[PAGE - 1]!.value !== String(SLICE_LEN - 1)
          ? `values ${vs[0]!.value}…${vs[PAGE - 1]!.value}`
          : undefined,
    );
    await page(ctx, 'vars.map.first', m, 0, (vs) => {
      // One entry per key/value pair, or two when an adapter splits them.
      if (vs.length < PAGE) return `${vs.length} entries`;
      const wrong = vs.find((x) => /^\[?\d+\]?$/.test(x.name) && /^\d+$/.test(x.value) && Number(x.value) !== 2 * Number(x.name.replace(/[[\]]/g, '')));
      return wrong ? `entry ${wrong.name} = ${wrong.value}` : undefined;
    });
  },
);

const threads = onProgram(
  'threads',
  [{ name: 'threads', unit: 'ms', what: `threads request with ${GOROUTINES.toLocaleString('en')} goroutines alive` }],
  'benchgoroutines',
  async (ctx, p) => {
    const c = ctx.adapter.client;
    const first = await launchToStop(c, p.binary, p.source, [{ line: p.lines.threads! }]);
    const r = await c.request<DebugProtocol.ThreadsResponse['body']>('threads', undefined, T.request);
    const n = r.body?.threads?.length ?? 0;
    ctx.note('threads', `${n} threads`);
    // Goroutines must be listed (dlv lists at most 1024 of them): OS threads alone do not count.
    if (n < THREADS_MIN) throw new Error(`listed ${n} threads, expected the goroutines (≥ ${THREADS_MIN})`);
    await expectTopLine(c, first.threadId, p.source, p.lines.threads!);
    ctx.record('threads', r.at - r.sentAt);
  },
);

export const WORKLOADS: Workload[] = [
  launchSmall,
  launchLarge,
  condHit,
  next,
  stackDeep,
  variables,
  varsStructDeep,
  evalFirst,
  threads,
  threads1024,
  threads100k,
];
