/**
 * The request-path warm-up (src/adapter/requestPathWarmUp.ts) on a real
 * GoDebugSession with no program: every request it sends is answered, by
 * the session's own framing, dispatch and error contract, with no event,
 * nothing logged and no internal error; its session is disposed when it
 * ends, early or after its last round; and it runs once per process.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Writable } from 'node:stream';
import { GoDebugSession } from '../../../src/adapter/session.js';
import { FrameReader } from '../../../src/adapter/framing.js';
import { requestPathWarmer } from '../../../src/adapter/requestPathWarmUp.js';
import { ErrorCode } from '../../../src/util/userErrors.js';

/** A session whose output is kept (decoded), and which says when it is disposed. */
class Recorded extends GoDebugSession {
  readonly messages: Record<string, unknown>[] = [];
  disposed = 0;
  override start(inStream: NodeJS.ReadableStream, _out: NodeJS.WritableStream): void {
    const reader = new FrameReader();
    const messages = this.messages;
    super.start(
      inStream,
      new Writable({
        write(chunk: Buffer, _enc, done) {
          for (const f of reader.push(chunk)) {
            assert.equal(f.kind, 'message', 'the warm-up session writes well-formed frames');
            if (f.kind === 'message') messages.push(f.message);
          }
          done();
        },
      }),
    );
  }
  override dispose(): void {
    this.disposed++;
    super.dispose();
  }
}

test('an early end disposes the session and sends nothing more', () => {
  const made: Recorded[] = [];
  const w = requestPathWarmer(() => {
    const s = new Recorded();
    made.push(s);
    return s;
  });
  assert.equal(w.step(), true);
  assert.equal(made.length, 1);
  const answered = made[0]!.messages.length;
  assert.equal(answered, 1, 'the first request is answered at once');
  w.end();
  assert.equal(made[0]!.disposed, 1);
  assert.equal(w.step(), false, 'nothing after the end');
  assert.equal(made[0]!.messages.length, answered);
});

test('every request is answered by the session alone: responses only, user errors only, nothing logged', () => {
  const logged: string[] = [];
  const original = console.error;
  console.error = (...a: unknown[]) => void logged.push(a.join(' '));
  const made: Recorded[] = [];
  let steps = 0;
  try {
    const w = requestPathWarmer(() => {
      const s = new Recorded();
      made.push(s);
      return s;
    });
    while (w.step()) steps++;
    steps++;
  } finally {
    console.error = original;
  }
  assert.deepEqual(logged, []);
  assert.equal(made.length, 1, 'one session for all the requests');
  const s = made[0]!;
  assert.equal(s.disposed, 1, 'disposed after the last request');
  assert.ok(steps >= 100, `${steps} requests`);
  const msgs = s.messages;
  assert.equal(msgs.length, steps, 'one request per step, each answered within it');
  assert.deepEqual(new Set(msgs.map((m) => m.type)), new Set(['response']), 'no event, no reverse request');
  const seqs = msgs.map((m) => m.request_seq as number);
  assert.deepEqual(
    seqs,
    [...seqs.keys()].map((i) => i + 1),
    'each request answered once, in order',
  );
  for (const m of msgs) {
    if (m.command === 'threads') {
      assert.equal(m.success, true);
      continue;
    }
    assert.equal(m.success, false, `${m.command}: no program, so no answer but an error`);
    const code = (m.body as { error?: { id?: number } }).error?.id;
    assert.ok(code !== undefined && code !== ErrorCode.Internal, `${m.command}: a user error (${code}: ${m.message})`);
  }
});

test('once per process: a later warm-up has nothing to send', () => {
  let made = 0;
  const w = requestPathWarmer(() => {
    made++;
    return new Recorded();
  });
  assert.equal(w.step(), false);
  assert.equal(made, 0);
});
