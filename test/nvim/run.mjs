// `npm run test:nvim`: headless Neovim with nvim-dap debugs testdata/hello through the
// adapter, configured with the README's nvim-dap snippets exactly as written (the stdio
// `executable` form; the `server` and the Unix-socket `pipe` forms each pasted after it),
// driven by test/nvim/drive.lua.
// Opt-in: needs `nvim` (0.7.2 tested) and a checkout of nvim-dap at a tag in NVIM_DAP_DIR
// (several checkouts: separate them with ':'), e.g.
//   git clone https://github.com/mfussenegger/nvim-dap /tmp/nvim-dap && git -C /tmp/nvim-dap checkout 0.7.0
//   NVIM_DAP_DIR=/tmp/nvim-dap npm run test:nvim
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
// The executable `npm install -g` installs (the package's `bin`), as built by `npm run build`.
const main = join(root, 'dist', 'adapter.cjs');
const dapDirs = (process.env.NVIM_DAP_DIR ?? '').split(':').filter(Boolean);
if (dapDirs.length === 0 || !dapDirs.every((d) => existsSync(join(d, 'lua', 'dap.lua')))) {
  console.error('NVIM_DAP_DIR must name a checkout of nvim-dap (git clone https://github.com/mfussenegger/nvim-dap; git checkout 0.7.0)');
  process.exit(2);
}
if (!existsSync(main)) {
  console.error(`${main} missing: npm run build first`);
  process.exit(2);
}
const nvimVersion = execFileSync('nvim', ['--version'], { encoding: 'utf8' }).split('\n')[0];
const goDir = process.env.GO_BIN_DIR ?? '/usr/local/go/bin';

const source = join(root, 'testdata', 'hello', 'main.go');
const PRINT_LINE = 29; // fmt.Println("total", total, p)

/** The ```lua blocks of the README's nvim-dap section, in order. */
function readmeSnippets() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('## Neovim (nvim-dap)');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return [...section.matchAll(/```lua\n([\s\S]*?)```/g)].map((m) => m[1]);
}

