/**
 * Decoder fuzzing over mutated real binaries, DWARF included (built with
 * uncompressed DWARF so mutations reach the decoders, not zlib): each copy is
 * opened with Symbols (GoBinary + Dwarf) and asked what a session asks. Only
 * our typed decode errors (DecodeError, BinaryError) may escape, never a
 * RangeError or TypeError, and no case may hang: the cases run in a worker
 * that is stopped when one takes longer than HANG_MS.
 *
 * GDA_DECODER_FUZZ_SEED replays a run (the seed is printed);
 * GDA_DECODER_FUZZ_CASES and GDA_DECODER_FUZZ_SECONDS bound it.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { buildFixture, DEBUG_GCFLAGS, testdataDir } from '../support/goBuild.js';
import type { FuzzJob } from './mutationFuzzWorker.js';

const HANG_MS = 15_000;

test('mutated binaries (ELF, pclntab, DWARF) fail only with our decode errors, never hang', { timeout: 180_000 }, async (t) => {
  const seed = Number(process.env.GDA_DECODER_FUZZ_SEED ?? Date.now() % 2 ** 31);
  const job: FuzzJob = {
    binary: buildFixture('dwvalues', { flags: [DEBUG_GCFLAGS, '-ldflags=-compressdwarf=false'] }),
    mainGo: join(testdataDir, 'dwvalues', 'main.go'),
    seed,
    cases: Number(process.env.GDA_DECODER_FUZZ_CASES ?? 400),
    budgetMs: Number(process.env.GDA_DECODER_FUZZ_SECONDS ?? 25) * 1000,
    scratch: join(tmpdir(), `gda-mutated-${process.pid}-${seed}`),
  };
  t.diagnostic(`decoder fuzz seed ${seed} (replay with GDA_DECODER_FUZZ_SEED=${seed})`);
  const worker = new Worker(new URL('./mutationFuzzWorker.js', import.meta.url), { workerData: job });
  let current = 'starting';
  let last = Date.now();
  const result = await new Promise<{ done: number; outcomes: Record<string, number>; unexpected: string[]; ms: number }>((resolve, reject) => {
    const watchdog = setInterval(() => {
      if (Date.now() - last < HANG_MS) return;
      clearInterval(watchdog);
      void worker.terminate();
      reject(new Error(`a case ran longer than ${HANG_MS} ms (a hang?): ${current} (seed ${seed})`));
    }, 500);
    worker.on('message', (m: { kind: string; i?: number; desc?: string }) => {
      last = Date.now();
      if (m.kind === 'case') current = `case ${m.i}: ${m.desc}`;
      else {
        clearInterval(watchdog);
        resolve(m as never);
      }
    });
    worker.on('error', (e) => {
      clearInterval(watchdog);
      reject(e);
    });
  });
  const summary = Object.entries(result.outcomes)
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
  t.diagnostic(`seed ${seed}: ${result.done} mutated copies in ${(result.ms / 1000).toFixed(1)} s: ${summary}; ${result.unexpected.length} unexpected`);
  assert.deepEqual(result.unexpected, [], `seed ${seed}`);
  // Alone it does ~400 copies in the budget; under a load average of 11 it did 32–41, so the floor only proves it ran.
  assert.ok(result.done >= 20, `the fuzzer ran (${result.done} copies)`);
});
