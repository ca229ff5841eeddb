/**
 * What a workload is: metrics, a prepare step (building what it debugs) and a run
 * against one fresh adapter; and onProgram, a workload on one small testdata program.
 */
import type { RunningAdapter } from './adapters.js';
import { benchProgram, warmPageCache, type Program } from './programs.js';

export type Unit = 'ms' | 'MB';

export interface MetricDef {
  name: string;
  unit: Unit;
  /** What is measured, one line. */
  what: string;
}

export interface RunContext {
  adapter: RunningAdapter;
  /** Records a measurement: call it only once the answer has been checked. */
  record(metric: string, value: number): void;
  /** A fact about this adapter's answer (e.g. how many frames came back), shown beside the numbers. */
  note(metric: string, text: string): void;
}

export interface Workload {
  name: string;
  metrics: MetricDef[];
  /** Builds what the workload debugs (once, before any run). */
  prepare(cacheRoot: string, log: (m: string) => void): void;
  run(ctx: RunContext): Promise<void>;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A workload on one small testdata program. */
export function onProgram(name: string, metrics: MetricDef[], dir: string, run: (ctx: RunContext, p: Program) => Promise<void>): Workload {
  let program: Program | undefined;
  return {
    name,
    metrics,
    prepare() {
      program = benchProgram(dir);
      warmPageCache(program.binary);
    },
    run: (ctx) => run(ctx, program!),
  };
}
