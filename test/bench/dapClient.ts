/**
 * A minimal DAP client for the benchmark: Content-Length framing over any pair of
 * streams (a TCP socket or a child's stdio), requests with timeouts, and events
 * kept in arrival order.
 *
 * Every incoming message is stamped with `performance.now()` when its last byte
 * is parsed, and every request with the time it was written, so a measurement is
 * `arrival - sent` and includes no promise-scheduling delay of the client.
 */
import { performance } from 'node:perf_hooks';
import type { Readable, Writable } from 'node:stream';
import type { DebugProtocol } from '@vscode/debugprotocol';

/** The adapter answered a request with `success: false`. */
export class DapError extends Error {
  constructor(
    readonly command: string,
    readonly detail: string,
  ) {
    super(`${command} failed: ${detail}`);
    this.name = 'DapError';
  }
}

/** Nothing arrived in time. */
export class DapTimeout extends Error {
  constructor(what: string, ms: number) {
    super(`timed out after ${ms} ms waiting for ${what}`);
    this.name = 'DapTimeout';
  }
}

/** The connection closed (the adapter exited or hung up) while something was awaited. */
export class DapClosed extends Error {
  constructor(what: string, why: string) {
    super(`connection closed while waiting for ${what}${why ? `: ${why}` : ''}`);
    this.name = 'DapClosed';
  }
}

// biome-ignore lint/suspicious/noExplicitAny: a DAP body is whatever the request returns; callers name B where they read it
export interface TimedResponse<B = any> {
  body: B;
  /** When the request was written. */
  sentAt: number;
  /** When the response was parsed. */
  at: number;
}

// biome-ignore lint/suspicious/noExplicitAny: a DAP body is whatever the request returns; callers name B where they read it
export interface TimedEvent<B = any> {
  event: string;
  body: B;
  at: number;
  /** Position in `events`. */
  index: number;
}

interface Pending {
  command: string;
  sentAt: number;
  resolve(r: TimedResponse): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

interface EventWaiter {
  name: string;
  from: number;
  failOn: string[];
  pred?: (e: TimedEvent) => boolean;
  resolve(e: TimedEvent): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export interface WaitEventOptions {
  /** Only events at or after this index (from `mark()`) count. Default: the next one to arrive. */
  from?: number;
  timeoutMs: number;
  pred?: (e: TimedEvent) => boolean;
  /** Events that make the wait fail at once (default: `terminated`, `exited`). */
  failOn?: string[];
}

export class DapClient {
  private seq = 1;
  private buf: Buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, Pending>();
  private waiters: EventWaiter[] = [];
  private closedWhy: string | undefined;
  /** Every event received, in order. */
  readonly events: TimedEvent[] = [];

  /**
   * @param describeClose called when the stream ends, to say why (e.g. the adapter's stderr tail).
   * @param trace when set, every message in and out is passed to it.
   */
  constructor(
    input: Readable,
    private readonly output: Writable,
    private readonly describeClose: () => string = () => '',
    private readonly trace?: (line: string) => void,
  ) {
    input.on('data', (chunk: Buffer) => this.onData(chunk));
    input.on('close', () => this.onClose());
    input.on('end', () => this.onClose());
    input.on('error', () => this.onClose());
    output.on('error', () => this.onClose());
  }

  get closed(): boolean {
    return this.closedWhy !== undefined;
  }

  /** Index of the next event to arrive: pass it as `from` to wait for events after this point. */
  mark(): number {
    return this.events.length;
  }

