/**
 * The error contract's last branch: an exception that is no user error becomes
 * "Error processing <command>: <message>" (no stack in the response), its stack
 * goes to the log, and the session answers the next request. Over DAP no
 * well-formed request is known to fail this way (the fuzzer's were fixed), so
 * a handler is made to throw here, in process.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { GoDebugSession } from '../../../src/adapter/session.js';
import { ErrorCode } from '../../../src/util/userErrors.js';

class FaultySession extends GoDebugSession {
  readonly responses: DebugProtocol.Response[] = [];
  protected override threadsRequest(r: DebugProtocol.ThreadsResponse): void {
    // biome-ignore lint/suspicious/noExplicitAny: reaching the session's private answer() on purpose
    (this as any).answer(r, () => {
      throw new TypeError('boom in a handler');
    });
  }
  override sendResponse(r: DebugProtocol.Response): void {
    this.responses.push(r);
  }
}

test('an internal error answers "Error processing <command>" without a stack; the stack goes to the log', () => {
  const s = new FaultySession();
  const logged: string[] = [];
  const original = console.error;
  console.error = (...a: unknown[]) => void logged.push(a.join(' '));
  try {
    s.handleMessage({ seq: 1, type: 'request', command: 'threads' } as DebugProtocol.Request);
    s.handleMessage({ seq: 2, type: 'request', command: 'evaluate', arguments: { expression: 42 } } as DebugProtocol.Request);
  } finally {
    console.error = original;
  }
  const [internal, invalid] = s.responses;
  assert.equal(internal?.success, false);
  assert.equal(internal?.request_seq, 1);
  assert.equal(internal?.message, 'Error processing threads: boom in a handler');
  const body = internal?.body as { error?: { id: number; format: string; showUser?: boolean } };
  assert.equal(body.error?.id, ErrorCode.Internal);
  assert.ok(!body.error?.showUser, 'no notification for an internal error in threads');
  assert.doesNotMatch(JSON.stringify(internal), /\n\s+at /, 'no stack in the response');
  assert.ok(
    logged.some((l) => /internal error in threads: TypeError: boom in a handler\n\s+at /.test(l)),
    `stack in the log: ${logged.join('|')}`,
  );
  // The next request is answered: a malformed one, as InvalidArguments naming the field.
  assert.equal(invalid?.request_seq, 2);
  assert.equal(invalid?.success, false);
  assert.equal(invalid?.message, 'evaluate: expression must be a string');
  s.dispose();
});
