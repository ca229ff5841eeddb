#!/usr/bin/env node
/**
 * The `go-debug-adapter` executable.
 *
 *   go-debug-adapter                    DAP over stdin/stdout (nvim-dap `executable`, VS Code executable mode)
 *   go-debug-adapter --listen HOST:PORT DAP over TCP, one session per connection (nvim-dap `server`)
 *   go-debug-adapter --listen unix:PATH DAP over a private Unix socket (nvim-dap `pipe`)
 *
 * Built twice: by tsc to out/src/adapter/main.js (ESM, the package `bin`) and by
 * esbuild to dist/adapter.cjs (CJS, shipped in the .vsix), so no `import.meta`
 * here without a fallback.
 */
import { existsSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GoDebugSession } from './session.js';
import { isLoopback, isUnixAddress, type ListenTarget, NON_LOOPBACK_WARNING, parseListenTarget, startServer } from './server.js';

const USAGE = `Usage: go-debug-adapter [--listen HOST:PORT | --listen unix:PATH] [options]

A Debug Adapter Protocol server for Go programs on Linux x86-64.

  (no options)         speak DAP over stdin/stdout: one session, then exit
  --listen HOST:PORT   speak DAP over TCP; also --listen :PORT or --listen PORT
                       (host 127.0.0.1). Port 0 picks a free port. Prints
                       "listening at: HOST:PORT" on stdout, then serves one new
                       session per connection until killed.
  --listen unix:PATH   speak DAP over a Unix socket (also a PATH ending in .sock),
                       mode 0600, in a directory only you can enter (created
                       with mode 0700 if missing). Prints "listening at: unix:PATH".
  --allow-remote       allow a --listen host that is not a loopback address:
                       other machines' connections cannot be checked
  --allow-root-peer    also serve connections made by root
  --verbose, --log     log every connection on stderr, not only refused ones
  --help               show this help
  --version            print the version and the Go versions it reads

Whoever can use the adapter can run programs as this user, so the server
serves only connections made by this user (root too with --allow-root-peer):
others are closed at once and logged on stderr.`;

/**
 * The bundle's loader (scripts/adapterLoader.cjs) passes the parts of the bundle to it
 * (scripts/splitBundle.mjs); the tsc build has no such parameter.
 */
declare const __gdaParts: { preload(name: string): void; prefetch?(names: string[]): void } | undefined;

/** Loads a part of a split bundle now, if it is not loaded; nothing to do in the tsc build. */
function preloadPart(name: 'adapterSession' | 'adapterRest'): void {
  if (typeof __gdaParts === 'object' && __gdaParts !== null) __gdaParts.preload(name);
}

/**
 * Has the thread pool read the files of parts of a split bundle that are not loaded, while the
 * adapter waits for its client: loading them then does not wait for the disk. Nothing to do in the tsc build.
 */
function prefetchParts(names: ('adapterSession' | 'adapterRest')[]): void {
  if (typeof __gdaParts === 'object' && __gdaParts !== null) __gdaParts.prefetch?.(names);
}

/**
 * Loads the rest of a split bundle (the debugger: about 85% of the code, 15-20 ms) at the
 * next turn of the event loop, once the first chunk a client sent (its `initialize`) has
 * been answered: the client is busy reading the answer and writing its `launch`, which
 * needs the rest.
 */
function preloadRestSoon(): void {
  setImmediate(() => preloadPart('adapterRest'));
}

/** Directory of this module, in both the ESM build and the CJS bundle. */
function moduleDir(): string {
  return typeof __dirname === 'string' ? __dirname : import.meta.dirname;
}

/**
 * Which Go binaries the decoders read (the pclntab and moduledata layouts of
 * Go 1.18 onwards), and the toolchains the test suite builds its programs with.
 */
const GO_SUPPORT = [
  'Go binaries: linux/amd64, built by Go 1.18 or later',
  'tested with: Go 1.22, 1.23, 1.24, 1.25, 1.26 and 1.27 (test/e2e/versions), the whole suite on 1.26',
];

function version(): string {
  // out/src/adapter/main.js → ../../../package.json; dist/adapter.cjs → ../package.json
  for (let dir = moduleDir(), i = 0; i < 5; i++, dir = dirname(dir)) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'go-debug-adapter') return pkg.version ?? 'unknown';
    }
  }
  return 'unknown';
}

interface Options {
  listen?: string;
  allowRemote: boolean;
  allowRootPeer: boolean;
  verbose: boolean;
  help: boolean;
  version: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { allowRemote: false, allowRootPeer: false, verbose: false, help: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') o.help = true;
    else if (a === '--version' || a === '-v') o.version = true;
    else if (a === '--allow-remote') o.allowRemote = true;
    else if (a === '--allow-root-peer') o.allowRootPeer = true;
    else if (a === '--verbose' || a === '--log') o.verbose = true;
    else if (a === '--listen') {
      if (i + 1 >= argv.length) throw new Error('--listen needs an address: HOST:PORT, :PORT, PORT or unix:PATH');
      o.listen = argv[++i];
    } else if (a.startsWith('--listen=')) o.listen = a.slice('--listen='.length);
    else throw new Error(`unknown argument "${a}" (see --help)`);
  }
  if (o.listen === undefined && (o.allowRemote || o.allowRootPeer || o.verbose)) {
    throw new Error('--allow-remote, --allow-root-peer and --verbose apply to --listen only');
  }
  return o;
}