const dir = mkdtempSync(join(tmpdir(), 'gda-nvim-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
// `go-debug-adapter` on PATH, as `npm install -g` puts it there (here: this checkout's build).
const bin = join(dir, 'bin');
mkdirSync(bin);
writeFileSync(join(bin, 'go-debug-adapter'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(main)} "$@"\n`);
chmodSync(join(bin, 'go-debug-adapter'), 0o755);

const [stdioSnippet, serverSnippet, pipeSnippet] = readmeSnippets();
const forms = {
  stdio: stdioSnippet,
  // The other forms reassign dap.adapters['go-debug'] after the first snippet (they use its `dap`).
  server: `${stdioSnippet}\n${serverSnippet}`,
  pipe: `${stdioSnippet}\n${pipeSnippet}`,
};

/** Adapter processes started from our bin directory that are still running. */
function leftoverAdapters() {
  const r = spawnSync('pgrep', ['-f', join(bin, 'go-debug-adapter')], { encoding: 'utf8' });
  return r.stdout.trim();
}

for (const dapDir of dapDirs) {
  const tag = spawnSync('git', ['-C', dapDir, 'describe', '--tags'], { encoding: 'utf8' }).stdout.trim() || dapDir;
  for (const [form, snippet] of Object.entries(forms)) {
    test(`${nvimVersion}, nvim-dap ${tag}, ${form}: breakpoint, stack, variables, step, REPL, completion, exit, output`, () => {
      const work = mkdtempSync(join(dir, `${form}-`));
      const config = join(work, 'adapter.lua');
      writeFileSync(config, snippet);
      const init = join(work, 'init.lua');
      writeFileSync(
        init,
        [
          `vim.opt.runtimepath:prepend(${JSON.stringify(dapDir)})`,
          `dofile(${JSON.stringify(config)})`,
          `vim.defer_fn(function() dofile(${JSON.stringify(join(import.meta.dirname, 'drive.lua'))}) end, 0)`,
        ].join('\n'),
      );
      const resultFile = join(work, 'result.json');
      const t0 = Date.now();
      const r = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', init], {
        cwd: work,
        encoding: 'utf8',
        timeout: 120_000,
        env: {
          HOME: work,
          XDG_CONFIG_HOME: join(work, 'config'),
          XDG_DATA_HOME: join(work, 'data'),
          XDG_STATE_HOME: join(work, 'state'),
          XDG_CACHE_HOME: join(work, 'cache'),
          GOCACHE: process.env.GOCACHE ?? join(tmpdir(), 'gda-nvim-gocache'),
          GOPATH: process.env.GOPATH ?? join(tmpdir(), 'gda-nvim-gopath'),
          GOTOOLCHAIN: 'local',
          PATH: `${bin}:${goDir}:${dirname(process.execPath)}:/usr/bin:/bin`,
          GDA_NVIM_SOURCE: source,
          GDA_NVIM_LINE: String(PRINT_LINE),
          GDA_NVIM_RESULT: resultFile,
        },
      });
      const ms = Date.now() - t0;
      assert.ok(existsSync(resultFile), `nvim wrote no result (status ${r.status}, signal ${r.signal})\n${r.stdout}\n${r.stderr}`);
      const res = JSON.parse(readFileSync(resultFile, 'utf8'));
      console.log(`nvim-dap ${tag} ${form}: ${ms} ms, events ${res.events.join(',')}`);
      assert.equal(res.error, undefined, `driver: ${res.error}\n${JSON.stringify(res, null, 1)}\n${r.stderr}`);
      // The breakpoint on line 29 stopped main.main there, with total = 0 + 0 + 1 + 2.
      assert.equal(res.stop.reason, 'breakpoint');
      assert.equal(res.stop.at.name, 'main.main');
      assert.equal(res.stop.at.line, PRINT_LINE);
      assert.equal(res.stop.at.file, source);
      assert.equal(res.stop.at.frames[0], 'main.main');
      assert.ok(res.stop.at.frames.includes('runtime.main'), res.stop.at.frames.join(' '));
      assert.deepEqual(res.stop.at.variable, { name: 'total', value: '3', type: 'int' });
      // Step over the Println: the next line.
      assert.deepEqual(
        res.steps.map((s) => [s.reason, s.at.name, s.at.line]),
        [['step', 'main.main', PRINT_LINE + 1]],
      );
      // The REPL shows what it was asked and the answer.
      const asked = res.repl.indexOf('dap> total * 10 + len("ab")');
      assert.ok(asked >= 0, res.repl.join('\n'));
      assert.ok(res.repl.slice(asked + 1).includes('32'), res.repl.join('\n'));
      // Completion in the REPL (<C-x><C-o>, the omnifunc's completions request; <C-y> accepts):
      // "tot" offers the local total, "p." the fields of p (a main.point).
      assert.deepEqual(res.completions[0], { typed: 'tot', words: ['total'], line: 'dap> total' });
      assert.deepEqual(res.completions[1], { typed: 'p.', words: ['X', 'Y'], line: 'dap> p.X' });
      // Continue: the program's own output, then its exit code, then terminated.
      const stdout = res.output
        .filter((o) => o.category === 'stdout')
        .map((o) => o.output)
        .join('');
      const stderr = res.output
        .filter((o) => o.category === 'stderr')
        .map((o) => o.output)
        .join('');
      assert.equal(stdout, 'total 3 {1 2}\n');
      assert.equal(stderr, 'fact 120\n');
      assert.equal(res.exited.exitCode, 3);
      const ends = res.events.filter((e) => e === 'exited' || e === 'terminated');
      assert.deepEqual(ends, ['exited', 'terminated']);
      assert.equal(res.session_after, false, 'nvim-dap closed the session');
      assert.equal(leftoverAdapters(), '', 'no adapter left running after Neovim quit');
    });
  }
}
