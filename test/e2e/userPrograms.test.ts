/**
 * Expressions on a program written the way users write Go (testdata/usersvc:
 * an order service with embedded structs, interfaces holding values and
 * pointers, wrapped and joined errors, a recovered panic with a custom value,
 * closures over Go 1.22 per-iteration loop variables), found by the
 * differential run against dlv dap on programs nobody here wrote before:
 * type assertions to the package's own types, index/selector chains through
 * maps of slices of structs and pointers to arrays, conversions of iota
 * constants, calls of closures stored in a slice, literals of a type declared
 * inside the function. Every row is held to what
 * the program itself prints for it after the stop (%v, %q for strings, %T);
 * a method the program never uses (time.Duration.Seconds here: the linker
 * leaves its code out) is refused as missing code, not as a method Go does
 * not have. Also: a range-over-func loop's compiler handle (#yield1) is not a
 * local (testdata/rangelocals), and a breakpoint on a code-less line of a
 * function inlined away in a plain `go build` says where the code is
 * (testdata/inlinedsum).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { waitExit } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { lineWith, stopAtLine } from '../support/stopAt.js';

const mainGo = join(testdataDir, 'usersvc', 'main.go');

const ROWS = [
  'pv.(PanicValue).Msg',
  'pv.(PanicValue).Code + 1',
  'getErr.(*NotFoundError).ID',
  'ifaceVal.(qtyValidator).max',
  'meta["who"].(*Customer).Name',
  'meta["n"].(int) * 2',
  's.grid[1][2]',
  's.index[2]',
  'len(s.index[1:])',
  'byStatus[Paid][0].SKU',
  'byStatus[Paid][1].Price.Cents * 2',
  'unicode[6]',
  'len(runes)',
  "runes[2] == 'ï'",
  'string(raw)',
  'funcs[2]()',
  'int(Shipped) - int(Paid)',
  // A type declared in the function (Go names it main.tally·N): literals and conversions of it.
  'tally{n: 5, tag: "y"}.tag',
  'tl.n + tally{n: 5}.n',
  'tally(tl).tag',
];

/** Refusals: Go would accept the first two (the method exists), the debugger has no code to run; Go rejects the rest. */
const FAILS: [string, RegExp][] = [
  ['elapsed.Seconds()', /^elapsed\.Seconds: the program has no code for method Seconds of time\.Duration \(the linker leaves out/],
  ['elapsed.Seconds', /^elapsed\.Seconds: the program has no code for method Seconds of time\.Duration/],
  ['elapsed.Nope', /^elapsed\.Nope undefined \(type time\.Duration has no field or method Nope\)/],
  ['getErr.Nope', /^getErr\.Nope undefined \(type error has no field or method Nope\)/],
  // A call on a name that is neither a variable nor a package: Go's "undefined: nope" (not a missing type nope.Seconds).
  ['nope.Seconds()', /^undefined: nope at column 1$/],
];

let c: StartedClient | undefined;
after(() => c?.close());

test('usersvc: assertions, chains and closures on a user-style program answer what the program prints', async () => {
  const binary = buildFixture('usersvc');
  // >> initialize, launch, setBreakpoints(usersvc stop), configurationDone  << stopped(breakpoint)
  const s = await stopAtLine(binary, mainGo, lineWith(mainGo, '// usersvc stop'));
  c = s.client;
  const { dc } = c;
  const answers = new Map<string, { result: string; type?: string }>();
  const problems: string[] = [];
  for (const e of ROWS) {
    for (const context of ['repl', 'watch']) {
      try {
        // >> evaluate  << the value and its type
        const r = (await dc.evaluateRequest({ expression: e, frameId: s.frameId, context })).body;
        const prev = answers.get(e);
        if (prev && (prev.result !== r.result || prev.type !== r.type))
          problems.push(`${e}: ${context} answered ${r.result} [${r.type}], repl ${prev.result} [${prev.type}]`);
        answers.set(e, { result: r.result, type: r.type });
      } catch (err) {
        problems.push(`${e} (${context}): failed: ${(err as Error).message}`);
      }
    }
  }
  for (const [e, want] of FAILS) {
    try {
      const r = await dc.evaluateRequest({ expression: e, frameId: s.frameId, context: 'repl' });
      problems.push(`${e}: answered ${r.body.result}, want an error ${want}`);
    } catch (err) {
      if (!want.test((err as Error).message)) problems.push(`${e}: error ${(err as Error).message}, want ${want}`);
    }
  }

  // >> continue  << the program prints each row's value and type, then exits 0
  await dc.continueRequest({ threadId: s.tid });
  assert.equal(await waitExit(dc), 0);
  const printed = new Map<string, [string, string]>();
  for (const m of s.out.stdout().matchAll(/^ROW (.*?) = (.*)\nTYPE \1 = (.*)$/gm)) printed.set(m[1]!, [m[2]!, m[3]!]);
  for (const e of ROWS) {
    const p = printed.get(e);
    const a = answers.get(e);
    if (!p) problems.push(`${e}: the program printed no row`);
    // A comparison is an untyped boolean (the spec's Comparison operators); passed to fmt it has its default type, bool.
    else if (a && (a.result !== p[0] || a.type?.replace(/^untyped /, '') !== p[1]))
      problems.push(`${e}: adapter ${a.result} [${a.type}], program ${p[0]} [${p[1]}]`);
  }
  assert.deepEqual(problems, []);
});

test('rangelocals: a function ranging over an iterator lists its own locals, not the compiler handle #yield1 on the loop body', async () => {
  const src = join(testdataDir, 'rangelocals', 'main.go');
  const binary = buildFixture('rangelocals');
  // >> initialize, launch, setBreakpoints(rangelocals stop), configurationDone  << stopped(breakpoint)
  const s = await stopAtLine(binary, src, lineWith(src, '// rangelocals stop'));
  const { dc } = s.client;
  try {
    // >> scopes, variables(Locals)  << total, seen, label: what the program prints for each, and nothing else
    const scopes = (await dc.scopesRequest({ frameId: s.frameId })).body.scopes;
    const localsRef = scopes.find((x) => x.name.startsWith('Locals'))!.variablesReference;
    const vars = (await dc.variablesRequest({ variablesReference: localsRef })).body.variables;
    const shown = new Map(vars.map((v) => [v.name, v.value]));
    await dc.continueRequest({ threadId: s.tid });
    assert.equal(await waitExit(dc), 0);
    const printed = new Map([...s.out.stdout().matchAll(/^LOCAL (\w+) = (.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    assert.deepEqual([...shown.keys()].sort(), [...printed.keys()].sort());
    assert.equal(shown.get('total'), printed.get('total'));
    assert.equal(shown.get('label'), printed.get('label'));
    // The slice's elements, as fmt prints them ([0 2 4 6]), inside our summary `[]int len: 4, cap: 4, [0,2,4,6]`.
    assert.match(shown.get('seen')!, new RegExp(`\\[${printed.get('seen')!.slice(1, -1).split(' ').join(',')}\\]$`));
  } finally {
    await s.client.close();
  }
});

test('inlinedsum: a breakpoint on a code-less line of a generic function inlined away says where the code is, not that the function is missing', async () => {
  const src = join(testdataDir, 'inlinedsum', 'main.go');
  // Plain `go build`, as users build: Sum is inlined into main and keeps no copy of its own.
  const binary = buildFixture('inlinedsum', { flags: [] });
  const line = lineWith(src, '// inlinedsum return');
  const c = await startAdapterClient();
  try {
    // >> initialize, launch(exec, stopOnEntry), setBreakpoints(the return line)  << unverified, with why
    await c.dc.initializeRequest({ adapterID: 'go', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const launched = c.dc.launchRequest({ mode: 'exec', program: binary, stopOnEntry: true } as DebugProtocol.LaunchRequestArguments);
    await c.dc.waitForEvent('initialized');
    const bps = (await c.dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line }] })).body.breakpoints;
    await c.dc.configurationDoneRequest();
    await launched;
    assert.equal(bps.length, 1);
    assert.equal(bps[0]!.verified, false);
    assert.doesNotMatch(bps[0]!.message ?? '', /is not in the program/);
    // The loop above the return line has code (inlined into main.main): the message points at it.
    assert.match(bps[0]!.message ?? '', new RegExp(`^No code at line ${line} of main\\.go: the nearest lines with code are \\d+ and \\d+$`));
  } finally {
    await c.close();
  }
});