  /** Sends a request; resolves with the timed response, rejects with DapError/DapTimeout/DapClosed. */
  // biome-ignore lint/suspicious/noExplicitAny: a DAP body is whatever the request returns; callers name B where they read it
  request<B = any>(command: string, args: object | undefined, timeoutMs: number): Promise<TimedResponse<B>> {
    if (this.closedWhy !== undefined) return Promise.reject(new DapClosed(`the ${command} response`, this.closedWhy));
    const seq = this.seq++;
    const msg: DebugProtocol.Request = { seq, type: 'request', command, arguments: args };
    return new Promise<TimedResponse<B>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new DapTimeout(`the ${command} response`, timeoutMs));
      }, timeoutMs).unref();
      const sentAt = this.write(msg);
      this.pending.set(seq, { command, sentAt, resolve, reject, timer });
    });
  }

  /** Resolves with the first event named `name` at or after `from`. */
  // biome-ignore lint/suspicious/noExplicitAny: a DAP body is whatever the request returns; callers name B where they read it
  waitEvent<B = any>(name: string, opts: WaitEventOptions): Promise<TimedEvent<B>> {
    const from = opts.from ?? this.events.length;
    const failOn = opts.failOn ?? ['terminated', 'exited'];
    for (let i = from; i < this.events.length; i++) {
      const e = this.events[i]!;
      if (e.event === name && (!opts.pred || opts.pred(e))) return Promise.resolve(e);
      if (failOn.includes(e.event)) return Promise.reject(new Error(`got "${e.event}" while waiting for "${name}"`));
    }
    if (this.closedWhy !== undefined) return Promise.reject(new DapClosed(`a ${name} event`, this.closedWhy));
    return new Promise<TimedEvent<B>>((resolve, reject) => {
      const w: EventWaiter = {
        name,
        from,
        failOn,
        pred: opts.pred,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          reject(new DapTimeout(`a ${name} event`, opts.timeoutMs));
        }, opts.timeoutMs).unref(),
      };
      this.waiters.push(w);
    });
  }

  /** Output events' text so far (the adapter's console), for error messages. */
  outputText(): string {
    return this.events
      .filter((e) => e.event === 'output')
      .map((e) => String(e.body?.output ?? ''))
      .join('');
  }

  private write(msg: DebugProtocol.ProtocolMessage): number {
    const json = JSON.stringify(msg);
    this.trace?.(`>> ${json.length > 400 ? `${json.slice(0, 400)}…` : json}`);
    const at = performance.now();
    this.output.write(`Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`, 'utf8');
    return at;
  }

  /** Chunks of a long message not yet complete, and their total length (joined once, not per chunk). */
  private waiting: Buffer[] = [];
  private waitingLen = 0;
  private needed = 0;

  private onData(chunk: Buffer): void {
    if (this.needed > 0) {
      this.waiting.push(chunk);
      this.waitingLen += chunk.length;
      if (this.waitingLen < this.needed) return;
      this.buf = Buffer.concat(this.waiting, this.waitingLen);
      this.waiting = [];
      this.waitingLen = 0;
      this.needed = 0;
    } else {
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    }
    for (;;) {
      const headerEnd = this.buf.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const m = /Content-Length:\s*(\d+)/i.exec(this.buf.subarray(0, headerEnd).toString('ascii'));
      if (!m) {
        // Not DAP (stray output on the stream): drop up to the header end and go on.
        this.buf = this.buf.subarray(headerEnd + 4);
        continue;
      }
      const len = Number(m[1]);
      const start = headerEnd + 4;
      if (this.buf.length < start + len) {
        // Wait for the rest of the body without copying what came so far at every chunk.
        this.waiting = [this.buf];
        this.waitingLen = this.buf.length;
        this.needed = start + len;
        this.buf = Buffer.alloc(0);
        return;
      }
      const text = this.buf.subarray(start, start + len).toString('utf8');
      this.buf = this.buf.subarray(start + len);
      const at = performance.now();
      this.trace?.(`<< ${text.length > 400 ? `${text.slice(0, 400)}…` : text}`);
      this.dispatch(JSON.parse(text) as DebugProtocol.ProtocolMessage, at);
    }
  }

  private dispatch(msg: DebugProtocol.ProtocolMessage, at: number): void {
    if (msg.type === 'response') {
      const r = msg as DebugProtocol.Response;
      const p = this.pending.get(r.request_seq);
      if (!p) return;
      this.pending.delete(r.request_seq);
      clearTimeout(p.timer);
      if (r.success) p.resolve({ body: r.body, sentAt: p.sentAt, at });
      else {
        const detail = (r.body as DebugProtocol.ErrorResponse['body'] | undefined)?.error?.format ?? r.message ?? 'unknown error';
        p.reject(new DapError(p.command, detail));
      }
    } else if (msg.type === 'event') {
      const ev = msg as DebugProtocol.Event;
      const e: TimedEvent = { event: ev.event, body: ev.body, at, index: this.events.length };
      this.events.push(e);
      for (const w of [...this.waiters]) {
        if (e.index < w.from) continue;
        if (e.event === w.name && (!w.pred || w.pred(e))) {
          this.dropWaiter(w);
          w.resolve(e);
        } else if (w.failOn.includes(e.event)) {
          this.dropWaiter(w);
          w.reject(new Error(`got "${e.event}" while waiting for "${w.name}"`));
        }
      }
    } else if (msg.type === 'request') {
      // Reverse requests (runInTerminal, startDebugging): the benchmark supports none.
      const req = msg as DebugProtocol.Request;
      this.write({
        seq: this.seq++,
        type: 'response',
        request_seq: req.seq,
        command: req.command,
        success: false,
        message: 'not supported by the benchmark client',
      } as DebugProtocol.Response);
    }
  }

  private dropWaiter(w: EventWaiter): void {
    clearTimeout(w.timer);
    this.waiters = this.waiters.filter((x) => x !== w);
  }

  private onClose(): void {
    if (this.closedWhy !== undefined) return;
    this.closedWhy = this.describeClose() || 'stream ended';
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new DapClosed(`the ${p.command} response`, this.closedWhy));
    }
    this.pending.clear();
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new DapClosed(`a ${w.name} event`, this.closedWhy));
    }
    this.waiters = [];
  }
}
