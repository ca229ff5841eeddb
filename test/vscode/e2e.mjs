#!/usr/bin/env node
// End-to-end test in a real VS Code (code-server 4.99 = VS Code 1.99, driven by
// headless Chromium through playwright-core). Opt-in, not part of `npm test`:
//
//   bash scripts/setup-code-server.sh               # once per machine (CS_DIR=/tmp/cs)
//   npm run test:vscode                             # packages the .vsix, then runs this
//
// It installs the packaged .vsix into a fresh code-server profile, then for each scenario —
// "launchjson" (F5 runs the launch.json configuration), "nolaunchjson" (F5 falls back to the
// configuration provider: debug the package of the open file) and "attach" (an attach
// configuration with ${command:pickGoProcess}: the picker lists the running testdata/ticker,
// the script picks it by pid) — copies a testdata program to a temp workspace, opens it and
// main.go, sets a breakpoint with F9, starts debugging with F5, waits for the Call Stack to
// show the function and the Variables view to show a local ("launchjson" also completes in the
// debug console: the "." trigger, Ctrl+Space, Tab, Enter), saves a screenshot (path
// printed), and stops with Shift+F5 (for attach: the program must keep running).
// "nolaunchjson" also checks the Run view's dropdown offers "Go (go-debug-adapter)...", the
// inline values (`total = 0`, `i = 0` in the editor's lines), and that "Go Debug: Show Adapter
// Log" shows the session under its package name. "runview" (first) checks that without a
// launch.json "Debug: Select and Start Debugging" leads to the Launch package / Launch test /
// Attach to process configurations of the extension's Dynamic provider.
//
// Environment: CS_DIR (default /tmp/cs), GDA_VSIX (use this .vsix instead of packaging),
// GDA_E2E_OUT (directory for screenshots and logs; default a temp dir), GDA_E2E_ONLY
// (comma-separated scenario names: runview, launchjson, nolaunchjson, stringview, attach, navigate, testlenses), GDA_E2E_TIMEOUT (ms per step, default 60000),
// GDA_E2E_ADAPTER_MODE: inline (default), executable (the go-debug.adapterMode setting), or
// server (starts the installed dist/adapter.cjs with --listen 127.0.0.1:0 and points the
// extension at it through GO_DEBUG_ADAPTER_SERVER),
// GDA_E2E_KEEP=1 (keep the temp workspaces and code-server profile).
// Exit status 0 when every scenario passed; on failure the step, the reason and a
// screenshot of the moment are printed.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { runNavigateScenario } from './navigate.mjs';
import { runTestLensesScenario } from './testLenses.mjs';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const CS_DIR = process.env.CS_DIR ?? '/tmp/cs';
const STEP_TIMEOUT = Number(process.env.GDA_E2E_TIMEOUT ?? 60_000);
const outDir = process.env.GDA_E2E_OUT ?? mkdtempSync(join(tmpdir(), 'gda-vscode-e2e-'));
mkdirSync(outDir, { recursive: true });
const GO_DIR = '/usr/local/go/bin';
/** Temp directories removed at the end (unless GDA_E2E_KEEP=1). */
const scratch = [];

function fail(msg) {
  console.error(`e2e: ${msg}`);
  process.exit(1);
}

// ---- prerequisites ---------------------------------------------------------------
const codeServer = join(CS_DIR, 'node_modules', '.bin', 'code-server');
if (!existsSync(codeServer)) fail(`code-server not found at ${codeServer}: run bash scripts/setup-code-server.sh (or set CS_DIR)`);
const csRequire = createRequire(join(CS_DIR, 'package.json'));
let chromium;
try {
  ({ chromium } = csRequire('playwright-core'));
} catch {
  fail(`playwright-core not found under ${CS_DIR}/node_modules: run the set-up script`);
}
const browserPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(browserPath)) fail(`Chromium not found at ${browserPath} (set CHROMIUM)`);

