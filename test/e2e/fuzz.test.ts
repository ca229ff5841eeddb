/**
 * Malformed input never ends a session (every bad frame answered, then a real
 * request and a breakpoint still work), and a DAP fuzzer: ≥ 10,000 random and
 * mutated requests of every command we answer against an attached, stopped
 * program; every request with a seq gets a response with that request_seq,
 * the adapter stays alive, and the program is fine after (a breakpoint stops
 * in it, its code is restored on detach and it runs on).
 *
 * GDA_FUZZ_SEED replays a run (the seed is printed); GDA_FUZZ_MESSAGES and
 * GDA_FUZZ_SECONDS bound it (default 10,000 messages, 40 s).
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { prng } from '../support/prng.js';
import { RawDap } from './rawDap.js';
import { assertRunsOn, assertTextRestored, exited, RARE_LINE, serviceSource, startService, WORK_LINE, type Service } from './service.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

/** initialize → attach → setBreakpoints(work) → configurationDone → stopped in work(). */
async function attachedStopped(): Promise<{ dap: RawDap; s: Service; threadId: number }> {
  const s = await startService();
  cleanups.push(() => s.kill());
  const dap = new RawDap();
  cleanups.push(() => dap.kill());
  const init = await dap.request('initialize', { adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  assert.ok(init.success);
  const initialized = dap.event('initialized', 60_000);
  assert.ok((await dap.request('attach', { processId: s.pid }, 60_000)).success);
  await initialized;
  const bps = await dap.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', {
    source: { path: serviceSource },
    breakpoints: [{ line: WORK_LINE }],
  });
  assert.equal(bps.body.breakpoints[0]?.verified, true);
  const stopped = dap.event<DebugProtocol.StoppedEvent>('stopped');
  assert.ok((await dap.request('configurationDone')).success);
  const ev = await stopped;
  assert.equal(ev.body.reason, 'breakpoint');
  return { dap, s, threadId: ev.body.threadId! };
}

/** The top frame of `threadId` is work() at WORK_LINE. */
async function assertInWork(dap: RawDap, threadId: number): Promise<void> {
  const st = await dap.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId, levels: 1 });
  assert.ok(st.success, st.message);
  assert.equal(st.body.stackFrames[0]?.name, 'main.work');
  assert.equal(st.body.stackFrames[0]?.line, WORK_LINE);
}

/** Continues until the next breakpoint stop (a step in flight may stop first). */
async function continueToBreakpoint(dap: RawDap): Promise<number> {
  for (let i = 0; i < 5; i++) {
    let stoppedYet = false;
    const stopped = dap.event<DebugProtocol.StoppedEvent>('stopped', 30_000).then((ev) => {
      stoppedYet = true;
      return ev;
    });
    // A thread id the adapter knows now (goroutine 1 need not be listed in every state of an attached program).
    const th = await dap.request('threads', {});
    const threadId = (th.body as DebugProtocol.ThreadsResponse['body'] | undefined)?.threads?.[0]?.id ?? 1;
    const r = await dap.request('continue', { threadId });
    if (!r.success) {
      // Running already (a continue of the fuzzer): the breakpoint stops it soon. Or it stopped between the
      // two requests: the one placeholder thread a running program lists is no thread of that stop.
      if (stoppedYet) assert.match(r.message ?? '', /running|No thread or goroutine with id/i);
      else assert.match(r.message ?? '', /running/i);
    }
    const ev = await stopped;
    if (ev.body.reason === 'breakpoint') return ev.body.threadId!;
  }
  throw new Error('no breakpoint stop after 5 continues');
}

const ok = (r: DebugProtocol.Response) => assert.ok(r.success, `${r.command}: ${r.message}`);

