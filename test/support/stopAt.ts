/**
 * A session stopped at one line of a built fixture, as most value tests
 * begin: initialize → launch (exec) → setBreakpoints(line) → configurationDone
 * → stopped, with the output collected from the start and frame 0's id.
 */
import { readFileSync } from 'node:fs';
import type { StartedClient } from './adapterClient.js';
import { startAdapterClient } from './adapterClient.js';
import { collectOutput, configure, tidOf, waitStopped } from './dap.js';

export interface StoppedSession {
  client: StartedClient;
  out: ReturnType<typeof collectOutput>;
  tid: number;
  frameId: number;
}

/** `launch` adds launch attributes (args, display options) to the exec launch. */
export async function stopAtLine(binary: string, path: string, line: number, launch: Record<string, unknown> = {}): Promise<StoppedSession> {
  const client = await startAdapterClient();
  const { dc } = client;
  const out = collectOutput(dc);
  const stopped = waitStopped(dc);
  await configure(dc, 'launch', { mode: 'exec', program: binary, ...launch }, [{ path, lines: [line] }]);
  const tid = tidOf(await stopped);
  const frameId = (await dc.stackTraceRequest({ threadId: tid, levels: 1 })).body.stackFrames[0]!.id;
  return { client, out, tid, frameId };
}

/** The 1-based number of the first line of `path` that contains `marker` (e.g. "// stop here"). */
export function lineWith(path: string, marker: string): number {
  const i = readFileSync(path, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`no line of ${path} contains ${JSON.stringify(marker)}`);
  return i + 1;
}