function log(msg) {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

// ---- the .vsix -------------------------------------------------------------------
function packageVsix() {
  if (process.env.GDA_VSIX) return resolve(process.env.GDA_VSIX);
  const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version;
  const vsix = join(outDir, `go-debug-adapter-${version}.vsix`);
  log(`packaging ${vsix}`);
  const r = spawnSync('npm', ['run', '--silent', 'package', '--', '--out', vsix], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) fail(`npm run package failed:\n${r.stdout}\n${r.stderr}`);
  return vsix;
}

// ---- code-server -----------------------------------------------------------------
function makeProfile(vsix) {
  const profile = mkdtempSync(join(tmpdir(), 'gda-cs-profile-'));
  scratch.push(profile);
  const userData = join(profile, 'ud');
  const extensions = join(profile, 'ext');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'workbench.tips.enabled': false,
      'extensions.ignoreRecommendations': true,
      'telemetry.telemetryLevel': 'off',
      'debug.openDebug': 'openOnDebugBreak',
      'debug.internalConsoleOptions': 'neverOpen',
      'workbench.editor.enablePreview': false,
      'window.restoreWindows': 'none',
      'files.hotExit': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'debug.inlineValues': 'on',
      ...(process.env.GDA_E2E_ADAPTER_MODE === 'executable' ? { 'go-debug.adapterMode': 'executable' } : {}),
    }),
  );
  log(`installing ${vsix} into ${extensions}`);
  const r = spawnSync(codeServer, ['--extensions-dir', extensions, '--user-data-dir', userData, '--install-extension', vsix], { encoding: 'utf8' });
  if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) fail(`installing the .vsix failed:\n${r.stdout}\n${r.stderr}`);
  return { userData, extensions };
}

