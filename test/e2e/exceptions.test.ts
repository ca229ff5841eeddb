/**
 * Unrecovered panics and fatal errors stop as exceptions before the program
 * dies, with the message Go itself prints (the oracle: the same binary run
 * without a debugger) and the panicking user frame on the stack; continuing
 * lets the program die as it would have (exit code 2, the runtime's output).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { afterEach, before, describe, test } from 'node:test';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, frames, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture } from '../support/goBuild.js';

let binary: string;
const clients: StartedClient[] = [];
before(() => {
  binary = buildFixture('panics');
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

/** What Go prints when the program dies: ["panic"|"fatal error", message]. */
function goSays(mode: string): [string, string] {
  const r = spawnSync(binary, [mode], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 2, `${mode}: Go exits with code 2`);
  const m = /^(panic|fatal error): (.*?)(?: \[recovered\])?$/m.exec(r.stderr);
  assert.ok(m, `${mode}: Go printed ${JSON.stringify(r.stderr.slice(0, 200))}`);
  return [m[1]!, m[2]!.replace(/^main\.|goroutine \d+ \[.*$/, '')];
}

async function stopAtException(mode: string) {
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const out = collectOutput(dc);
  const stopped = waitStopped(dc);
  await configure(dc, 'launch', { mode: 'exec', program: binary, args: [mode] });
  const ev = await stopped;
  return { dc, ev, out };
}

describe('exceptions', () => {
  const cases: { mode: string; kind: string; userFrame: string; exact: boolean; typeName?: string }[] = [
    { mode: 'errorsnew', kind: 'panic', userFrame: 'main.fail', exact: true },
    { mode: 'errorf', kind: 'panic', userFrame: 'main.fail', exact: true },
    { mode: 'string', kind: 'panic', userFrame: 'main.fail', exact: true },
    { mode: 'int', kind: 'panic', userFrame: 'main.fail', exact: true },
    { mode: 'nilmap', kind: 'runtime error', userFrame: 'main.fail', exact: true },
    { mode: 'index', kind: 'runtime error', userFrame: 'main.index', exact: true },
    { mode: 'nilptr', kind: 'runtime error', userFrame: 'main.fail', exact: true },
    { mode: 'divide', kind: 'runtime error', userFrame: 'main.fail', exact: true },
    { mode: 'deadlock', kind: 'fatal error', userFrame: 'main.fail', exact: true },
    { mode: 'custom', kind: 'panic', userFrame: 'main.fail', exact: true, typeName: '*main.MyErr' },
  ];
  for (const c of cases) {
    test(`${c.mode}: stops with the message Go prints, then dies as it would`, async () => {
      const [goKind, goMsg] = goSays(c.mode);
      const { dc, ev, out } = await stopAtException(c.mode);
      assert.equal(ev.body.reason, 'exception');
      const info = await dc.exceptionInfoRequest({ threadId: tidOf(ev) });
      assert.equal(info.body.exceptionId, c.kind);
      if (c.exact) assert.equal(info.body.description, goMsg);
      if (c.typeName) assert.equal(info.body.details?.typeName, c.typeName);
      assert.match(ev.body.text ?? '', new RegExp(`^${goKind}: `));
      // The panicking user frame is on the stack of the goroutine that stopped.
      const st = await frames(dc, tidOf(ev));
      const user = st.find((f) => !f.name.startsWith('runtime.'));
      assert.equal(user?.name, c.userFrame, `first user frame of ${st.map((f) => f.name).join(' < ')}`);
      // Another thread may reach a fatal path while the first one reports (the runtime
      // serialises them): keep continuing such stops until the program is gone.
      const again = (e: { body: { threadId?: number } }) => void dc.continueRequest({ threadId: e.body.threadId ?? 0 }).catch(() => undefined);
      dc.on('stopped', again);
      const exited = waitExit(dc);
      await dc.continueRequest({ threadId: tidOf(ev) });
      assert.equal(await exited, 2);
      dc.removeListener('stopped', again);
      assert.match(out.stderr(), new RegExp(`^${goKind}: `, 'm'));
    });
  }

  test('recovered panics (including a recovered nil dereference) do not stop', async () => {
    const c = await startAdapterClient();
    clients.push(c);
    const { dc } = c;
    const out = collectOutput(dc);
    const exited = waitExit(dc);
    await configure(dc, 'launch', { mode: 'exec', program: binary, args: ['recovered'] });
    assert.equal(await exited, 0);
    assert.equal(out.stdout(), 'mode recovered\nrecovered: caught\nrecovered: true\nend\n');
  });

  test('with the filters off the program dies without stopping', async () => {
    const c = await startAdapterClient();
    clients.push(c);
    const { dc } = c;
    const exited = waitExit(dc);
    await dc.initializeRequest();
    const init = dc.waitForEvent('initialized');
    await dc.launchRequest({ mode: 'exec', program: binary, args: ['string'] } as never);
    await init;
    await dc.setExceptionBreakpointsRequest({ filters: [] });
    await dc.configurationDoneRequest();
    assert.equal(await exited, 2);
  });

  test('concurrent map writes stop as a fatal error', async () => {
    const { dc, ev } = await stopAtException('mapwrites');
    assert.equal(ev.body.reason, 'exception');
    const info = await dc.exceptionInfoRequest({ threadId: tidOf(ev) });
    assert.equal(info.body.exceptionId, 'fatal error');
    assert.match(info.body.description ?? '', /concurrent map (writes|read and map write)/);
  });
});
