/**
 * The debuggee's stdout and stderr pipes, read as they come (never lost, never
 * reordered within a stream), drained on demand before a stop is reported, and
 * drained to their end before the exit is reported.
 *
 * Two readers share each pipe, both on the main thread: the event loop (a
 * Socket: libuv reads when the pipe becomes readable, some time after the
 * program wrote) and `flush` (read(2) until EAGAIN, at once). A Socket in
 * flowing mode emits each chunk as libuv reads it, so whatever the event loop
 * read before a flush was already handed on, and bytes never pass each other.
 * One UTF-8 decoder per stream serves both, so a character split between two
 * reads comes out whole.
 */
import { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import * as C from './libc.js';
import { asNumber, native } from './libc.js';

export type StreamName = 'stdout' | 'stderr';

interface Pipe {
  readonly fd: number;
  readonly name: StreamName;
  readonly socket: Socket;
  readonly decoder: StringDecoder;
  /** The socket closed its fd: the number may belong to another file now. */
  closed: boolean;
}

/** Bytes read per read(2) of a flush (a pipe holds 64 KiB by default). */
const FLUSH_CHUNK = 64 * 1024;

export class OutputPipes {
  private readonly pipes: Pipe[] = [];
  private open = 0;
  private onAllClosed?: () => void;
  private buf?: Buffer;

  constructor(private readonly onData: (stream: StreamName, text: string) => void) {}

  add(fd: number, name: StreamName): void {
    // flush() must never block: the Socket makes the fd non-blocking too, but do not rely on it.
    const flags = native.fcntl(fd, C.F_GETFL, 0) as number;
    if (flags >= 0) native.fcntl(fd, C.F_SETFL, flags | C.O_NONBLOCK);
    const socket = new Socket({ fd, readable: true, writable: false });
    const p: Pipe = { fd, name, socket, decoder: new StringDecoder('utf8'), closed: false };
    this.pipes.push(p);
    this.open++;
    socket.on('data', (d: Buffer) => this.emitText(p, p.decoder.write(d)));
    socket.on('error', () => {});
    socket.on('close', () => {
      p.closed = true;
      this.emitText(p, p.decoder.end());
      this.open--;
      if (this.open === 0) this.onAllClosed?.();
    });
  }

  /**
   * Hands on, synchronously, everything the program has written to its pipes so
   * far: chunks the socket holds, then what is still in the pipe.
   */
  flush(): void {
    for (const p of this.pipes) {
      if (p.closed || p.socket.destroyed) continue;
      // A chunk the socket buffered but did not emit yet (not flowing) comes first; read() emits it.
      for (let guard = 0; p.socket.readableLength > 0 && guard < 64; guard++) {
        if (p.socket.read() === null) break;
      }
      this.buf ??= Buffer.alloc(FLUSH_CHUNK);
      for (;;) {
        // -1: EAGAIN (empty) or an error; 0: the write end is closed (the socket sees the end itself).
        const n = asNumber(native.read(p.fd, this.buf, this.buf.length) as number | bigint);
        if (n <= 0) break;
        this.emitText(p, p.decoder.write(this.buf.subarray(0, n)));
        if (n < this.buf.length) break;
      }
    }
  }

  /** Calls `done` once every pipe has reached its end, or after `timeoutMs` (grandchildren may hold them open). */
  drain(done: () => void, timeoutMs = 500): void {
    if (this.open === 0) {
      setImmediate(done);
      return;
    }
    let called = false;
    const once = () => {
      if (!called) {
        called = true;
        done();
      }
    };
    this.onAllClosed = once;
    setTimeout(() => {
      this.flush();
      this.close();
      once();
    }, timeoutMs).unref();
  }

  close(): void {
    for (const p of this.pipes) {
      p.closed = true;
      p.socket.destroy();
    }
  }

  private emitText(p: Pipe, text: string): void {
    if (text) this.onData(p.name, text);
  }
}
