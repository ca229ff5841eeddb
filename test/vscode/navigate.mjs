// The "navigate" scenario of test/vscode/e2e.mjs: Step Into Target and Jump to Cursor in a
// real VS Code, on testdata/navigate.
//
// Breakpoints on `r := f(g(x), h())` and on `fmt.Println("count", count)`; F5. With the
// cursor on `h()`, "Debug: Step Into Target" lists main.g, main.h, main.f in a quick pick;
// picking main.h stops there: the Call Stack's top frame is main.h. F5 stops at the print line; with the cursor on `count++`, "Debug: Jump to Cursor"
// moves the goroutine there (the top frame shows that line). F5 runs count++ a second time
// and stops at the print breakpoint again; F5 to the end, and the Debug Console shows the
// program printed `count 2` (never `count 1`).
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

/** `h` helpers from e2e.mjs: log, step, waitForRows, debugConsoleAfterEnd, openWorkspaceFile, runCommand, makeWorkspace, notifications, outDir, STEP_TIMEOUT. */
export async function runNavigateScenario(browser, server, h) {
  const name = 'navigate';
  const { log, step, waitForRows, debugConsoleAfterEnd, openWorkspaceFile, runCommand, outDir, STEP_TIMEOUT } = h;
  log(`scenario ${name}`);
  const sc = {
    testdata: 'navigate',
    breakText: '// NV:calls',
    launch: { name: 'Launch navigate', type: 'go-debug', request: 'launch', mode: 'debug', program: '${workspaceFolder}' },
  };
  const { ws, line: callsLine } = h.makeWorkspace(name, sc);
  const lines = readFileSync(join(ws, 'main.go'), 'utf8').split('\n');
  const lineOf = (marker) => lines.findIndex((l) => l.includes(`// NV:${marker}`)) + 1;
  const printLine = lineOf('print');
  const incrLine = lineOf('incr');
  const hColumn = lines[callsLine - 1].indexOf('h()') + 1;
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const shot = join(outDir, `${name}.png`);
  const stackRows = '.debug-call-stack .monaco-list-row';
  const editor = '.editor-instance .monaco-editor .view-lines';

  async function goTo(pos) {
    await page.click(editor);
    await page.keyboard.press('Control+G');
    await page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible', timeout: STEP_TIMEOUT });
    await page.keyboard.type(pos);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
  }
  async function toggleBreakpoint(line, glyphs) {
    await goTo(String(line));
    // F9 does nothing until the extension host has registered the Go debugger: retry.
    const deadline = Date.now() + STEP_TIMEOUT;
    for (;;) {
      await page.keyboard.press('F9');
      await page.waitForTimeout(500);
      const n = await page.$$eval('.codicon-debug-breakpoint, .codicon-debug-breakpoint-unverified', (els) => els.length);
      if (n >= glyphs) return;
      if (Date.now() > deadline) throw new Error(`no breakpoint glyph on line ${line} after F9 for ${STEP_TIMEOUT} ms`);
    }
  }
  /** Waits until the first stack frame row is `fn` at `line`. */
  async function topFrame(fn, line) {
    // A frame row reads `main.mainmain.go28:1`: the name, the file, line:column.
    const re = new RegExp(`^${fn.replace(/\./g, '\\.')}\\w*\\.go${line}:`);
    const rows = await waitForRows(page, stackRows, (t) => re.test(t), `${fn} at line ${line} in the Call Stack`);
    log(`  call stack: ${JSON.stringify(rows.slice(0, 4))}`);
  }

  try {
    await step(page, 'open the workspace and main.go', async () => {
      await openWorkspaceFile(page, server.url, ws, 'main.go');
      await page.waitForSelector(editor, { timeout: STEP_TIMEOUT });
    });
    await step(page, `breakpoints on lines ${callsLine} and ${printLine} (F9)`, async () => {
      await toggleBreakpoint(callsLine, 1);
      await toggleBreakpoint(printLine, 2);
    });
    await step(page, 'start debugging (F5): stopped in main.main at the calls line', async () => {
      await page.keyboard.press('F5');
      await page.waitForSelector('.debug-toolbar', { timeout: STEP_TIMEOUT });
      await topFrame('main.main', callsLine);
    });
    await step(page, `cursor on h() (${callsLine}:${hColumn}), "Debug: Step Into Target": stopped in main.h`, async () => {
      await goTo(`${callsLine}:${hColumn}`);
      await runCommand(page, 'Debug: Step Into Target');
      // VS Code 1.99's command lists the targets in a quick pick (in our order): pick main.h.
      const row = '.quick-input-list .monaco-list-row';
      await page.waitForSelector(`${row} >> text=main.h`, { timeout: STEP_TIMEOUT });
      const labels = await page.$$eval(`${row} .label-name`, (els) => els.map((e) => e.textContent ?? ''));
      log(`  step into targets: ${JSON.stringify(labels)}`);
      if (labels.join(',') !== 'main.g,main.h,main.f') throw new Error(`targets listed: ${JSON.stringify(labels)}`);
      await page.screenshot({ path: join(outDir, `${name}-targets.png`) });
      await page.click(`${row} >> text=main.h`);
      await topFrame('main.h', lineOf('h') - 1);
    });
    await page.screenshot({ path: join(outDir, `${name}-step-into-target.png`) });
    await step(page, `continue (F5): stopped at line ${printLine}`, async () => {
      await page.click(editor);
      await page.keyboard.press('F5');
      await topFrame('main.main', printLine);
    });
    await step(page, `cursor on count++ (line ${incrLine}), "Debug: Jump to Cursor": the goroutine is there`, async () => {
      await goTo(String(incrLine));
      await runCommand(page, 'Debug: Jump to Cursor');
      await topFrame('main.main', incrLine);
    });
    await page.screenshot({ path: shot });
    await step(page, `continue (F5): count++ runs again, stopped at line ${printLine} again`, async () => {
      await page.click(editor);
      await page.keyboard.press('F5');
      await topFrame('main.main', printLine);
    });
    await step(page, 'continue (F5) to the end: the Debug Console shows count 2, not count 1', async () => {
      await page.click(editor);
      await page.keyboard.press('F5');
      const text = await debugConsoleAfterEnd(page, /count 2/);
      if (!/count 2/.test(text) || /count 1\b/.test(text)) throw new Error(`the Debug Console does not show count 2 alone: ${JSON.stringify(text)}`);
    });
    await page.screenshot({ path: join(outDir, `${name}-console.png`) });
    log(`  screenshot: ${shot}`);
    return { name, ok: true, screenshot: shot };
  } catch (e) {
    const failShot = join(outDir, `${name}-failure.png`);
    await page.screenshot({ path: failShot }).catch(() => {});
    return { name, ok: false, error: e.message, screenshot: failShot, notifications: await h.notifications(page).catch(() => []), consoleFile: '' };
  } finally {
    await page.close().catch(() => {});
  }
}
