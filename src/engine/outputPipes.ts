/**
 * The debuggee's stdout and stderr pipes, read as they come (never lost, never
 * reordered within a stream), and drained before the exit is reported.
 */
import { Socket } from 'node:net';

export type StreamName = 'stdout' | 'stderr';

export class OutputPipes {
  private readonly sockets: Socket[] = [];
  private open = 0;
  private onAllClosed?: () => void;

  constructor(private readonly onData: (stream: StreamName, text: string) => void) {}

  add(fd: number, name: StreamName): void {
    const s = new Socket({ fd, readable: true, writable: false });
    s.setEncoding('utf8');
    this.sockets.push(s);
    this.open++;
    s.on('data', (d: string) => this.onData(name, d));
    s.on('error', () => {});
    s.on('close', () => {
      this.open--;
      if (this.open === 0) this.onAllClosed?.();
    });
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
      this.close();
      once();
    }, timeoutMs).unref();
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
  }
}
