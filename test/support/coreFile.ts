/**
 * Core files for the tests: the kernel writes one when a program run with
 * GOTRACEBACK=crash and core dumps allowed (`ulimit -c unlimited`) panics.
 * kernel.core_pattern must be a plain file name ("core") for it to land in `dir`.
 * And a DAP session opened on a core (mode "core").
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type StartedClient, startAdapterClient } from './adapterClient.js';
import { collectOutput, configure, waitStopped } from './dap.js';

/** Runs `binary` in `dir` until it aborts; returns the path of the core the kernel wrote there. */
export function kernelCore(binary: string, dir: string): string {
  const r = spawnSync('/bin/sh', ['-c', `ulimit -c unlimited && exec "${binary}"`], {
    cwd: dir,
    env: { ...process.env, GOTRACEBACK: 'crash' },
    encoding: 'utf8',
  });
  assert.ok(r.signal === 'SIGABRT' || r.status === 134, `the program aborted: ${r.status} ${r.signal} ${r.stderr.slice(0, 300)}`);
  const core = join(dir, 'core');
  assert.ok(existsSync(core), `the kernel wrote ${core} (kernel.core_pattern is ${readFileSync('/proc/sys/kernel/core_pattern', 'utf8').trim()})`);
  return core;
}

/** A session in mode "core" on `core`, at its stop; the client goes into `clients` (closed by the test). */
export async function openCore(binary: string, core: string, clients: StartedClient[]) {
  const c = await startAdapterClient();
  clients.push(c);
  const out = collectOutput(c.dc);
  const stopped = waitStopped(c.dc, 60_000);
  await configure(c.dc, 'launch', { mode: 'core', program: binary, coreFilePath: core });
  return { dc: c.dc, ev: await stopped, out };
}
