/**
 * A Go → C → Go stack over real DAP (testdata/cgoframes: main.main calls C
 * outer → middle → leaf, built -O2 without frame pointers, and leaf calls back
 * into Go's goCallback). At the breakpoint in the callback the stack crosses
 * runtime.cgocallback back to the C frames on the thread's system stack,
 * unwinds them by .eh_frame up to asmcgocall, and goes on to the Go caller.
 * The program then prints what it computed: ((1+1)*2+1)*3 + 1 + 1 + 1 = 18.
 * The same again as a PIE (cgo makes the go command link it externally):
 * Go and C frames, .eh_frame rules and ELF symbols all moved by the load bias.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, describe, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAdapterClient } from '../support/adapterClient.js';
import { collectOutput, configure, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, DEBUG_GCFLAGS, testdataDir } from '../support/goBuild.js';
import { launchTo, type Stopped } from '../values/support.js';

const sessions: Stopped[] = [];
after(() => Promise.all(sessions.map((s) => s.c.close())));

describe('cgo: C frames between a Go callback and its Go caller', () => {
  for (const pie of [false, true]) {
    test(`${pie ? '-buildmode=pie (linked by the external linker): ' : ''}stackTrace at the callback shows leaf → middle → outer → the cgo stub → main._Cfunc_outer → main.main`, async () => {
      const binary = buildFixture('cgoframes', { env: { CGO_ENABLED: '1' }, flags: pie ? [DEBUG_GCFLAGS, '-buildmode=pie'] : undefined });
      // A PIE is an ELF of type DYN (readelf, not our decoder).
      assert.equal(/^\s*Type:\s+(\w+)/m.exec(execFileSync('readelf', ['--file-header', binary], { encoding: 'utf8' }))?.[1], pie ? 'DYN' : 'EXEC');
      // Linked by gcc: crtbegin.o's frame_dummy is in it (Go's internal linker adds no C runtime objects).
      assert.match(execFileSync('nm', [binary], { encoding: 'utf8', maxBuffer: 64 << 20 }), / t frame_dummy$/m);
      const source = join(testdataDir, 'cgoframes', 'main.go');
      const callback =
        readFileSync(source, 'utf8')
          .split('\n')
          .findIndex((l) => l.includes('MARK:callback')) + 1;
      // >> launch, setBreakpoints(MARK:callback), configurationDone, << stopped(breakpoint)
      const s = await launchTo(binary, source, [{ line: callback }]);
      sessions.push(s);
      const { dc, tid } = s;
      // >> stackTrace, << every frame
      const r = await dc.stackTraceRequest({ threadId: tid });
      const fs: DebugProtocol.StackFrame[] = r.body.stackFrames;
      const shown = fs.map((f) => `${f.name} ${f.source?.name ?? '-'}:${f.line} ${f.presentationHint ?? ''}`);
      const names = fs.map((f) => f.name);
      assert.equal(names[0], 'main.goCallback');
      assert.equal(fs[0]!.line, callback);
      const at = (n: string) => names.indexOf(n);
      const order = ['main.goCallback', 'leaf', 'middle', 'outer', 'main._Cfunc_outer', 'main.main'].map(at);
      assert.ok(
        order.every((i) => i >= 0),
        `every frame present in\n${shown.join('\n')}`,
      );
      assert.deepEqual(
        [...order].sort((a, b) => a - b),
        order,
        `in call order in\n${shown.join('\n')}`,
      );
      // The C stub that calls outer sits between outer and asmcgocall.
      const stub = names.findIndex((n) => /^_cgo_[0-9a-f]+_Cfunc_outer$/.test(n));
      assert.ok(stub > at('outer') && stub < at('main._Cfunc_outer'), `the cgo stub in\n${shown.join('\n')}`);
      // Between cgocallback and asmcgocall: exactly the C side of the call graph (crosscall2 → cgo's exported
      // goCallback wrapper → leaf → middle → outer → the stub), as the program and runtime/cgo call each other.
      const cb = at('runtime.cgocallback');
      const asm = at('runtime.asmcgocall');
      assert.ok(cb > 0 && asm > cb, `cgocallback then asmcgocall in\n${shown.join('\n')}`);
      assert.deepEqual(
        names.slice(cb + 1, asm).map((n) => n.replace(/^_cgo_[0-9a-f]+_/, '_cgo_')),
        ['crosscall2', 'goCallback', 'leaf', 'middle', 'outer', '_cgo_Cfunc_outer'],
      );
      // C frames: gcc's line table, which cgo's #line directives point at the preamble in main.go: each frame at its call.
      const text = readFileSync(source, 'utf8').split('\n');
      const lineOf = (needle: string) => text.findIndex((l) => l.includes(needle)) + 1;
      const want = { leaf: lineOf('return goCallback('), middle: lineOf('return leaf('), outer: lineOf('return middle(') };
      for (const [n, l] of Object.entries(want)) {
        const f = fs[at(n)]!;
        assert.deepEqual([f.source?.path, f.line], [source, l], `${n}'s source line in\n${shown.join('\n')}`);
      }
      // >> continue, << the program prints its result and exits 0.
      const exit = waitExit(dc);
      await dc.continueRequest({ threadId: tid });
      assert.equal(await exit, 0);
      assert.match(s.out.stdout(), /^18$/m);
    });
  }

  test("stopped inside C (the C code's own int3, testdata/cgotrap): leaf → outer → the stub → asmcgocall, then the Go caller", async () => {
    const binary = buildFixture('cgotrap', { env: { CGO_ENABLED: '1' } });
    const c = await startAdapterClient();
    const { dc } = c;
    sessions.push({ c } as Stopped);
    const out = collectOutput(dc);
    // >> initialize, launch, configurationDone, << stopped at the int3 in leaf
    const stopped = waitStopped(dc, 60_000);
    await configure(dc, 'launch', { mode: 'exec', program: binary });
    const tid = tidOf(await stopped);
    // >> stackTrace, << the C frames, then the goroutine's Go frames
    const fs: DebugProtocol.StackFrame[] = (await dc.stackTraceRequest({ threadId: tid })).body.stackFrames;
    const names = fs.map((f) => f.name.replace(/^_cgo_[0-9a-f]+_/, '_cgo_'));
    const shown = fs.map((f) => `${f.name} ${f.source?.name ?? '-'}:${f.line}`).join('\n');
    assert.deepEqual(names.slice(0, 4), ['leaf', 'outer', '_cgo_Cfunc_outer', 'runtime.asmcgocall'], shown);
    const rest = names.slice(4);
    const caller = rest.indexOf('main._Cfunc_outer');
    assert.ok(caller >= 0 && caller < rest.indexOf('main.main'), `then the Go caller in\n${shown}`);
    // >> continue, << the program prints (1+1)*3 + 1 = 7 and exits 0
    const exit = waitExit(dc);
    await dc.continueRequest({ threadId: tid });
    assert.equal(await exit, 0);
    assert.match(out.stdout(), /^7$/m);
  });

  test('nested callbacks (testdata/cgonested): each cgocallback leads to its own C frames, innermost first', async () => {
    const binary = buildFixture('cgonested', { env: { CGO_ENABLED: '1' } });
    const source = join(testdataDir, 'cgonested', 'main.go');
    const mark =
      readFileSync(source, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('MARK:inner')) + 1;
    // >> launch, setBreakpoints(MARK:inner), configurationDone, << stopped(breakpoint) in goInner
    const s = await launchTo(binary, source, [{ line: mark }]);
    sessions.push(s);
    const { dc, tid } = s;
    const fs: DebugProtocol.StackFrame[] = (await dc.stackTraceRequest({ threadId: tid })).body.stackFrames;
    const names = fs.map((f) => f.name.replace(/^_cgo_[0-9a-f]+_/, '_cgo_'));
    const shown = fs.map((f) => `${f.name} ${f.source?.name ?? '-'}:${f.line}`).join('\n');
    // The user's frames and the C frames, in call order (runtime frames between them left out).
    const wanted = [
      'main.goInner',
      'inner',
      '_cgo_Cfunc_inner',
      'main._Cfunc_inner',
      'main.goOuter',
      'outer',
      '_cgo_Cfunc_outer',
      'main._Cfunc_outer',
      'main.main',
    ];
    assert.deepEqual(
      names.filter((n) => wanted.includes(n)),
      wanted,
      shown,
    );
    assert.equal(names.filter((n) => n === 'runtime.cgocallback').length, 2, shown);
    assert.equal(names.filter((n) => n === 'runtime.asmcgocall').length, 2, shown);
    // >> continue, << (((3+1)*3 + 1) * 2) + 1 = 27, exited(0)
    const exit = waitExit(dc);
    await dc.continueRequest({ threadId: tid });
    assert.equal(await exit, 0);
    assert.match(s.out.stdout(), /^27$/m);
  });
});
