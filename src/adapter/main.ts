#!/usr/bin/env node
/**
 * The `go-debug-adapter` executable.
 *
 *   go-debug-adapter                    DAP over stdin/stdout (nvim-dap `executable`, VS Code executable mode)
 *   go-debug-adapter --listen HOST:PORT DAP over TCP, one session per connection (nvim-dap `server`)
 *
 * Built twice: by tsc to out/src/adapter/main.js (ESM, the package `bin`) and by
 * esbuild to dist/adapter.cjs (CJS, shipped in the .vsix), so no `import.meta`
 * here without a fallback.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GoDebugSession } from './session.js';
import { formatAddress, isLoopback, NON_LOOPBACK_WARNING, parseListenAddress, startServer, type ListenAddress } from './server.js';

const USAGE = `Usage: go-debug-adapter [--listen HOST:PORT]

A Debug Adapter Protocol server for Go programs on Linux x86-64.

  (no options)         speak DAP over stdin/stdout: one session, then exit
  --listen HOST:PORT   speak DAP over TCP; also --listen :PORT or --listen PORT
                       (host 127.0.0.1). Port 0 picks a free port. Prints
                       "listening at: HOST:PORT" on stdout, then serves one new
                       session per connection until killed.
  --help               show this help
  --version            print the version

Only bind a non-loopback host on a trusted network: whoever can connect can
run programs as this user.`;

/** Directory of this module, in both the ESM build and the CJS bundle. */
function moduleDir(): string {
  return typeof __dirname === 'string' ? __dirname : import.meta.dirname;
}

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
  help: boolean;
  version: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { help: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') o.help = true;
    else if (a === '--version' || a === '-v') o.version = true;
    else if (a === '--listen') {
      if (i + 1 >= argv.length) throw new Error('--listen needs an address: HOST:PORT, :PORT or PORT');
      o.listen = argv[++i];
    } else if (a.startsWith('--listen=')) o.listen = a.slice('--listen='.length);
    else throw new Error(`unknown argument "${a}" (see --help)`);
  }
  return o;
}

function runStdio(): void {
  // stdout carries the DAP stream: anything else printed there would corrupt it.
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  const session = new GoDebugSession();
  session.setRunAsServer(false);
  session.start(process.stdin, process.stdout);
}

async function runServer(addr: ListenAddress): Promise<void> {
  const running = await startServer(
    addr,
    () => new GoDebugSession(),
    (m) => console.error(`go-debug-adapter: ${m}`),
  );
  const shown = formatAddress(running.host, running.port);
  if (addr.explicitHost && !isLoopback(addr.host)) console.error(NON_LOOPBACK_WARNING(shown));
  process.stdout.write(`listening at: ${shown}\n`);
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
      GoDebugSession.releaseAll();
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
    GoDebugSession.releaseAll(`internal error (${what}: ${(e as Error)?.message ?? e})`);
    // Let the terminated event reach the client before a stdio adapter exits.
    if (stdio) setTimeout(() => process.exit(1), 200);
  };
  // The last chance of any exit (the library's shutdown calls process.exit): nothing left attached.
  process.on('exit', () => GoDebugSession.releaseAll());
  process.on('uncaughtException', (e) => fatal('uncaught exception', e));
  process.on('unhandledRejection', (e) => fatal('unhandled rejection', e));
}

function main(): void {
  let opts: Options;
  let addr: ListenAddress | undefined;
  try {
    opts = parseArgs(process.argv.slice(2));
    if (opts.listen !== undefined && !opts.help && !opts.version) addr = parseListenAddress(opts.listen);
  } catch (e) {
    console.error(`go-debug-adapter: ${(e as Error).message}`);
    process.exit(2);
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (opts.version) {
    process.stdout.write(`go-debug-adapter ${version()}\n`);
    return;
  }
  onUncaught(addr === undefined);
  if (addr === undefined) {
    onEndingSignal((code) => process.exit(code));
    runStdio();
    return;
  }
  runServer(addr).catch((e: NodeJS.ErrnoException) => {
    const why = e.code === 'EADDRINUSE' ? 'the port is already in use' : e.code === 'EADDRNOTAVAIL' ? 'no such local address' : e.message;
    console.error(`go-debug-adapter: cannot listen on ${opts.listen}: ${why}`);
    process.exit(1);
  });
}

main();
