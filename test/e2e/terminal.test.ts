/**
 * console: "integratedTerminal": the adapter asks the client to start the
 * program (runInTerminal), so it can read stdin, and still debugs it.
 * The test plays the editor: it spawns the command it is given and types input.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, frames, render, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { handleReverseRequests } from '../support/reverseRequests.js';

const clients: StartedClient[] = [];
const procs: ChildProcess[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const p of procs.splice(0)) p.kill('SIGKILL');
});

test('runInTerminal: the program reads its stdin, stops at a breakpoint, exits with its code', async () => {
  const binary = buildFixture('echo');
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  let terminalOut = '';
  let request: DebugProtocol.RunInTerminalRequestArguments | undefined;
  handleReverseRequests(dc, {
    runInTerminal: async (req) => {
      request = req.arguments as DebugProtocol.RunInTerminalRequestArguments;
      const [cmd, ...args] = request.args;
      const env = { ...process.env } as Record<string, string>;
      for (const [k, v] of Object.entries(request.env ?? {}))
        if (v === null) delete env[k];
        else env[k] = v as string;
      const p = spawn(cmd!, args, { cwd: request.cwd, env, stdio: ['pipe', 'pipe', 'inherit'] });
      procs.push(p);
      p.stdout!.setEncoding('utf8').on('data', (d: string) => (terminalOut += d));
      p.stdin!.write('hello\nworld\n');
      p.stdin!.end();
      return { processId: p.pid };
    },
  });
  const out = collectOutput(dc);
  await dc.initializeRequest({ adapterID: 'go-debug', pathFormat: 'path', supportsRunInTerminalRequest: true });
  const initialized = dc.waitForEvent('initialized');
  await dc.launchRequest({ mode: 'exec', program: binary, console: 'integratedTerminal', env: { ECHO_TEST: '1' } } as never);
  await initialized;
  assert.equal(request?.kind, 'integrated');
  assert.equal(request?.env?.ECHO_TEST, '1');
  const src = join(testdataDir, 'echo', 'main.go');
  await dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line: 11 }] });
  const stopped = waitStopped(dc);
  await dc.configurationDoneRequest();
  const ev = await stopped;
  assert.deepEqual(render(await frames(dc, tidOf(ev)), 2), ['main.handle main.go:11', 'main.main main.go:18']);
  await dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [] });
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tidOf(ev) });
  assert.equal(await exited, 2, 'exit code = number of lines read');
  // Output went to the terminal, not to the debug console.
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(terminalOut, 'got: hello\ngot: world\n');
  assert.equal(out.stdout(), '');
});

test('a client without runInTerminal gets the debug console and a message', async () => {
  const binary = buildFixture('echo');
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const out = collectOutput(dc);
  await dc.initializeRequest({ adapterID: 'go-debug', pathFormat: 'path' });
  const initialized = dc.waitForEvent('initialized');
  await dc.launchRequest({ mode: 'exec', program: binary, console: 'integratedTerminal' } as never);
  await initialized;
  const exited = waitExit(dc);
  await dc.configurationDoneRequest();
  assert.equal(await exited, 0, 'stdin is empty: no lines');
  assert.match(out.console(), /cannot run programs in a terminal/);
});