/**
 * Whether a session was made. Before one there is nothing to release, and the session's
 * part of a split bundle is not loaded just to find that out (a server ended before its
 * first connection).
 */
let sessionMade = false;

function newSession(): GoDebugSession {
  sessionMade = true;
  return new GoDebugSession();
}

function releaseAll(why?: string): void {
  if (sessionMade) GoDebugSession.releaseAll(why);
}

function runStdio(): void {
  // stdout carries the DAP stream: anything else printed there would corrupt it.
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  prefetchParts(['adapterRest']);
  const session = newSession();
  session.setRunAsServer(false);
  session.start(process.stdin, process.stdout);
  // After the session's own listener: its first chunk is answered by then.
  process.stdin.once('data', preloadRestSoon);
}

/**
 * One line on stdout, written directly to fd 1: a server has no other use for
 * process.stdout, whose stream (a socket for a pipe) costs about 2 ms to make.
 * A descriptor that cannot take it so (non-blocking, closed) gets the stream.
 */
function printLine(line: string): void {
  const bytes = Buffer.from(`${line}\n`);
  let off = 0;
  try {
    while (off < bytes.length) off += writeSync(1, bytes, off);
  } catch {
    process.stdout.write(bytes.subarray(off));
  }
}

async function runServer(addr: ListenTarget, opts: Options): Promise<void> {
  const running = await startServer(addr, newSession, {
    log: (m) => console.error(`go-debug-adapter: ${m}`),
    verbose: opts.verbose,
    allowRootPeer: opts.allowRootPeer,
    allowRemote: opts.allowRemote,
    // The session part, while the kernel lists the TCP sockets for the peer check.
    whileChecking: () => preloadPart('adapterSession'),
    afterFirstChunk: preloadRestSoon,
  });
  const shown = running.shown;
  const bound = running.server.address();
  if (typeof bound === 'object' && bound !== null && !isLoopback(bound.address)) console.error(NON_LOOPBACK_WARNING(shown, process.getuid?.() ?? -1));
  printLine(`listening at: ${shown}`);
  prefetchParts(['adapterSession', 'adapterRest']);
  // From here on stdout has done its job; keep stray logging off it anyway.
  console.log = console.error;
  onEndingSignal(() => {
    void running.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  });
}

const ENDING_SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

/**
 * SIGHUP, SIGINT, SIGTERM: every program is let go first, synchronously in the
 * handler (ptrace works only from this thread): an attached one gets its code
 * bytes back and runs on, a launched one is killed. Then `exit(code)`.
 */
function onEndingSignal(exit: (code: number) => void): void {
  for (const [sig, n] of Object.entries(ENDING_SIGNALS)) {
    process.on(sig, () => {
      console.error(`go-debug-adapter: ${sig}: ending`);
      releaseAll();
      exit(128 + n);
    });
  }
}

/**
 * An exception nobody caught leaves the debugger's state unknown: each
 * session lets its program go (restored and detached, or killed if launched)
 * and ends with `terminated`; a stdio adapter then exits, a server goes on
 * taking new connections.
 */
function onUncaught(stdio: boolean): void {
  const fatal = (what: string, e: unknown) => {
    console.error(`go-debug-adapter: ${what}: ${(e as Error)?.stack ?? e}`);
    releaseAll(`internal error (${what}: ${(e as Error)?.message ?? e})`);
    // Let the terminated event reach the client before a stdio adapter exits.
    if (stdio) setTimeout(() => process.exit(1), 200);
  };
  // The last chance of any exit (the library's shutdown calls process.exit): nothing left attached.
  process.on('exit', () => releaseAll());
  process.on('uncaughtException', (e) => fatal('uncaught exception', e));
  process.on('unhandledRejection', (e) => fatal('unhandled rejection', e));
}

function main(): void {
  let opts: Options;
  let addr: ListenTarget | undefined;
  try {
    opts = parseArgs(process.argv.slice(2));
    if (opts.listen !== undefined && !opts.help && !opts.version) addr = parseListenTarget(opts.listen);
  } catch (e) {
    console.error(`go-debug-adapter: ${(e as Error).message}`);
    process.exit(2);
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (opts.version) {
    process.stdout.write(`go-debug-adapter ${version()}\n${GO_SUPPORT.join('\n')}\n`);
    return;
  }
  onUncaught(addr === undefined);
  if (addr === undefined) {
    onEndingSignal((code) => process.exit(code));
    runStdio();
    return;
  }
  runServer(addr, opts).catch((e: NodeJS.ErrnoException) => {
    const taken = isUnixAddress(addr) ? 'the path is already in use' : 'the port is already in use';
    const why = e.code === 'EADDRINUSE' ? taken : e.code === 'EADDRNOTAVAIL' ? 'no such local address' : e.message;
    console.error(`go-debug-adapter: cannot listen on ${opts.listen}: ${why}`);
    // A refusal of what was asked (a non-private or taken path, a remote host) is a usage error.
    process.exit(e.code === undefined ? 2 : 1);
  });
}

main();
