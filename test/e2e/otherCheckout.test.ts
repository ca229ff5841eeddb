/**
 * The program was built in another directory than the one the editor shows
 * (CI, a container, another machine): breakpoints bind by the longest common
 * path suffix, and stack frames report the editor's paths — also for files
 * the editor never set a breakpoint in (the learned prefix is applied).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { configure, frames, tidOf, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const clients: StartedClient[] = [];
const dirs: string[] = [];
after(async () => {
  for (const c of clients) await c.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('breakpoints set on a copy of the sources bind, and frames point at the copy', async () => {
  const binary = buildFixture('steps'); // built from testdata/steps
  const editorRoot = mkdtempSync(join(tmpdir(), 'gda-checkout-'));
  dirs.push(editorRoot);
  const copy = join(editorRoot, 'src', 'example', 'steps');
  cpSync(join(testdataDir, 'steps'), copy, { recursive: true });
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const stopped = waitStopped(dc);
  // >> setBreakpoints with the editor's paths (which the binary has never seen)
  const [bps] = await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: join(copy, 'util.go'), lines: [6] }]);
  assert.equal(bps![0]!.verified, true);
  assert.equal(bps![0]!.source?.path, join(copy, 'util.go'));
  const ev = await stopped;
  const f = await frames(dc, tidOf(ev), 2);
  assert.deepEqual(
    f.map((x) => [x.name, x.file, x.line]),
    [
      ['main.twice', join(copy, 'util.go'), 6],
      ['main.main', join(copy, 'main.go'), 33], // no breakpoint was set in main.go: mapped by the learned prefix
    ],
  );
  // A file in a sub-package, never mentioned by the editor, maps the same way.
  await dc.setBreakpointsRequest({ source: { path: join(copy, 'util.go') }, breakpoints: [] });
  const fb = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'geom.Rect.Area' }] });
  assert.equal(fb.body.breakpoints[0]!.source?.path, join(copy, 'geom', 'geom.go'));
});
