/**
 * Numbers for src/binary (a script, not a test): how long it takes to open
 * the toolchain's `compile` binary (read + parse) and resolve a first
 * file:line breakpoint, then the cost of further resolves, of pc → line
 * lookups, and the peak RSS.
 *
 *   npx tsc -p . && node out/test/bench/binaryNumbers.js [binary] [client path of main.go] [line]
 */
import { readFileSync, statSync } from 'node:fs';
import { GoBinary } from '../../src/binary/goBinary.js';
import { goToolBinary } from '../support/goBuild.js';

const path = process.argv[2] ?? goToolBinary('compile');
// A path as a client would send it, from another checkout of the Go tree.
const clientMain = process.argv[3] ?? '/home/someone/src/go/src/cmd/compile/main.go';
const firstLine = Number(process.argv[4] ?? 57); // `gc.Main(archInit)`

const ms = (t: number): string => `${(performance.now() - t).toFixed(1)} ms`;

const t0 = performance.now();
const buf = readFileSync(path);
const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
const tRead = performance.now();
const bin = GoBinary.open(bytes);
const tOpen = performance.now();
const file = bin.pclntab.resolveFile(clientMain);
if (!file) throw new Error(`${clientMain} does not match a file of ${path}`);
const sites = bin.pclntab.pcsForLine(file, firstLine);
const tFirst = performance.now();
const rssFirst = process.memoryUsage().rss;
if (sites.length === 0) throw new Error(`no code at ${file}:${firstLine}`);

console.log(
  `binary: ${path} (${(statSync(path).size / 1e6).toFixed(1)} MB, ${bin.goVersion}, ${bin.pclntab.funcCount} functions, ${bin.pclntab.files.length} files)`,
);
console.log(
  `open + first resolve: ${(tFirst - t0).toFixed(1)} ms  (read ${(tRead - t0).toFixed(1)} ms, GoBinary.open ${(tOpen - tRead).toFixed(1)} ms, ` +
    `resolveFile + pcsForLine ${(tFirst - tOpen).toFixed(1)} ms) → ${file}:${firstLine} at ${sites.map((s) => `0x${s.pc.toString(16)} ${s.func.name}`).join(', ')}`,
);
console.log(`RSS after open + first resolve: ${(rssFirst / 1e6).toFixed(0)} MB (the file itself is ${(bytes.length / 1e6).toFixed(0)} MB)`);

// Deterministic PRNG for picking lines and PCs.
let seed = 12345;
const rnd = (n: number): number => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed % n;
};
const p = bin.pclntab;
const compileFiles = p.files.filter((f) => f.startsWith('cmd/compile/'));

// Further resolves in the file already indexed (lines with and without code).
{
  const n = 5000;
  let found = 0;
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    const f = p.resolveFile(clientMain)!;
    found += p.pcsForLine(f, 1 + rnd(60)).length;
  }
  const per = ((performance.now() - t) * 1000) / n;
  console.log(`further resolve, same file: ${per.toFixed(2)} µs/resolve over ${n} lines (${found} sites)`);
}

// First resolve in each of many other files (each builds that file's index).
{
  const order = [...compileFiles].sort(() => rnd(3) - 1).slice(0, 300);
  let found = 0;
  const t = performance.now();
  for (const f of order) {
    const client = `/home/someone/src/go/src/${f}`;
    found += p.pcsForLine(p.resolveFile(client)!, 20 + rnd(200)).length;
  }
  const per = (performance.now() - t) / order.length;
  console.log(`first resolve in a new file: ${(per * 1000).toFixed(0)} µs/file over ${order.length} files of cmd/compile (${found} sites)`);
}

// Many different lines over those files, now indexed.
{
  const n = 20000;
  let found = 0;
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    const f = compileFiles[rnd(compileFiles.length)]!;
    found += p.pcsForLine(p.resolveFile(`/home/someone/src/go/src/${f}`)!, 1 + rnd(500)).length;
  }
  const per = ((performance.now() - t) * 1000) / n;
  console.log(`further resolve, random file:line over cmd/compile (client path → sites): ${per.toFixed(2)} µs/resolve over ${n} (${found} sites)`);
}

// Worst case: a breakpoint in every file of the binary.
{
  const t = performance.now();
  let found = 0;
  for (const f of p.files) found += p.pcsForLine(f, 100).length;
  console.log(`first resolve in every remaining file (${p.files.length} files): ${ms(t)} (${found} sites)`);
}

// pc → file:line, as a stack trace does.
{
  const first = p.funcAt(0).entry;
  const last = p.funcAt(p.funcCount - 1).end;
  const n = 200000;
  let hits = 0;
  const t = performance.now();
  for (let i = 0; i < n; i++) if (p.lineForPC(first + rnd(last - first))) hits++;
  console.log(
    `lineForPC: ${(((performance.now() - t) * 1000) / n).toFixed(2)} µs/lookup over ${n} random PCs (${hits} with a line; tables decoded on first use)`,
  );
  const t2 = performance.now();
  for (let i = 0; i < n; i++) p.lineForPC(first + rnd(last - first));
  console.log(`lineForPC, tables cached: ${(((performance.now() - t2) * 1000) / n).toFixed(2)} µs/lookup`);
}

console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (after every file indexed and every function's tables decoded)`);
