/**
 * Reverse requests (adapter → client) for DebugClient, which only knows
 * responses and events: a test can answer `runInTerminal` like an editor does.
 */
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

type Handler = (req: DebugProtocol.Request) => Promise<Record<string, unknown> | undefined>;

interface ClientInternals {
  dispatch(body: string): void;
  outputStream: { write(s: string): void };
}

export function handleReverseRequests(dc: DebugClient, handlers: Record<string, Handler>): void {
  const inner = dc as unknown as ClientInternals;
  const original = inner.dispatch.bind(dc);
  let seq = 100_000;
  inner.dispatch = (body: string) => {
    const msg = JSON.parse(body) as DebugProtocol.ProtocolMessage;
    if (msg.type !== 'request') return original(body);
    const req = msg as DebugProtocol.Request;
    const h = handlers[req.command];
    const reply = (success: boolean, b?: Record<string, unknown>, message?: string) => {
      const res: DebugProtocol.Response = { seq: seq++, type: 'response', request_seq: req.seq, command: req.command, success, message, body: b };
      const json = JSON.stringify(res);
      inner.outputStream.write(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
    };
    if (!h) return reply(false, undefined, `unsupported reverse request ${req.command}`);
    h(req).then(
      (b) => reply(true, b),
      (e: Error) => reply(false, undefined, e.message),
    );
  };
}
