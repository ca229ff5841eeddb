// What FunctionCalls refuses before any thread runs: a process that can never
// run (a core file, with its own reason), one that is running or gone, one
// that cannot run a thread alone. Over a fake process: nothing may be called on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FunctionCalls } from '../../../src/debuggee/calls/functionCalls.js';
import type { GoroutineView } from '../../../src/debuggee/goroutines/goroutineView.js';
import type { SymbolTable } from '../../../src/debuggee/symbolTable.js';
import type { CallRequest } from '../../../src/eval/callContract.js';
import type { DebuggeeProcess } from '../../../src/process/process.js';
import { FakeProcess } from './fakeProcess.js';

const REQ: CallRequest = { entry: 0x401000, name: 'main.f', intArgs: [1n], floatArgs: [], stackArgs: new Uint8Array(0), frameSize: 0, timeoutMs: 100 };

function callsOn(process: DebuggeeProcess | undefined): FunctionCalls {
  const untouchable = new Proxy(
    {},
    {
      get: (_t, k) => {
        throw new Error(`${String(k)} must not be used`);
      },
    },
  );
  return new FunctionCalls({
    process: () => process,
    symbols: untouchable as SymbolTable,
    view: untouchable as GoroutineView,
    invalidate: () => assert.fail('nothing ran: nothing to invalidate'),
    note: () => assert.fail('no note'),
  });
}

test('a core file is refused with its own reason', () => {
  const core = new FakeProcess();
  Object.assign(core, { cannotRun: 'this is a core file: a program that never runs again' });
  assert.throws(() => callsOn(core).caller(1)(REQ), { message: 'cannot call main.f: this is a core file: a program that never runs again' });
});

test('a running program, an exited one and no program are refused', () => {
  const running = new FakeProcess();
  running.state = 'running';
  assert.throws(() => callsOn(running).caller(1)(REQ), { message: 'cannot call main.f: the program is running' });
  const exited = new FakeProcess();
  exited.state = 'exited';
  assert.throws(() => callsOn(exited).caller(1)(REQ), { message: 'cannot call main.f: the program has exited' });
  assert.throws(() => callsOn(undefined).caller(1)(REQ), { message: 'cannot call main.f: the program has exited' });
});

test('a process that cannot run one thread alone is refused', () => {
  const p = new FakeProcess();
  assert.equal((p as DebuggeeProcess).threadRun, undefined);
  assert.throws(() => callsOn(p).caller(1)(REQ), { message: 'cannot call main.f: this process cannot run one thread alone' });
});
