/**
 * Warming the path every request takes (reading a frame from the stream,
 * dispatch, argument checks, the handler's call and its response or error
 * response, the write) while the program runs to its first stop.
 *
 * V8 runs a function in its interpreter until the function has run enough
 * bytecode; by the first stop an adapter has answered eight or so requests,
 * so every request at that stop ran interpreted code. Measured in process
 * (Node 20, two loaded cores): reading one small frame took 30–100 µs in its
 * first dozen calls and 7 µs once compiled; a small request's whole path
 * 120–260 µs for requests 10 to 20, 40–60 µs after a few hundred.
 *
 * The requests go to a session of their own that has no program and no
 * client: its input is a stream fed here, its output a stream that drops
 * every byte. They run what the real session runs (the same prototype
 * methods and module functions), and what they answer touches nothing
 * outside that session: `threads` without a program answers one placeholder
 * thread, the others fail with "not running" or "unknown frame" errors.
 */
import { PassThrough, Writable } from 'node:stream';

/** What the warm-up needs of a session: GoDebugSession satisfies it. */
export interface WarmableSession {
  setRunAsServer(enable: boolean): void;
  start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void;
  dispose(): void;
}

/** A warm-up run a request at a time by its caller. */
export interface RequestPathWarmer {
  /** Sends one request; false once there is nothing left to send. */
  step(): boolean;
  /** Ends it (the program stopped): its session is disposed. */
  end(): void;
}

/**
 * Rounds of ROUND in one warm-up, one request per step: a stop that comes
 * meanwhile waits for one request, not a round (the first round took 16–18
 * ms in all on two cores loaded ten deep, the later ones 1–1.6 ms).
 */
const ROUNDS = 24;

/** The requests of one round, as a client sends them at a stop. */
const ROUND: [string, object | undefined][] = [
  ['threads', undefined],
  ['stackTrace', { threadId: 1, startFrame: 0, levels: 20 }],
  ['scopes', { frameId: 1000 }],
  ['variables', { variablesReference: 1000 }],
  ['variables', { variablesReference: 1001, filter: 'indexed', start: 0, count: 100 }],
  ['threads', undefined],
  ['variables', { variablesReference: 1002, filter: 'named' }],
  ['variables', { variablesReference: 1003, start: 100, count: 100, format: { hex: false } }],
];

/** Set once a warm-up has sent all its requests in this process (what it compiled stays compiled). */
let warmed = false;

/** Request `seq` (from 1) of the warm-up, framed as a client frames it. */
function requestBytes(seq: number): Buffer {
  const [command, args] = ROUND[(seq - 1) % ROUND.length]!;
  const body = JSON.stringify(args === undefined ? { command, type: 'request', seq } : { command, arguments: args, type: 'request', seq });
  return Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/**
 * A warm-up over a session made by `make` on its first step. Once per
 * process: after one has sent all its requests, later ones (a server's next
 * sessions) have nothing to send.
 */
export function requestPathWarmer(make: () => WarmableSession): RequestPathWarmer {
  let session: WarmableSession | undefined;
  let input: PassThrough | undefined;
  let sent = 0;
  let ended = warmed;
  const end = (): void => {
    ended = true;
    const s = session;
    session = undefined;
    try {
      s?.dispose();
    } catch {
      /* a session without a program has nothing to let go */
    }
  };
  return {
    step(): boolean {
      if (ended) return false;
      try {
        if (!session) {
          session = make();
          // A server's session: no end of its streams ends the process.
          session.setRunAsServer(true);
          input = new PassThrough();
          session.start(input, new Writable({ write: (_chunk, _enc, done) => done() }));
        }
        input?.write(requestBytes(++sent));
      } catch {
        // A path the warm-up cannot take: left cold, nothing else changes.
        end();
        return false;
      }
      if (sent < ROUNDS * ROUND.length) return true;
      warmed = true;
      end();
      return false;
    },
    end,
  };
}
