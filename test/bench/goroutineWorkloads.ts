/**
 * `threads` with many goroutines (testdata/benchgoroutines, N given as its argument):
 *
 *   threads.1024   about 1,024 goroutines: Delve's cap, so both adapters list them all
 *   threads.100k   100,000 goroutines: the time, and the adapter's peak RSS after it
 *                  (Delve lists its first 1,024 only)
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { expectTopLine, launchToStop, T } from './dapSteps.js';
import { adapterPeakRss, cpuMs } from './procTree.js';
import type { Program } from './programs.js';
import { onProgram, type RunContext } from './workload.js';

/** Workers; with main and the runtime's own goroutines the total stays below 1,024. */
const WORKERS_1024 = 1000;
const WORKERS_100K = 100_000;

async function threadsAt(ctx: RunContext, p: Program, workers: number, metric: string): Promise<number> {
  const c = ctx.adapter.client;
  const first = await launchToStop(c, p.binary, p.source, [{ line: p.lines.threads! }], { args: [String(workers)] });
  const cpu0 = cpuMs(ctx.adapter.pid);
  const r = await c.request<DebugProtocol.ThreadsResponse['body']>('threads', undefined, T.request);
  const cpu1 = cpuMs(ctx.adapter.pid);
  const n = r.body?.threads?.length ?? 0;
  ctx.note(metric, `${n} threads`);
  if (cpu0 !== undefined && cpu1 !== undefined) ctx.note(metric, `CPU ${Math.round(cpu1 - cpu0)} ms`);
  // Goroutines must be listed (at least Delve's 1,024 cap, or all of them when fewer).
  const least = Math.min(workers, 1000);
  if (n < least) throw new Error(`listed ${n} threads, expected the goroutines (≥ ${least})`);
  await expectTopLine(c, first.threadId, p.source, p.lines.threads!);
  ctx.record(metric, r.at - r.sentAt);
  return n;
}

export const threads1024 = onProgram(
  'threads.1024',
  [{ name: 'threads.1024', unit: 'ms', what: `threads request with ${WORKERS_1024.toLocaleString('en')} parked goroutines (+ main and the runtime's)` }],
  'benchgoroutines',
  async (ctx, p) => {
    await threadsAt(ctx, p, WORKERS_1024, 'threads.1024');
  },
);

export const threads100k = onProgram(
  'threads.100k',
  [
    { name: 'threads.100k', unit: 'ms', what: `threads request with ${WORKERS_100K.toLocaleString('en')} goroutines alive` },
    { name: 'threads.100k.rss', unit: 'MB', what: 'peak RSS (VmHWM) of the adapter processes after that threads request' },
  ],
  'benchgoroutines',
  async (ctx, p) => {
    await threadsAt(ctx, p, WORKERS_100K, 'threads.100k');
    const mem = adapterPeakRss(ctx.adapter.pid, p.binary);
    if (mem.kib === 0) throw new Error('could not read VmHWM of the adapter');
    ctx.record('threads.100k.rss', mem.kib / 1024);
  },
);
