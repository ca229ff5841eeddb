/**
 * A storm: 100 goroutines × 100 calls of hit(g, i), one breakpoint in it, in
 * an attached program, continued one stop at a time over DAP. Every one of the
 * 10,000 (g, i) pairs, read from the locals of the stopped frame, is seen
 * exactly once: no hit lost, none reported twice; and the program itself
 * counts 10,000 calls.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { RawDap } from './rawDap.js';
import { exited, until } from './service.js';

const HIT_LINE = 17;
const G = 100;
const N = 100;

test('100 goroutines × 100 hits of one breakpoint: every (g, i) seen exactly once', { timeout: 300_000 }, async () => {
  const binary = buildFixture('storm');
  const proc = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const dap = new RawDap();
  try {
    await until(() => out.includes('ready'), 15_000, 'the storm program to start');
    // >> initialize, attach, setBreakpoints(hit), configurationDone
    await dap.request('initialize', { adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const initialized = dap.event('initialized', 60_000);
    assert.ok((await dap.request('attach', { processId: proc.pid }, 60_000)).success);
    await initialized;
    const bp = await dap.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', {
      source: { path: join(testdataDir, 'storm', 'main.go') },
      breakpoints: [{ line: HIT_LINE }],
    });
    assert.equal(bp.body.breakpoints[0]?.verified, true);
    assert.ok((await dap.request('configurationDone')).success);
    proc.stdin!.write('go\n');
    const seen = new Map<string, number>();
    const started = Date.now();
    for (let k = 0; k < G * N; k++) {
      // << stopped(breakpoint); >> stackTrace, evaluate g, evaluate i; >> continue
      const ev = await dap.take<DebugProtocol.StoppedEvent>('stopped', 30_000);
      assert.equal(ev.body.reason, 'breakpoint', `stop ${k}`);
      const st = await dap.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: ev.body.threadId, levels: 1 });
      const frame = st.body.stackFrames[0]!;
      assert.equal(frame.name, 'main.hit');
      const [g, i] = await Promise.all(
        ['g', 'i'].map((expression) => dap.request<DebugProtocol.EvaluateResponse>('evaluate', { expression, frameId: frame.id, context: 'watch' })),
      );
      assert.ok(g!.success && i!.success, `${g!.message} ${i!.message}`);
      const key = `${g!.body.result},${i!.body.result}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      assert.ok((await dap.request('continue', { threadId: ev.body.threadId })).success);
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(`storm: ${G * N} stops in ${seconds.toFixed(1)} s (${((seconds * 1000) / (G * N)).toFixed(2)} ms per stop round trip)`);
    const twice = [...seen].filter(([, n]) => n > 1).map(([k]) => k);
    assert.deepEqual(twice, [], 'hits reported twice');
    const missing: string[] = [];
    for (let g = 0; g < G; g++) for (let i = 0; i < N; i++) if (!seen.has(`${g},${i}`)) missing.push(`${g},${i}`);
    assert.deepEqual(missing, [], 'hits never reported');
    // The program ran every call and ends by itself.
    await until(() => /done \d+/.test(out), 30_000, 'the program to finish');
    assert.match(out, /done 10000\n/);
    await dap.take('terminated', 30_000);
    await dap.request('disconnect', {}).catch(() => undefined);
    await exited(dap.adapter);
  } finally {
    dap.kill();
    proc.kill('SIGKILL');
  }
});
