/**
 * `npm run bench`: our adapter side by side with `dlv dap`, same binaries, same
 * DAP sequences, same machine, one run. Where our adapter fails a workload (error
 * response, timeout, missing capability, wrong answer) it shows n/a and Delve is
 * still measured.
 *
 *   node out/test/bench/bench.js [--quick] [--runs N] [--only a,b] [--json FILE]
 *                                [--adapters ours,dlv] [--dlv PATH] [--trace]
 *
 * Progress goes to stderr, the table to stdout.
 */
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execFileSync, spawnSync } from 'node:child_process';
import { goBin } from '../support/goBuild.js';
import { oursMain, oursTransport, startDelve, startOurs, type AdapterName, type RunningAdapter, type Transport } from './adapters.js';
import { DapTimeout } from './dapClient.js';
import { ensureDelve, type Delve } from './delve.js';
import { fmt, legend, newSeries, table, writeJson, type FloorResult, type MetricResult } from './report.js';
import { WORKLOADS, type Workload } from './workloads.js';

const USAGE = `Usage: npm run bench -- [options]

  --quick             2 runs per workload instead of 5
  --runs N            N runs per workload (each run: ours, then Delve)
  --only a,b,…        only these workloads or metrics (prefixes work: "vars", "launch", "floor")
  --json FILE         also write the results as JSON
  --adapters a,b      which adapters: ours,dlv (default both)
  --dlv PATH          use this dlv instead of installing one
  --ours-transport T  tcp or stdio (default: tcp when our adapter has --listen)
  --trace             print every DAP message to stderr

Workloads: ${WORKLOADS.map((w) => w.name).join(', ')}, floor.
Cache (Delve, the large binary): $GDA_BENCH_CACHE or $TMPDIR/go-debug-adapter-bench.`;