/** `go-debug-adapter --listen 127.0.0.1:0 --verbose` from the installed extension; resolves to its address. */
async function startAdapterServer(profile) {
  const [dir] = readdirSync(profile.extensions).filter((d) => d.startsWith('go-debug-adapter.'));
  const adapter = join(profile.extensions, dir, 'dist', 'adapter.cjs');
  // --verbose: the server logs each connection, which the test checks for.
  const proc = spawn(process.execPath, [adapter, '--listen', '127.0.0.1:0', '--verbose'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PATH: `${process.env.PATH}:${GO_DIR}` },
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (err += d));
  const deadline = Date.now() + STEP_TIMEOUT;
  let m;
  while (!(m = /^listening at: (\S+)$/m.exec(out))) {
    if (proc.exitCode !== null || Date.now() > deadline) fail(`the adapter server did not start: ${out} ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`adapter server ${m[1]} (${adapter})`);
  return { address: m[1], stderr: () => err, stop: () => proc.kill() };
}

async function startCodeServer(profile, extraEnv = {}) {
  const port = await freePort();
  const logFile = join(outDir, `code-server-${port}.log`);
  const env = { ...process.env, PATH: `${process.env.PATH}:${GO_DIR}`, ...extraEnv };
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir',
    profile.userData,
    '--extensions-dir',
    profile.extensions,
  ];
  const proc = spawn(codeServer, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  proc.stdout.on('data', (d) => (output += d));
  proc.stderr.on('data', (d) => (output += d));
  const deadline = Date.now() + STEP_TIMEOUT;
  while (!/HTTP server listening/.test(output)) {
    if (proc.exitCode !== null) fail(`code-server exited (${proc.exitCode}):\n${output}`);
    if (Date.now() > deadline) fail(`code-server did not start within ${STEP_TIMEOUT} ms:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`code-server on 127.0.0.1:${port}`);
  return {
    url: `http://127.0.0.1:${port}`,
    /** Stops code-server and its extension hosts (its process group); resolves to its log file. */
    async stop() {
      writeFileSync(logFile, output);
      const exited = new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      try {
        process.kill(-proc.pid, 'SIGTERM');
      } catch {}
      const timer = setTimeout(() => {
        try {
          process.kill(-proc.pid, 'SIGKILL');
        } catch {}
      }, 5000);
      await exited;
      clearTimeout(timer);
      return logFile;
    },
  };
}

// ---- scenarios ------------------------------------------------------------------
// Each: a testdata program copied to a temp workspace, a line to break on (found by its
// text), an optional launch.json, and what the stop must show.
const SCENARIOS = {
  launchjson: {
    testdata: 'hello',
    breakText: 'total = add(total, i)',
    launch: { name: 'Launch hello', type: 'go-debug', request: 'launch', mode: 'debug', program: '${workspaceFolder}' },
    frame: /main\.main/,
    local: 'total',
    // The debug console completes: "p." (the "." trigger) offers p's fields; "tot" + Ctrl+Space offers
    // the local total, Tab accepts it, Enter evaluates it (0 at the first hit).
    console: { member: 'p.', fields: ['X', 'Y'], typed: 'tot', accepted: 'total', result: '0' },
  },
  // Also: the session is named after the package, inline values show at the ends of lines,
  // and "Go Debug: Show Adapter Log" shows the session's log.
  nolaunchjson: {
    testdata: 'hello',
    breakText: 'total = add(total, i)',
    frame: /main\.main/,
    local: 'total',
    sessionName: 'main (example.com/hello)',
    inlineValues: ['total = 0', 'i = 0'],
    dropdown: 'Go (go-debug-adapter)...',
  },
  // The Variables view shows what a value's String() and Error() return (callStringMethods, on by default).
  stringview: {
    testdata: 'stringmethods',
    breakText: 'fmt.Println(temp, who, pcnt',
    launch: { name: 'Launch stringmethods', type: 'go-debug', request: 'launch', mode: 'debug', program: '${workspaceFolder}' },
    frame: /main\.show/,
    local: 'who',
    // Each row's text is the name, " =", the value.
    localTexts: [
      /^\s*who =\s*"Ada \(36\)"$/,
      /^\s*err =\s*"code 7"$/,
      /^\s*both =\s*"as error"$/,
      /^\s*str =\s*"-4\.0°C"$/,
      /^\s*cnt =\s*main\.Counter \{n: 2\}$/,
    ],
  },
  // Attach through the process picker (${command:pickGoProcess}) to a running program.
  attach: {
    testdata: 'ticker',
    breakText: 'count = n',
    launch: { name: 'Attach', type: 'go-debug', request: 'attach', mode: 'local', processId: '${command:pickGoProcess}' },
    frame: /main\.tick/,
    local: 'n',
    attach: true,
  },
};

function makeWorkspace(name, sc) {
  const ws = mkdtempSync(join(tmpdir(), `gda-ws-${name}-`));
  scratch.push(ws);
  cpSync(join(repoRoot, 'testdata', sc.testdata), ws, { recursive: true });
  writeFileSync(join(ws, 'go.mod'), `module example.com/${sc.testdata}\n\ngo 1.22\n`);
  if (sc.launch) {
    mkdirSync(join(ws, '.vscode'));
    writeFileSync(join(ws, '.vscode', 'launch.json'), JSON.stringify({ version: '0.2.0', configurations: [sc.launch] }, null, 2));
  }
  const lines = readFileSync(join(ws, 'main.go'), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(sc.breakText)) + 1;
  if (line === 0) fail(`"${sc.breakText}" not found in testdata/${sc.testdata}/main.go`);
  return { ws, line };
}

/** Builds the workspace's program with debug flags and starts it (for attach). */
function startTarget(ws) {
  const bin = join(ws, 'target.bin');
  const env = { ...process.env, PATH: `${process.env.PATH}:${GO_DIR}`, GOFLAGS: '' };
  const r = spawnSync('go', ['build', '-gcflags=all=-N -l', '-o', bin, '.'], { cwd: ws, env, encoding: 'utf8' });
  if (r.status !== 0) fail(`go build of the attach target failed: ${r.stderr}`);
  const proc = spawn(bin, [], { stdio: 'ignore' });
  return proc;
}

// ---- UI steps --------------------------------------------------------------------
class StepError extends Error {}

async function step(_page, name, fn) {
  log(`  ${name}`);
  try {
    return await fn();
  } catch (e) {
    throw new StepError(`step "${name}" failed: ${e.message.split('\n')[0]}`);
  }
}

async function rowsText(page, selector) {
  return page.$$eval(selector, (rows) => rows.map((r) => r.textContent ?? ''));
}

async function waitForRows(page, selector, predicate, what) {
  const deadline = Date.now() + STEP_TIMEOUT;
  let last = [];
  while (Date.now() < deadline) {
    last = await rowsText(page, selector);
    if (last.some(predicate)) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`${what} did not appear within ${STEP_TIMEOUT} ms; rows seen: ${JSON.stringify(last.slice(0, 10))}`);
}

/** Opens the folder `ws` in code-server at `url`, then `file` from the Explorer, as its active tab. */
async function openWorkspaceFile(page, url, ws, file) {
  await page.goto(`${url}/?folder=${encodeURIComponent(ws)}`, { timeout: STEP_TIMEOUT });
  await page.waitForSelector(`.explorer-folders-view .monaco-list-row >> text=${file}`, { timeout: STEP_TIMEOUT });
  await page.click(`.explorer-folders-view .monaco-list-row >> text=${file}`, { timeout: STEP_TIMEOUT });
  await page.waitForSelector(`.tabs-container .tab.active >> text=${file}`, { timeout: STEP_TIMEOUT });
}

/**
 * After the session has ended: the Debug Console's text (opened if it is not
 * showing) once it matches `re`, or whatever it holds after STEP_TIMEOUT.
 */
async function debugConsoleAfterEnd(page, re) {
  await page.waitForSelector('.debug-toolbar', { state: 'hidden', timeout: STEP_TIMEOUT });
  if (!(await page.$('.repl .monaco-list-row'))) await page.keyboard.press('Control+Shift+Y');
  const deadline = Date.now() + STEP_TIMEOUT;
  let text = '';
  while (Date.now() < deadline) {
    text = await page.$$eval('.repl .monaco-list-row', (rs) => rs.map((r) => r.textContent ?? '').join('\n'));
    if (re.test(text)) break;
    await page.waitForTimeout(250);
  }
  log(`  debug console: ${JSON.stringify(text.slice(0, 300))}`);
  return text;
}

/** The text of the editor's view lines, spaces normalised (Monaco renders them as U+00A0). */
async function editorLines(page, selector = '.editor-instance .monaco-editor .view-lines') {
  return page.$$eval(`${selector} .view-line`, (ls) => ls.map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ')));
}

async function waitForInlineValues(page, wanted) {
  const deadline = Date.now() + STEP_TIMEOUT;
  let lines = [];
  while (Date.now() < deadline) {
    lines = await editorLines(page);
    if (wanted.every((w) => lines.some((l) => l.includes(w)))) {
      log(`  inline values: ${JSON.stringify(lines.filter((l) => wanted.some((w) => l.includes(w))))}`);
      return;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`inline values ${JSON.stringify(wanted)} not in the editor; lines: ${JSON.stringify(lines)}`);
}

/** Runs a command from the command palette by its title. */
async function runCommand(page, title) {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible', timeout: STEP_TIMEOUT });
  await page.keyboard.type(title);
  await page.waitForSelector(`.quick-input-list .monaco-list-row >> text=${title}`, { timeout: STEP_TIMEOUT });
  await page.keyboard.press('Enter');
}

async function showAdapterLog(page, sessionName) {
  await runCommand(page, 'Go Debug: Show Adapter Log');
  const deadline = Date.now() + STEP_TIMEOUT;
  let lines = [];
  while (Date.now() < deadline) {
    lines = await editorLines(page, '.panel .output-view .monaco-editor .view-lines, .panel .monaco-editor .view-lines');
    // The view is scrolled to its end: the session's "starts" line may be out of sight, and so may its stop
    // when VS Code asks much after it (breakpointLocations, variables); a scopes request comes only after a stop.
    const tag = `[${sessionName}]`;
    if (lines.some((l) => l.includes(`${tag} ← event stopped breakpoint`) || l.includes(`${tag} → scopes`))) {
      log(`  adapter log: ${JSON.stringify(lines.slice(0, 6))}`);
      return;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`the adapter log does not show the session "${sessionName}" stopped at a breakpoint; lines: ${JSON.stringify(lines.slice(0, 10))}`);
}

/** The labels of the suggest widget's rows once it shows every one of `wanted`. */
async function waitForSuggestions(page, wanted) {
  const deadline = Date.now() + STEP_TIMEOUT;
  let labels = [];
  while (Date.now() < deadline) {
    labels = await page.$$eval('.suggest-widget.visible .monaco-list-row .label-name', (els) => els.map((e) => e.textContent ?? ''));
    if (wanted.every((w) => labels.includes(w))) return labels;
    await page.waitForTimeout(200);
  }
  throw new Error(`suggestions ${JSON.stringify(wanted)} not shown; rows: ${JSON.stringify(labels)}`);
}

/** Completion in the debug console's input, then the accepted text evaluated there. */
async function consoleCompletion(page, c, name) {
  const input = '.repl .repl-input-wrapper .monaco-editor';
  await runCommand(page, 'Debug Console: Focus on Debug Console View');
  await page.waitForSelector(input, { state: 'visible', timeout: STEP_TIMEOUT });
  await page.click(input);
  await page.keyboard.type(c.member);
  const members = await waitForSuggestions(page, c.fields);
  log(`  console: ${JSON.stringify(c.member)} suggests ${JSON.stringify(members)}`);
  const shot = join(outDir, `${name}-console-completion.png`);
  await page.screenshot({ path: shot });
  log(`  console completion screenshot: ${shot}`);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(c.typed);
  await page.keyboard.press('Control+Space');
  const names = await waitForSuggestions(page, [c.accepted]);
  log(`  console: ${JSON.stringify(c.typed)} suggests ${JSON.stringify(names.slice(0, 8))}`);
  await page.keyboard.press('Tab');
  const text = (await editorLines(page, '.repl .repl-input-wrapper .monaco-editor .view-lines')).join('\n');
  if (text !== c.accepted) throw new Error(`the input holds ${JSON.stringify(text)} after accepting, not ${JSON.stringify(c.accepted)}`);
  await page.keyboard.press('Enter');
  await waitForRows(page, '.repl .monaco-list-row', (t) => t.trim() === c.result, `the result ${c.result} of ${c.accepted} in the debug console`);
}

async function notifications(page) {
  return page.$$eval('.notifications-toasts .notification-list-item-message, .notification-toast .notification-list-item-message', (els) =>
    els.map((e) => e.textContent ?? ''),
  );
}

async function runScenario(browser, server, name) {
  const sc = SCENARIOS[name];
  log(`scenario ${name}`);
  const { ws, line } = makeWorkspace(name, sc);
  const target = sc.attach ? startTarget(ws) : undefined;
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  const shot = join(outDir, `${name}.png`);
  try {
    await step(page, 'open the workspace', async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(ws)}`, { timeout: STEP_TIMEOUT });
      await page.waitForSelector('.monaco-workbench', { timeout: STEP_TIMEOUT });
      // The explorer lists main.go once the workspace is loaded.
      await page.waitForSelector('.explorer-folders-view .monaco-list-row[aria-label*="main.go"], .explorer-folders-view .monaco-list-row >> text=main.go', {
        timeout: STEP_TIMEOUT,
      });
    });
    await step(page, 'open main.go', async () => {
      await page.click('.explorer-folders-view .monaco-list-row >> text=main.go', { timeout: STEP_TIMEOUT });
      await page.waitForSelector('.editor-instance .monaco-editor .view-lines', { timeout: STEP_TIMEOUT });
      await page.waitForSelector('.tabs-container .tab.active >> text=main.go', { timeout: STEP_TIMEOUT });
    });
    await step(page, `go to line ${line} and toggle a breakpoint (F9)`, async () => {
      await page.click('.editor-instance .monaco-editor .view-lines');
      await page.keyboard.press('Control+G');
      await page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible', timeout: STEP_TIMEOUT });
      await page.keyboard.type(String(line));
      await page.keyboard.press('Enter');
      await page.waitForTimeout(300);
      // F9 does nothing until the extension host has registered the debuggers that allow
      // breakpoints in Go files: press it again until the breakpoint glyph shows up.
      const glyph = '.codicon-debug-breakpoint, .codicon-debug-breakpoint-unverified';
      const deadline = Date.now() + STEP_TIMEOUT;
      for (;;) {
        await page.keyboard.press('F9');
        if (
          await page.waitForSelector(glyph, { timeout: 2000 }).then(
            () => true,
            () => false,
          )
        )
          break;
        if (Date.now() > deadline) throw new Error(`no breakpoint glyph after F9 for ${STEP_TIMEOUT} ms`);
      }
    });
    await step(page, 'start debugging (F5)', async () => {
      await page.keyboard.press('F5');
      if (target) {
        // ${command:pickGoProcess}: the picker lists Go processes; pick ours by its pid.
        await page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible', timeout: STEP_TIMEOUT });
        await page.waitForSelector(`.quick-input-list .monaco-list-row >> text=${target.pid}`, { timeout: STEP_TIMEOUT });
        const rows = await rowsText(page, '.quick-input-list .monaco-list-row');
        log(`  picker: ${JSON.stringify(rows.slice(0, 5))}`);
        await page.keyboard.type(String(target.pid));
        await page.keyboard.press('Enter');
      }
      // A debug session exists once the debug toolbar shows up.
      await page.waitForSelector('.debug-toolbar', { timeout: STEP_TIMEOUT });
    });
    const stack = await step(page, `Call Stack shows ${sc.frame.source.replace('\\', '')}`, () =>
      waitForRows(page, '.debug-call-stack .monaco-list-row', (t) => sc.frame.test(t), `${sc.frame} in the Call Stack`),
    );
    const stoppedShot = join(outDir, `${name}-stopped.png`);
    await page.screenshot({ path: stoppedShot });
    log(`  stopped; call stack: ${JSON.stringify(stack.slice(0, 4))}; screenshot: ${stoppedShot}`);
    if (adapterServer) {
      await step(page, 'the session runs in the adapter server', async () => {
        if (!/connection from 127\.0\.0\.1/.test(adapterServer.stderr())) throw new Error(`no connection logged by the server: ${adapterServer.stderr()}`);
      });
    }
    if (process.env.GDA_E2E_ADAPTER_MODE === 'executable') {
      await step(page, 'the adapter runs as its own process (dist/adapter.cjs)', async () => {
        const procs = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
          .stdout.split('\n')
          .filter((l) => l.includes('dist/adapter.cjs'));
        if (procs.length === 0) throw new Error('no dist/adapter.cjs process while stopped');
        log(`  adapter process: ${procs[0].trim()}`);
      });
    }
    const vars = await step(page, `Variables view shows a local (${sc.local})`, () =>
      waitForRows(page, '.debug-variables .monaco-list-row', (t) => new RegExp(`^\\s*${sc.local} =`).test(t), `the local "${sc.local}" in the Variables view`),
    );
    for (const re of sc.localTexts ?? []) {
      await step(page, `Variables view shows ${re.source}`, () =>
        waitForRows(page, '.debug-variables .monaco-list-row', (t) => re.test(t), `${re} in the Variables view`),
      );
    }
    if (sc.dropdown) {
      await step(page, `the Run view's dropdown offers "${sc.dropdown}"`, async () => {
        const opts = await page.$$eval('.start-debug-action-item select option', (os) => os.map((o) => o.textContent ?? ''));
        log(`  dropdown: ${JSON.stringify(opts)}`);
        if (!opts.includes(sc.dropdown)) throw new Error(`dropdown options: ${JSON.stringify(opts)}`);
        await page.click('.start-debug-action-item .configuration .monaco-select-box');
        await page.waitForSelector(`.monaco-select-box-dropdown-container .monaco-list-row >> text=${sc.dropdown}`, { timeout: STEP_TIMEOUT });
        const dropShot = join(outDir, `${name}-dropdown.png`);
        await page.screenshot({ path: dropShot });
        log(`  dropdown screenshot: ${dropShot}`);
        await page.keyboard.press('Escape');
      });
    }
    if (sc.inlineValues) {
      await step(page, `inline values ${sc.inlineValues.join(', ')} at the ends of their lines`, () => waitForInlineValues(page, sc.inlineValues));
    }
    if (sc.console) {
      await step(page, `the debug console completes ${JSON.stringify(sc.console.member)} and ${JSON.stringify(sc.console.typed)}`, () =>
        consoleCompletion(page, sc.console, name),
      );
    }
    await page.screenshot({ path: shot });
    log(`  variables:  ${JSON.stringify(vars.slice(0, 6))}`);
    if (sc.sessionName) {
      await step(page, `"Go Debug: Show Adapter Log" shows the session "${sc.sessionName}"`, () => showAdapterLog(page, sc.sessionName));
      const logShot = join(outDir, `${name}-adapter-log.png`);
      await page.screenshot({ path: logShot });
      log(`  adapter log screenshot: ${logShot}`);
    }
    log(`  screenshot: ${shot}`);
    await step(page, 'stop debugging (Shift+F5)', async () => {
      await page.keyboard.press('Shift+F5');
      await page.waitForSelector('.debug-toolbar', { state: 'hidden', timeout: STEP_TIMEOUT });
    });
    if (target) {
      await step(page, 'after detaching, the program keeps running', async () => {
        await page.waitForTimeout(500);
        const state = readFileSync(`/proc/${target.pid}/stat`, 'utf8').split(') ')[1]?.[0];
        if (target.exitCode !== null || target.signalCode !== null || !/[RS]/.test(state ?? '')) {
          throw new Error(`the program is not running after detach (state ${state}, exit ${target.exitCode}, signal ${target.signalCode})`);
        }
      });
    }
    return { name, ok: true, screenshot: shot };
  } catch (e) {
    const failShot = join(outDir, `${name}-failure.png`);
    await page.screenshot({ path: failShot }).catch(() => {});
    const notes = await notifications(page).catch(() => []);
    const consoleFile = join(outDir, `${name}-browser-console.log`);
    writeFileSync(consoleFile, consoleLines.join('\n'));
    return { name, ok: false, error: e.message, screenshot: failShot, notifications: notes, consoleFile };
  } finally {
    await page.close().catch(() => {});
    target?.kill('SIGKILL');
  }
}

// ---- the Run view without launch.json ----------------------------------------------
// The configurations the extension's Dynamic provider offers must be reachable without a
// launch.json. Before any session VS Code 1.99 shows the Run view's welcome content, not the
// configuration dropdown (its "debugUx" is "simple" while no configuration is selected), so
// this picks "Go (go-debug-adapter)..." in "Debug: Select and Start Debugging", and the quick
// pick must list the package, test and attach configurations. The dropdown itself is checked
// in the nolaunchjson scenario, while its session runs.
const DYNAMIC_LABELS = ['Launch package', 'Launch test', 'Attach to process'];

async function runViewScenario(browser, server) {
  const name = 'runview';
  log(`scenario ${name}`);
  const { ws } = makeWorkspace(name, { testdata: 'hello', breakText: 'total' });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const shot = join(outDir, `${name}.png`);
  try {
    await step(page, 'open the workspace and main.go', () => openWorkspaceFile(page, server.url, ws, 'main.go'));
    await step(page, 'open the Run view (Ctrl+Shift+D)', async () => {
      await page.keyboard.press('Control+Shift+D');
      await page.waitForSelector('.debug-viewlet, .pane-header >> text=Run and Debug', { timeout: STEP_TIMEOUT });
      await page.waitForTimeout(1000);
    });
    await page.screenshot({ path: join(outDir, `${name}-opened.png`) });
    await step(page, 'the view offers no configuration dropdown before a session: VS Code shows its welcome view', async () => {
      await page.waitForSelector('.welcome-view-content >> text=Run and Debug', { timeout: STEP_TIMEOUT });
    });
    await step(page, '"Debug: Select and Start Debugging" lists "Go (go-debug-adapter)..."; pick it', async () => {
      await runCommand(page, 'Debug: Select and Start Debugging');
      await page.waitForSelector('.quick-input-list .monaco-list-row >> text=Go (go-debug-adapter)...', { timeout: STEP_TIMEOUT });
      const rows = await rowsText(page, '.quick-input-list .monaco-list-row');
      log(`  select and start: ${JSON.stringify(rows)}`);
      await page.screenshot({ path: join(outDir, `${name}-select-and-start.png`) });
      await page.click('.quick-input-list .monaco-list-row >> text=Go (go-debug-adapter)...');
    });
    const picks = await step(page, `the quick pick lists ${DYNAMIC_LABELS.join(', ')}`, async () => {
      const rows = '.quick-input-list .monaco-list-row';
      const deadline = Date.now() + STEP_TIMEOUT;
      let labels = [];
      while (Date.now() < deadline) {
        labels = await page.$$eval(`${rows} .label-name`, (els) => els.map((e) => e.textContent ?? ''));
        if (DYNAMIC_LABELS.every((l) => labels.includes(l))) return labels;
        await page.waitForTimeout(250);
      }
      throw new Error(`quick pick labels: ${JSON.stringify(labels)}`);
    });
    await page.screenshot({ path: shot });
    log(`  quick pick: ${JSON.stringify(picks)}; screenshot: ${shot}`);
    await page.keyboard.press('Escape');
    return { name, ok: true, screenshot: shot };
  } catch (e) {
    const failShot = join(outDir, `${name}-failure.png`);
    await page.screenshot({ path: failShot }).catch(() => {});
    return { name, ok: false, error: e.message, screenshot: failShot, notifications: await notifications(page).catch(() => []), consoleFile: '' };
  } finally {
    await page.close().catch(() => {});
  }
}

// ---- main ------------------------------------------------------------------------
const vsix = packageVsix();
const profile = makeProfile(vsix);
const adapterServer = process.env.GDA_E2E_ADAPTER_MODE === 'server' ? await startAdapterServer(profile) : undefined;
const server = await startCodeServer(profile, adapterServer ? { GO_DEBUG_ADAPTER_SERVER: adapterServer.address } : {});
const browser = await chromium.launch({
  executablePath: browserPath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const only = process.env.GDA_E2E_ONLY;
const results = [];
try {
  if (!only || only.split(',').includes('runview')) results.push(await runViewScenario(browser, server));
  for (const name of Object.keys(SCENARIOS)) {
    if (only && !only.split(',').includes(name)) continue;
    results.push(await runScenario(browser, server, name));
  }
  // Step Into Target and Jump to Cursor (test/vscode/navigate.mjs).
  if (!only || only.split(',').includes('navigate')) {
    const helpers = { log, step, waitForRows, debugConsoleAfterEnd, openWorkspaceFile, runCommand, makeWorkspace, notifications, outDir, STEP_TIMEOUT };
    results.push(await runNavigateScenario(browser, server, helpers));
  }
  // The "debug test" code lenses (test/vscode/testLenses.mjs).
  if (!only || only.split(',').includes('testlenses')) {
    const helpers = { log, step, waitForRows, debugConsoleAfterEnd, notifications, outDir, STEP_TIMEOUT, repoRoot, scratch };
    results.push(await runTestLensesScenario(browser, server, helpers));
  }
} finally {
  await browser.close().catch(() => {});
  adapterServer?.stop();
  const logFile = await server.stop();
  log(`code-server log: ${logFile}`);
  if (process.env.GDA_E2E_KEEP !== '1') for (const d of scratch) rmSync(d, { recursive: true, force: true });
}
let ok = true;
for (const r of results) {
  if (r.ok) console.log(`PASS ${r.name}: screenshot ${r.screenshot}`);
  else {
    ok = false;
    console.log(
      `FAIL ${r.name}: ${r.error}\n  screenshot: ${r.screenshot}\n  notifications: ${JSON.stringify(r.notifications)}\n  browser console: ${r.consoleFile}`,
    );
  }
}
process.exit(ok && results.length > 0 ? 0 : 1);
