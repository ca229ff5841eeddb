/**
 * One program (testdata/buildmodes) built each way a user might build it, over
 * real DAP: -race, -linkmode=external, -trimpath (paths matched by suffix, and
 * with substitutePath), -ldflags=-compressdwarf=false, -ldflags='-s -w', and
 * optimised (no -N -l). Each time: the breakpoint in add stops at its line,
 * the stack is add → main, the locals print what the program holds (or say
 * why they cannot), and the program runs to its own output and exit code.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, DEBUG_GCFLAGS, testdataDir } from '../support/goBuild.js';
import { marks } from '../values/support.js';

const clients: StartedClient[] = [];
after(() => Promise.all(clients.map((c) => c.close())));

interface Mode {
  label: string;
  flags: string[];
  env?: Record<string, string>;
  launch?: Record<string, unknown>;
  /** What the Locals scope holds: values, or the reason there are none. */
  locals: 'values' | 'noDwarf' | 'optimised';
}

const CGO = { CGO_ENABLED: '1' };
const MODES: Mode[] = [
  { label: '-race', flags: [DEBUG_GCFLAGS, '-race'], env: CGO, locals: 'values' },
  { label: '-linkmode=external', flags: [DEBUG_GCFLAGS, '-ldflags=-linkmode=external'], env: CGO, locals: 'values' },
  { label: '-trimpath (suffix match)', flags: [DEBUG_GCFLAGS, '-trimpath'], locals: 'values' },
  {
    label: '-trimpath with substitutePath',
    flags: [DEBUG_GCFLAGS, '-trimpath'],
    launch: { substitutePath: [{ from: testdataDir, to: 'example.com/testdata' }] },
    locals: 'values',
  },
  { label: '-ldflags=-compressdwarf=false', flags: [DEBUG_GCFLAGS, '-ldflags=-compressdwarf=false'], locals: 'values' },
  { label: "-ldflags='-s -w'", flags: [DEBUG_GCFLAGS, '-ldflags=-s -w'], locals: 'noDwarf' },
  { label: 'optimised (no -N -l)', flags: [], locals: 'optimised' },
];

async function localsOf(dc: DebugClient, frameId: number): Promise<{ scopes: string[]; vars: DebugProtocol.Variable[] }> {
  const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
  const locals = scopes.find((s) => s.name === 'Locals');
  const vars = locals ? (await dc.variablesRequest({ variablesReference: locals.variablesReference })).body.variables : [];
  return { scopes: scopes.map((s) => s.name), vars };
}

describe('build modes', () => {
  for (const mode of MODES) {
    test(mode.label, async () => {
      const binary = buildFixture('buildmodes', { flags: mode.flags, env: mode.env });
      const { source, line } = marks('buildmodes');
      const c = await startAdapterClient();
      clients.push(c);
      const { dc } = c;
      const out = collectOutput(dc);
      // >> initialize, launch, setBreakpoints(BP:add), configurationDone, << stopped(breakpoint)
      const stopped = waitStopped(dc, 60_000);
      const [bps] = await configure(dc, 'launch', { mode: 'exec', program: binary, ...mode.launch }, [{ path: source, lines: [line.add!] }]);
      assert.equal(bps![0]!.verified, true, `breakpoint verified: ${JSON.stringify(bps)}`);
      const tid = tidOf(await stopped);

      // >> stackTrace, << main.add at the line, called from main.main, both in the client's path
      const fs = (await dc.stackTraceRequest({ threadId: tid })).body.stackFrames;
      assert.deepEqual(
        fs.slice(0, 2).map((f) => [f.name, f.source?.path, f.line]),
        [
          ['main.add', source, line.add],
          ['main.main', source, fs[1]!.line],
        ],
      );
      assert.ok(fs[1]!.line > line.add!, 'main.main calls add further down');

      // >> scopes, variables: first call, add(0, 1): sum = 1
      const { scopes, vars } = await localsOf(dc, fs[0]!.id);
      const shown = vars.map((v) => `${v.name}=${v.value}`);
      if (mode.locals === 'values') {
        // ~r0, the result, is zeroed at entry in code built with -N -l.
        assert.deepEqual(shown, ['a=0', 'b=1', '~r0=0', 'sum=1']);
      } else if (mode.locals === 'noDwarf') {
        assert.ok(scopes.includes('Locals'), `a Locals scope that says why: ${scopes}`);
        assert.equal(vars.length, 1);
        assert.match(vars[0]!.value, /no DWARF debug information.*-ldflags=-w.*rebuild/);
        // >> evaluate a, << the same reason
        const ev = dc.evaluateRequest({ expression: 'a', frameId: fs[0]!.id, context: 'watch' });
        await assert.rejects(ev, /no DWARF debug information: the binary was built with -ldflags=-w \(or stripped\); rebuild/);
      } else {
        // Each variable either holds the program's value or is marked unavailable: never an error.
        // ~r0 is not assigned before the return: any value it shows is what its location holds.
        const want: Record<string, string | undefined> = { a: '0', b: '1', sum: '1', '~r0': undefined };
        assert.ok(vars.length > 0, 'some variables listed');
        for (const v of vars) {
          assert.ok(v.name in want, `unexpected ${v.name}`);
          if (want[v.name] !== undefined && v.value !== want[v.name]) assert.match(v.value, /^<optimized out>$|^<unavailable/, `${v.name}=${v.value}`);
        }
        assert.equal(out.console().split('built with optimisations').length - 1, 1, 'the one-time note about optimised code');

        // >> setBreakpoints(BP:ret), continue, << stopped: after the call to fmt.Println a and b are dead.
        await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: line.ret! }] });
        const again = waitStopped(dc);
        await dc.continueRequest({ threadId: tid });
        await again;
        const top = (await dc.stackTraceRequest({ threadId: tid, levels: 1 })).body.stackFrames[0]!;
        assert.equal(top.line, line.ret);
        const later = (await localsOf(dc, top.id)).vars;
        const laterShown = later.map((v) => `${v.name}=${v.value}`);
        for (const v of later) {
          if (want[v.name] !== undefined && v.value !== want[v.name]) assert.match(v.value, /^<optimized out>$|^<unavailable/, laterShown.join(', '));
        }
        assert.ok(
          later.some((v) => v.value === '<optimized out>'),
          `a dead variable marked optimized out: ${laterShown.join(', ')}`,
        );
      }
      if (mode.locals !== 'optimised') assert.doesNotMatch(out.console(), /built with optimisations/);

      // >> setBreakpoints([]), continue, << the program's own output, exited(3), terminated
      await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [] });
      const exit = waitExit(dc, 60_000);
      await dc.continueRequest({ threadId: tid });
      assert.equal(await exit, 3);
      assert.match(out.stdout(), /^add 0 1\nadd 1 2\nadd 12 3\ntotal 123$/m);
    });
  }
});