interface Options {
  runs: number;
  only?: string[];
  json?: string;
  adapters: AdapterName[];
  dlv?: string;
  oursTransport?: Transport;
  trace: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { runs: 5, adapters: ['ours', 'dlv'], trace: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') o.runs = 2;
    else if (a === '--runs') o.runs = Math.max(1, Number(value()) || 1);
    else if (a === '--only')
      o.only = value()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (a === '--json') o.json = value();
    else if (a === '--adapters')
      o.adapters = value()
        .split(',')
        .filter((x): x is AdapterName => x === 'ours' || x === 'dlv');
    else if (a === '--dlv') o.dlv = value();
    else if (a === '--ours-transport') {
      const t = value();
      if (t !== 'tcp' && t !== 'stdio') throw new Error('--ours-transport is tcp or stdio');
      o.oursTransport = t;
    } else if (a === '--trace') o.trace = true;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n\n${USAGE}`);
  }
  return o;
}

/** A name is selected by --only when it starts with one of the given names. */
function selected(name: string, only: string[] | undefined): boolean {
  return !only || only.some((o) => name.startsWith(o));
}

function wanted(w: Workload, only: string[] | undefined): boolean {
  return selected(w.name, only) || w.metrics.some((m) => selected(m.name, only));
}

const log = (m: string) => process.stderr.write(`${m}\n`);

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const line = msg.split('\n')[0]!.trim();
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

interface Env {
  delve?: Delve;
  delveError?: string;
  ours: Transport | { unavailable: string };
  opts: Options;
}

function start(env: Env, name: AdapterName): Promise<RunningAdapter> {
  const trace = env.opts.trace ? (l: string) => log(`  [${name}] ${l}`) : undefined;
  if (name === 'dlv') return startDelve(env.delve!.path, { trace });
  return startOurs(env.ours as Transport, { trace });
}

/** Runs one workload `runs` times, interleaved ours/dlv, into `results`. */
async function runWorkload(w: Workload, env: Env, cacheRoot: string): Promise<MetricResult[]> {
  const results = w.metrics.map((m) => ({ ...m, ours: newSeries(true), dlv: newSeries(false) }));
  const byName = new Map(results.map((r) => [r.name, r]));
  const failAll = (who: AdapterName, why: string) => results.forEach((r) => r[who].failures.push(why));
  const adapters = env.opts.adapters.filter((a) => {
    if (a === 'ours' && typeof env.ours !== 'string') {
      failAll('ours', env.ours.unavailable);
      return false;
    }
    if (a === 'dlv' && !env.delve) {
      failAll('dlv', env.delveError ?? 'no dlv');
      return false;
    }
    return true;
  });
  try {
    w.prepare(cacheRoot, log);
  } catch (e) {
    for (const a of adapters) failAll(a, `could not prepare: ${firstLine(e)}`);
    return results;
  }
  const givenUp = new Set<AdapterName>();
  const dlvFailures = { n: 0 };
  for (let run = 1; run <= env.opts.runs; run++) {
    for (const who of adapters) {
      if (givenUp.has(who)) continue;
      const recorded = new Set<string>();
      const parts: string[] = [];
      let adapter: RunningAdapter | undefined;
      const t0 = performance.now();
      try {
        adapter = await start(env, who);
        await w.run({
          adapter,
          record(metric, value) {
            byName.get(metric)![who].values.push(value);
            recorded.add(metric);
            parts.push(`${metric}=${fmt(value)}`);
          },
          note(metric, text) {
            byName.get(metric)![who].notes.add(text);
          },
        });
      } catch (e) {
        const why = firstLine(e);
        for (const r of results) if (!recorded.has(r.name)) r[who].failures.push(why);
        parts.push(`FAILED: ${why}`);
        // Ours: keep going only while it measures something and fails fast; Delve: allow one flake.
        if (who === 'ours' && (recorded.size === 0 || e instanceof DapTimeout)) givenUp.add(who);
        if (who === 'dlv' && ++dlvFailures.n >= 2) givenUp.add(who);
      } finally {
        await adapter?.stop().catch(() => {});
      }
      log(`[${w.name}] run ${run}/${env.opts.runs} ${who.padEnd(4)} ${parts.join(' ')}  (${duration(performance.now() - t0)})`);
    }
  }
  return results;
}

function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Linux ${release()}`;
}

function goVersion(): string {
  try {
    return execFileSync(goBin(), ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** Median of 5 spawns of `node -e 0` until exit: the floor under adapter.start. */
function nodeStartMs(): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[2]!;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const began = performance.now();
  const load = loadavg();
  const nodeStart = nodeStartMs();
  const cacheRoot = process.env.GDA_BENCH_CACHE ?? join(tmpdir(), 'go-debug-adapter-bench');
  const env: Env = { ours: { unavailable: 'not selected (--adapters)' }, opts };
  if (opts.adapters.includes('dlv')) {
    try {
      env.delve = ensureDelve(cacheRoot, log, opts.dlv);
    } catch (e) {
      env.delveError = firstLine(e);
      log(`Delve unavailable: ${(e as Error).message}`);
    }
  }
  if (opts.adapters.includes('ours')) {
    env.ours = oursTransport();
    if (opts.oursTransport && typeof env.ours === 'string') env.ours = opts.oursTransport;
  }
  const oursDesc =
    typeof env.ours === 'string'
      ? `node ${oursMain}${env.ours === 'tcp' ? ' --listen 127.0.0.1:0 (TCP)' : ' (stdio)'}`
      : `unavailable: ${env.ours.unavailable}`;
  const dlvDesc = env.delve ? `Delve ${env.delve.version}: dlv dap --listen=127.0.0.1:0 (TCP)` : `unavailable: ${env.delveError ?? 'not selected'}`;
  const header = [
    `go-debug-adapter benchmark, ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC`,
    `machine: ${machine()}; Node ${process.version}; ${goVersion()}`,
    `ours:    ${oursDesc}`,
    `dlv:     ${dlvDesc}`,
    `runs:    ${opts.runs} per workload, interleaved ours, dlv, ours, dlv, …; a fresh adapter and debuggee per run`,
    `load:    ${load.map((x) => x.toFixed(2)).join(' ')} (1/5/15 min) at the start: other work on the machine skews numbers`,
    `node:    \`node -e 0\` spawn → exit ${fmt(nodeStart)} ms (median of 5): the floor under adapter.start`,
  ].join('\n');
  log(header);

  let floor: FloorResult[] = [];
  let floorError: string | undefined;
  if (selected('floor', opts.only)) {
    try {
      const { measureFloor } = await import('./floor.js');
      floor = measureFloor();
    } catch (e) {
      floorError = firstLine(e);
    }
  }

  const results: MetricResult[] = [];
  for (const w of WORKLOADS) {
    if (!wanted(w, opts.only)) continue;
    const all = await runWorkload(w, env, cacheRoot);
    results.push(...all.filter((r) => selected(w.name, opts.only) || selected(r.name, opts.only)));
  }

  const elapsed = performance.now() - began;
  const out = [header, ''];
  if (results.length > 0) out.push(table(results), '', 'metrics:', legend(results), '');
  if (floor.length > 0) {
    out.push('floor (one kernel round trip from Node through src/engine, median):');
    for (const f of floor) out.push(`  ${f.name.padEnd(19)} ${fmt(f.value).padStart(7)} µs  ${f.what}`);
    out.push('');
  } else if (floorError) out.push(`floor: not measured (${floorError})`, '');
  out.push(`total time: ${duration(elapsed)}`);
  console.log(out.join('\n'));
  if (opts.json) {
    writeJson(opts.json, results, floor, {
      date: new Date().toISOString(),
      machine: machine(),
      node: process.version,
      go: goVersion(),
      delve: env.delve?.version ?? null,
      transport: { ours: typeof env.ours === 'string' ? env.ours : null, dlv: env.delve ? 'tcp' : null },
      runs: opts.runs,
      loadAverageAtStart: load,
      nodeStartMs: nodeStart,
      totalSeconds: Math.round(elapsed / 1000),
    });
    log(`wrote ${opts.json}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
