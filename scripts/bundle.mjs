// Bundles the VS Code extension and the adapter executable with esbuild:
//   dist/extension.cjs  extension/extension.ts (+ the adapter, run inline)
//   dist/adapterMain.cjs, adapterSession.cjs, adapterRest.cjs
//                       src/adapter/main.ts (the adapter executable's code) in three parts
//                       (scripts/splitBundle.mjs)
//   dist/adapter.cjs    scripts/adapterLoader.cjs: the `go-debug-adapter` executable (the npm
//                       package's `bin`, the .vsix's adapterMode "executable", `npm run bench`):
//                       runs the parts, each with V8's code cache
// `npm run build` runs this after tsc.
// `koffi` is replaced by scripts/lazyKoffi.cjs, which loads the native module on first use.
// CommonJS, because VS Code 1.99 does not activate an ESM extension entry.
// `vscode` is provided by the editor; `koffi` ships in node_modules of the .vsix
// (it loads its prebuilt .node file relative to its own package).
// Usage: node scripts/bundle.mjs [--watch]
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { basename, join, resolve } from 'node:path';
import { context, build } from 'esbuild';
import { splitTargets } from './splitBundle.mjs';

const root = resolve(import.meta.dirname, '..');
const shim = join(root, 'scripts/lazyKoffi.cjs');

/** `import koffi from 'koffi'` gets the shim; the shim's own require('koffi') stays the real, external one. */
function lazyKoffi() {
  return {
    name: 'lazy-koffi',
    setup(b) {
      b.onResolve({ filter: /^koffi$/ }, (args) => (args.importer === shim ? { path: 'koffi', external: true } : { path: shim }));
    },
  };
}

/**
 * Node modules the adapter needs only once a program is built, started or read
 * (`go build`, the guardian process, compressed DWARF, temporary files), and the functions of
 * theirs the code imports. Each import gets a stand-in that requires the real
 * module on the first call of one of them: an adapter that has answered only
 * `initialize` has not loaded these (about 3 ms of its start).
 */
const LAZY_BUILTINS = { 'node:child_process': ['spawn'], 'node:zlib': ['inflate', 'inflateSync'], 'node:os': ['tmpdir'] };

function lazyBuiltins() {
  return {
    name: 'lazy-builtins',
    setup(b) {
      const names = Object.keys(LAZY_BUILTINS).map((n) => n.replace(':', '\\:'));
      // The stand-in's own require is of the real module.
      b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) =>
        args.namespace === 'lazy-builtin' ? { path: args.path, external: true } : { path: args.path, namespace: 'lazy-builtin' },
      );
      b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
        loader: 'js',
        contents: [
          'let m;',
          `const real = () => (m ??= require(${JSON.stringify(args.path)}));`,
          ...LAZY_BUILTINS[args.path].map((f) => `export function ${f}(...a) { return real().${f}(...a); }`),
        ].join('\n'),
      }));
    },
  };
}

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'koffi'],
  plugins: [lazyKoffi(), lazyBuiltins()],
  sourcemap: 'linked',
  // Less text for V8 to read and hash at every start; names are kept (stack traces, class names).
  minifyWhitespace: true,
  minifySyntax: true,
  sourcesContent: false,
  logLevel: 'info',
  // Code written for ESM may use import.meta; give it CommonJS equivalents (the URL
  // made when asked for: node:url is not loaded at start for it).
  define: { 'import.meta.dirname': '__dirname', 'import.meta.filename': '__filename', 'import.meta.url': '__gda_import_meta.url' },
  banner: { js: 'var __gda_import_meta = { get url() { return require("node:url").pathToFileURL(__filename).href; } };' },
};
const parts = await splitTargets(root, common, join(root, 'src/adapter/main.ts'), join(root, 'dist'), 'adapterMain');
const targets = [{ ...common, entryPoints: [join(root, 'extension/extension.ts')], outfile: join(root, 'dist/extension.cjs') }, ...parts];

/** The loader, as is, and no code cache of an older bundle. */
function installLoader() {
  copyFileSync(join(root, 'scripts/adapterLoader.cjs'), join(root, 'dist/adapter.cjs'));
  chmodSync(join(root, 'dist/adapter.cjs'), 0o755);
  for (const f of readdirSync(join(root, 'dist'))) if (f.endsWith('.v8cache')) rmSync(join(root, 'dist', f));
}

const dapMessage = (seq, command, args) => {
  const body = JSON.stringify({ seq, type: 'request', command, arguments: args });
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};
const SHORT_SESSION = [
  dapMessage(1, 'initialize', { adapterID: 'go', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' }),
  dapMessage(2, 'threads', {}),
  dapMessage(3, 'disconnect', {}),
].join('');

/**
 * One short session (initialize, threads, disconnect) over stdio, then one over --listen
 * (ended by SIGTERM, as editors and the bench end a server: it exits 0), so the code caches written at
 * their exits hold what the first requests and the server compile, not only the top level,
 * and every part's cache is made (`threads` loads the rest).
 */
async function primeCodeCache() {
  const adapter = join(root, 'dist/adapter.cjs');
  const r = spawnSync(process.execPath, [adapter], { input: SHORT_SESSION, timeout: 30_000 });
  if (r.status !== 0) console.error(`code cache: the stdio session failed (exit ${r.status}): ${r.stderr}`);
  await new Promise((done) => {
    const p = spawn(process.execPath, [adapter, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => p.kill('SIGKILL'), 30_000);
    let out = '';
    let err = '';
    let sock;
    p.stderr.on('data', (d) => {
      err += d;
    });
    p.stdout.on('data', (d) => {
      out += d;
      const port = /listening at: [^\s]*:(\d+)/.exec(out)?.[1];
      if (port === undefined || sock !== undefined) return;
      let answers = '';
      sock = connect(Number(port), '127.0.0.1', () => sock.write(SHORT_SESSION));
      sock.on('data', (d) => {
        answers += d;
        if (answers.includes('"command":"disconnect"')) sock.destroy();
      });
      sock.on('error', () => p.kill('SIGTERM'));
      sock.on('close', () => p.kill('SIGTERM'));
    });
    p.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== null || code !== 0) console.error(`code cache: the --listen session ended with ${signal ?? `exit ${code}`}: ${err}`);
      done();
    });
  });
  const caches = readdirSync(join(root, 'dist')).filter((f) => f.endsWith('.v8cache'));
  const missing = parts.map((t) => `${basename(t.outfile, '.cjs')}-`).filter((p) => !caches.some((f) => f.startsWith(p)));
  if (missing.length > 0) console.error(`code cache not primed for ${missing.join(', ')}`);
}

if (process.argv.includes('--watch')) {
  installLoader();
  for (const t of targets) await (await context(t)).watch();
} else {
  await Promise.all(targets.map((t) => build(t)));
  installLoader();
  await primeCodeCache();
}
