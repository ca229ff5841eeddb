/**
 * Collected numbers → summary (median, min, max, ratio ours/dlv), a readable
 * table, and the JSON file.
 */
import { writeFileSync } from 'node:fs';
import type { AdapterName } from './adapters.js';
import type { Unit } from './workloads.js';

export interface Series {
  values: number[];
  /** Why runs failed (one message per failed run). */
  failures: string[];
  notes: Set<string>;
  /** Ours is held to every run: one failed run makes it n/a. Delve is n/a only with no number at all. */
  strict: boolean;
}

export function newSeries(strict: boolean): Series {
  return { values: [], failures: [], notes: new Set(), strict };
}

export interface MetricResult {
  name: string;
  unit: Unit;
  what: string;
  ours: Series;
  dlv: Series;
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(values: number[]): Summary | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, min: s[0]!, max: s[s.length - 1]!, runs: s.length };
}

/** The summary to show, or undefined for n/a. */
function usable(series: Series): Summary | undefined {
  return series.strict && series.failures.length > 0 ? undefined : summarize(series.values);
}

export function fmt(x: number): string {
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  if (a >= 0.01) return x.toFixed(3);
  return x.toPrecision(2);
}

function cell(s: Summary | undefined): string {
  if (!s) return 'n/a';
  return s.runs > 1 ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : fmt(s.median);
}

function notesOf(name: AdapterName, s: Series): string[] {
  const out = [...s.notes].map((n) => `${name}: ${n}`);
  if (s.failures.length > 0) {
    const runs = s.values.length > 0 ? ` (${s.failures.length} run${s.failures.length > 1 ? 's' : ''} failed)` : '';
    out.push(`${name}${runs}: ${s.failures[0]}`);
  }
  return out;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** The table: metric, unit, ours, dlv, ratio, notes. */
export function table(results: MetricResult[]): string {
  const rows = results.map((r) => {
    const o = usable(r.ours);
    const d = usable(r.dlv);
    const ratio = o && d && d.median > 0 ? `${fmt(o.median / d.median)}×` : 'n/a';
    return [r.name, r.unit, cell(o), cell(d), ratio, [...notesOf('ours', r.ours), ...notesOf('dlv', r.dlv)].join('; ')];
  });
  const head = ['metric', 'unit', 'ours median (min–max)', 'dlv median (min–max)', 'ours/dlv', 'notes'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === 5 ? 0 : r[i]!.length))));
  const line = (cols: string[]) =>
    cols
      .map((c, i) => (i === 5 ? c : pad(c, widths[i]!, i >= 2 && i <= 4)))
      .join('  ')
      .trimEnd();
  return [
    line(head),
    line(
      widths
        .slice(0, 5)
        .map((w) => '-'.repeat(w))
        .concat('-----'),
    ),
    ...rows.map(line),
  ].join('\n');
}

/** One line per metric saying what it measures. */
export function legend(results: MetricResult[]): string {
  const w = Math.max(...results.map((r) => r.name.length));
  return results.map((r) => `  ${r.name.padEnd(w)}  ${r.what}`).join('\n');
}

export interface FloorResult {
  name: string;
  unit: 'us';
  value: number;
  what: string;
}

/**
 * `{ "<metric>": { ours, dlv, ratio, unit, … } }` with medians (null when n/a), plus
 * min/max/runs/notes per adapter; floor metrics carry `value` (ours/dlv null);
 * `_meta` describes the machine and the run.
 */
/** Rounded for the file: 4 decimals is below a microsecond in ms. */
function r4(x: number | null | undefined): number | null {
  return x === null || x === undefined ? null : Math.round(x * 1e4) / 1e4;
}

export function writeJson(file: string, results: MetricResult[], floor: FloorResult[], meta: Record<string, unknown>): void {
  const out: Record<string, unknown> = { _meta: meta };
  for (const r of results) {
    const o = usable(r.ours);
    const d = usable(r.dlv);
    out[r.name] = {
      ours: r4(o?.median),
      dlv: r4(d?.median),
      ratio: o && d && d.median > 0 ? r4(o.median / d.median) : null,
      unit: r.unit,
      oursMin: r4(o?.min),
      oursMax: r4(o?.max),
      dlvMin: r4(d?.min),
      dlvMax: r4(d?.max),
      runs: Math.max(o?.runs ?? 0, d?.runs ?? 0),
      notes: [...notesOf('ours', r.ours), ...notesOf('dlv', r.dlv)],
      what: r.what,
    };
  }
  for (const f of floor) out[f.name] = { ours: null, dlv: null, ratio: null, unit: f.unit, value: r4(f.value), what: f.what };
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
}