test('malformed frames are answered and skipped; the session goes on and still debugs', async () => {
  const { dap, s } = await attachedStopped();
  const request = (seq: number, command: string, args?: unknown) => JSON.stringify({ seq, type: 'request', command, arguments: args });
  const cases: { name: string; bytes: Buffer | string; answer?: number }[] = [
    { name: 'a body that is not JSON (seq and command readable)', bytes: dap.frame('{"seq":900001,"type":"request","command":"threads",'), answer: 900001 },
    { name: 'a body that is not JSON at all', bytes: dap.frame('hello, adapter') },
    {
      name: 'a body that is not UTF-8',
      bytes: (() => {
        const b = Buffer.concat([Buffer.from('{"seq":900002,"type":"request","command":"threads","x":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
        return Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`), b]);
      })(),
      answer: 900002,
    },
    { name: 'null', bytes: dap.frame('null') },
    { name: 'an array', bytes: dap.frame('[1,2,3]') },
    { name: 'a number', bytes: dap.frame('42') },
    { name: 'a string', bytes: dap.frame('"threads"') },
    { name: 'an empty object', bytes: dap.frame('{}') },
    { name: 'a request without a command', bytes: dap.frame({ seq: 900003, type: 'request' }) },
    { name: 'a request whose arguments are a number', bytes: dap.frame({ seq: 900004, type: 'request', command: 'stackTrace', arguments: 7 }), answer: 900004 },
    { name: 'an event from the client', bytes: dap.frame({ seq: 900005, type: 'event', event: 'stopped' }) },
    { name: 'a Content-Length shorter than the body', bytes: `Content-Length: 5\r\n\r\n${request(900006, 'threads')}` },
    { name: 'a Content-Length longer than the body', bytes: `Content-Length: 5000\r\n\r\n${request(900007, 'threads')}` },
    { name: 'a body without a header', bytes: request(900008, 'threads') },
    { name: 'a header without a number', bytes: 'Content-Length: twelve\r\n\r\n' },
    { name: 'a huge Content-Length (over the 64 MiB bound)', bytes: 'Content-Length: 99999999999\r\n\r\n{"seq":1,' },
    { name: 'a Content-Length of 60 MiB with a short body', bytes: `Content-Length: ${60 << 20}\r\n\r\n{"seq":900009` },
    { name: 'a header split over several writes', bytes: '' },
  ];
  for (const c of cases) {
    const outputs = dap.events.length;
    if (c.name.startsWith('a header split')) {
      // A valid request, one byte at a time for its header.
      const f = dap.frame(request(900010, 'threads'));
      for (let i = 0; i < 24; i++) dap.write(f.subarray(i, i + 1));
      dap.write(f.subarray(24));
      ok(await dap.responseTo(900010, 10_000));
    } else dap.write(c.bytes);
    if (c.answer !== undefined) {
      const r = await dap.responseTo(c.answer, 10_000);
      assert.equal(r.success, false, `${c.name}: an error response`);
    }
    // Then a real request works.
    const t = await dap.request<DebugProtocol.ThreadsResponse>('threads', undefined, 10_000);
    ok(t);
    assert.ok(t.body.threads.length > 0, c.name);
    if (c.answer === undefined && !c.name.startsWith('a header split') && !c.name.includes('longer')) {
      const said = dap.events.slice(outputs).some((e) => e.event === 'output' && /malformed/.test((e as DebugProtocol.OutputEvent).body.output));
      assert.ok(said, `${c.name}: an output event says what was skipped`);
    }
    assert.ok(dap.alive, `the adapter is alive after ${c.name}`);
  }
  // The framing resynchronised every time: a breakpoint still stops, where it should.
  const tid = await continueToBreakpoint(dap);
  await assertInWork(dap, tid);
  ok(await dap.request('disconnect', { terminateDebuggee: false }));
  await exited(dap.adapter);
  assertTextRestored(s);
  await assertRunsOn(s);
});

// ───────────────────────── the fuzzer ─────────────────────────

test('DAP fuzzer: every request answered, the adapter alive, the program fine', async () => {
  const seed = Number(process.env.GDA_FUZZ_SEED ?? Date.now() % 2 ** 31);
  const maxMessages = Number(process.env.GDA_FUZZ_MESSAGES ?? 10_000);
  const budgetMs = Number(process.env.GDA_FUZZ_SECONDS ?? 40) * 1000;
  console.log(`fuzz seed ${seed} (replay with GDA_FUZZ_SEED=${seed})`);
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const { dap, s, threadId } = await attachedStopped();

  // Real handles of this stop, so mutations start from requests that work.
  const st = await dap.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId, levels: 5 });
  const frameId = st.body.stackFrames[0]!.id;
  const sc = await dap.request<DebugProtocol.ScopesResponse>('scopes', { frameId });
  const variablesReference = sc.body.scopes[0]!.variablesReference;
  const pc = st.body.stackFrames[0]!.instructionPointerReference ?? '0x401000';

  const templates: Record<string, () => unknown> = {
    initialize: () => ({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' }),
    launch: () => ({ program: serviceSource, mode: 'debug' }),
    attach: () => ({ processId: s.pid }),
    configurationDone: () => ({}),
    setBreakpoints: () => ({
      source: { path: serviceSource },
      breakpoints: [{ line: WORK_LINE, condition: 'i % 7 == 0' }, { line: RARE_LINE, hitCondition: '>= 2' }, { line: 30 }],
    }),
    setFunctionBreakpoints: () => ({ breakpoints: [{ name: 'main.rare' }, { name: 'main.work', condition: 'i < 0' }] }),
    setInstructionBreakpoints: () => ({ breakpoints: [{ instructionReference: pc }] }),
    setExceptionBreakpoints: () => ({ filters: ['panic', 'fatal'] }),
    continue: () => ({ threadId }),
    next: () => ({ threadId }),
    stepIn: () => ({ threadId }),
    stepOut: () => ({ threadId }),
    pause: () => ({ threadId }),
    threads: () => undefined,
    stackTrace: () => ({ threadId, startFrame: 0, levels: 20 }),
    exceptionInfo: () => ({ threadId }),
    scopes: () => ({ frameId }),
    variables: () => ({ variablesReference, start: 0, count: 10 }),
    evaluate: () => ({
      expression: pick(['i', 'v', 'done', 'i + 1', 'len("abc")', '&i', 'xyz(', '*(*int)(0)', 'main.done']),
      frameId,
      context: pick(['watch', 'repl', 'hover']),
    }),
    readMemory: () => ({ memoryReference: pc, offset: 0, count: 64 }),
    disassemble: () => ({ memoryReference: pc, instructionOffset: -5, instructionCount: 20, resolveSymbols: true }),
  };
  const commands = Object.keys(templates);
  const weird = (): unknown =>
    pick<() => unknown>([
      () => null,
      () => -1,
      () => 0,
      () => 2 ** 53,
      () => -(2 ** 31),
      () => 1e308,
      () => 0.5,
      () => '',
      () => 'x'.repeat(1 + Math.floor(rnd() * 5000)),
      () => '0xffffffffffffffff',
      () => [],
      () => [1, 'a', null],
      () => ({}),
      () => ({ a: { b: { c: [] } } }),
      () => true,
      () => Math.floor(rnd() * 2 ** 32) - 2 ** 31,
      () => String.fromCharCode(...Array.from({ length: 8 }, () => Math.floor(rnd() * 0xd7ff))),
    ])();
  /** Replaces, deletes or adds one field somewhere in `v` (an object or array, nested). */
  const mutate = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return weird();
    const o: Record<string, unknown> = Array.isArray(v) ? ([...v] as never) : { ...v };
    const keys = Object.keys(o);
    const r = rnd();
    if (keys.length === 0 || r < 0.15) o[pick(['threadId', 'frameId', 'line', 'name', 'zzz', 'count', 'source'])] = weird();
    else {
      const k = pick(keys);
      if (r < 0.35) delete o[k];
      else if (r < 0.6 && typeof o[k] === 'object' && o[k] !== null) o[k] = mutate(o[k]);
      else o[k] = weird();
    }
    return o;
  };

  const expected = new Set<number>();
  const sentAs = new Map<number, string>();
  let sent = 0;
  let unknownCommands = 0;
  let garbage = 0;
  let nextSeq = 1_000_000;
  const start = Date.now();
  // setVariable, disconnect and terminate are left out: a random write into the
  // program's variables may rightly crash it, and the other two end the session.
  while (sent < maxMessages && Date.now() - start < budgetMs) {
    const batch: number[] = [];
    for (let i = 0; i < 50; i++) {
      const r = rnd();
      if (r < 0.04) {
        // Not a request at all: random JSON or bytes (no response is owed).
        dap.write(dap.frame(pick<unknown>([weird(), { type: 'event', event: 'x' }, { type: 'response', request_seq: -5, success: true }, '\u0000\u0001'])));
        garbage++;
        sent++;
        continue;
      }
      let command = pick(commands);
      let args: unknown = templates[command]!();
      for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) if (rnd() < 0.8) args = mutate(args);
      if (rnd() < 0.05) {
        command = pick([
          'restartFrame',
          'stepBack',
          'terminateThreads',
          'setVariable ',
          'Threads',
          '',
          '__proto__',
          'constructor',
          `x${Math.floor(rnd() * 1e6)}`,
        ]);
        unknownCommands++;
      }
      const seqKind = rnd();
      const seq = seqKind < 0.05 ? -nextSeq++ : seqKind < 0.1 ? 2 ** 40 + nextSeq++ : nextSeq++;
      dap.post(command, args, seq);
      sentAs.set(seq, `${command} ${JSON.stringify(args)?.slice(0, 300)}`);
      expected.add(seq);
      batch.push(seq);
      sent++;
    }
    // Keep the pipe bounded: wait for this batch's answers before the next.
    await Promise.all(
      batch.map((q) => dap.responseTo(q, 30_000).catch((e: Error) => Promise.reject(new Error(`${sentAs.get(q)} (seed ${seed}): ${e.message}`)))),
    );
  }
  const seconds = (Date.now() - start) / 1000;
  const missing = [...expected].filter((q) => !dap.responses.has(q));
  const failed = [...expected].filter((q) => dap.responses.get(q)?.success === false).length;
  const internalSeqs = [...expected].filter((q) => /^Error processing/.test(dap.responses.get(q)?.message ?? ''));
  const internal = internalSeqs.length;
  if (process.env.GDA_FUZZ_SHOW_INTERNAL)
    for (const q of internalSeqs.slice(0, 30)) console.log(`internal: ${sentAs.get(q)} → ${dap.responses.get(q)?.message}`);
  const mismatched = [...expected].filter((q) => dap.responses.has(q) && dap.responses.get(q)!.request_seq !== q);
  console.log(
    `fuzz seed ${seed}: ${sent} messages in ${seconds.toFixed(1)} s (${expected.size} requests, ${unknownCommands} unknown commands, ${garbage} non-requests); ` +
      `${expected.size - failed} succeeded, ${failed} error responses (${internal} of them internal errors: "Error processing …")`,
  );
  assert.ok(sent >= Math.min(maxMessages, 10_000) || Date.now() - start >= budgetMs, 'the fuzzer ran');
  assert.deepEqual(missing, [], `requests without a response (seed ${seed})`);
  // Bad arguments are the client's error (InvalidArguments), never "Error processing …" from inside a handler.
  assert.deepEqual(
    internalSeqs.slice(0, 5).map((q) => `${sentAs.get(q)} → ${dap.responses.get(q)?.message}`),
    [],
    `internal errors (seed ${seed})`,
  );
  assert.deepEqual(mismatched, []);
  assert.ok(dap.alive, `the adapter died (seed ${seed}): ${dap.stderr.slice(-2000)}`);
  assert.doesNotMatch(dap.stderr, /uncaught exception|unhandled rejection/, `seed ${seed}`);

  // The program is fine: clear what the fuzzer set, stop at the work() breakpoint, read it.
  ok(await dap.request('setFunctionBreakpoints', { breakpoints: [] }));
  ok(await dap.request('setInstructionBreakpoints', { breakpoints: [] }));
  ok(await dap.request('setBreakpoints', { source: { path: serviceSource }, breakpoints: [{ line: WORK_LINE }] }));
  const tid = await continueToBreakpoint(dap);
  await assertInWork(dap, tid);
  ok(await dap.request('disconnect', { terminateDebuggee: false }));
  await exited(dap.adapter);
  assertTextRestored(s);
  await assertRunsOn(s);
});
