/**
 * A DAP client over raw bytes, for tests that must send what no well-behaved
 * client sends (bad frames, mutated requests) and see every response by its
 * request_seq. The adapter's own output is parsed here independently of
 * src/adapter/framing.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { adapterMain } from '../support/adapterClient.js';

type Message = DebugProtocol.ProtocolMessage & Record<string, unknown>;

export class RawDap {
  readonly adapter: ChildProcess;
  readonly responses = new Map<number, DebugProtocol.Response>();
  readonly events: DebugProtocol.Event[] = [];
  private waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  private pending = Buffer.alloc(0);
  private nextSeq = 1;
  stderr = '';

  constructor() {
    this.adapter = spawn(process.execPath, [adapterMain], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.adapter.stdout!.on('data', (d: Buffer) => this.onData(d));
    this.adapter.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr = (this.stderr + d).slice(-20_000)));
    this.adapter.stdin!.on('error', () => {});
  }

  get alive(): boolean {
    return this.adapter.exitCode === null && this.adapter.signalCode === null;
  }

  /** Writes bytes as they are. */
  write(bytes: Buffer | string): void {
    this.adapter.stdin!.write(bytes);
  }

  /** Frames `body` (any JSON value, or a string sent as it is) with a correct Content-Length. */
  frame(body: unknown): Buffer {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const b = Buffer.from(text, 'utf8');
    return Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`), b]);
  }

  /** A fresh seq, above every seq the test chose by hand. */
  seq(): number {
    return this.nextSeq++;
  }

  /** Sends a request (its seq given, or a fresh one) without waiting. */
  post(command: string, args?: unknown, seq = this.seq()): number {
    const m: Record<string, unknown> = { seq, type: 'request', command };
    if (args !== undefined) m.arguments = args;
    this.write(this.frame(m));
    return seq;
  }

  /** Sends a request and waits for its response. */
  async request<R extends DebugProtocol.Response = DebugProtocol.Response>(command: string, args?: unknown, ms = 30_000): Promise<R> {
    const seq = this.post(command, args);
    return (await this.responseTo(seq, ms)) as R;
  }

  responseTo(seq: number, ms = 30_000): Promise<DebugProtocol.Response> {
    const got = this.responses.get(seq);
    if (got) return Promise.resolve(got);
    return this.waitFor(
      (m) => m.type === 'response' && (m as unknown as DebugProtocol.Response).request_seq === seq,
      ms,
      `the response to seq ${seq}`,
    ) as never;
  }

  /** The next event named `event` from now on. */
  event<E extends DebugProtocol.Event = DebugProtocol.Event>(event: string, ms = 30_000, match: (e: E) => boolean = () => true): Promise<E> {
    return this.waitFor(
      (m) => m.type === 'event' && (m as unknown as DebugProtocol.Event).event === event && match(m as never),
      ms,
      `a ${event} event`,
    ) as never;
  }

  private readonly taken = new Map<string, number>();

  /**
   * The next `event` not taken before, in the order they came (one may have
   * arrived before this call): for a sequence of stops, none missed.
   */
  async take<E extends DebugProtocol.Event = DebugProtocol.Event>(event: string, ms = 30_000): Promise<E> {
    const from = this.taken.get(event) ?? 0;
    const idx = this.events.findIndex((e, i) => i >= from && e.event === event);
    if (idx >= 0) {
      this.taken.set(event, idx + 1);
      return this.events[idx] as E;
    }
    await this.waitFor((m) => m.type === 'event' && (m as unknown as DebugProtocol.Event).event === event, ms, `a ${event} event`);
    return this.take<E>(event, ms);
  }

  private waitFor(match: (m: Message) => boolean, ms: number, what: string): Promise<Message> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${what}; adapter ${this.alive ? 'alive' : 'gone'}; stderr: ${this.stderr.slice(-2000)}`));
      }, ms);
      const waiter = {
        match,
        resolve: (m: Message) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      this.waiters.push(waiter);
    });
  }

  private onData(d: Buffer): void {
    this.pending = Buffer.concat([this.pending, d]);
    for (;;) {
      const end = this.pending.indexOf('\r\n\r\n');
      if (end < 0) return;
      const m = /Content-Length: (\d+)/.exec(this.pending.subarray(0, end).toString('latin1'));
      if (!m) throw new Error(`the adapter wrote a bad header: ${this.pending.subarray(0, end).toString('latin1')}`);
      const len = Number(m[1]);
      if (this.pending.length < end + 4 + len) return;
      const msg = JSON.parse(this.pending.subarray(end + 4, end + 4 + len).toString('utf8')) as Message;
      this.pending = this.pending.subarray(end + 4 + len);
      if (msg.type === 'response') this.responses.set((msg as unknown as DebugProtocol.Response).request_seq, msg as never);
      else if (msg.type === 'event') this.events.push(msg as never);
      for (const w of this.waiters.filter((x) => x.match(msg))) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(msg);
      }
    }
  }

  kill(): void {
    if (this.alive) this.adapter.kill('SIGKILL');
  }
}
