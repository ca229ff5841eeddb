// The "testlenses" scenario of test/vscode/e2e.mjs: the "debug test" code lenses in a real
// VS Code, on testdata/subtests.
//
// A breakpoint on Classify's first line (classify.go); in classify_test.go the lenses stand
// above TestTable and TestOther (its t.Run cases are named by a variable, so they get none).
// Clicking TestOther's lens starts a test-mode session that runs only that test: it stops in
// Classify, the Call Stack names the goroutine "TestOther", and after F5 the Debug Console
// shows the test passed and TestTable never ran.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `h` helpers from e2e.mjs: log, step, waitForRows, debugConsoleAfterEnd, notifications, outDir, STEP_TIMEOUT, repoRoot, scratch. */
export async function runTestLensesScenario(browser, server, h) {
  const name = 'testlenses';
  const { log, step, waitForRows, debugConsoleAfterEnd, outDir, STEP_TIMEOUT } = h;
  log(`scenario ${name}`);
  const ws = mkdtempSync(join(tmpdir(), `gda-ws-${name}-`));
  h.scratch.push(ws);
  cpSync(join(h.repoRoot, 'testdata', 'subtests'), ws, { recursive: true });
  writeFileSync(join(ws, 'go.mod'), 'module example.com/subtests\n\ngo 1.22\n');
  const classifyLine =
    readFileSync(join(ws, 'classify.go'), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('kind := "zero"')) + 1;
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const shot = join(outDir, `${name}.png`);
  const editor = '.editor-instance .monaco-editor .view-lines';
  const lens = '.editor-instance .monaco-editor .codelens-decoration a';

  async function open(file) {
    await page.click(`.explorer-folders-view .monaco-list-row >> text=${file}`, { timeout: STEP_TIMEOUT });
    await page.waitForSelector(`.tabs-container .tab.active >> text=${file}`, { timeout: STEP_TIMEOUT });
    await page.waitForSelector(editor, { timeout: STEP_TIMEOUT });
  }

  try {
    await step(page, 'open the workspace', async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(ws)}`, { timeout: STEP_TIMEOUT });
      await page.waitForSelector('.explorer-folders-view .monaco-list-row >> text=classify_test.go', { timeout: STEP_TIMEOUT });
    });
    await step(page, `breakpoint on classify.go:${classifyLine} (F9)`, async () => {
      await open('classify.go');
      await page.click(editor);
      await page.keyboard.press('Control+G');
      await page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible', timeout: STEP_TIMEOUT });
      await page.keyboard.type(String(classifyLine));
      await page.keyboard.press('Enter');
      const deadline = Date.now() + STEP_TIMEOUT;
      for (;;) {
        await page.keyboard.press('F9');
        await page.waitForTimeout(500);
        if ((await page.$$('.codicon-debug-breakpoint, .codicon-debug-breakpoint-unverified')).length > 0) break;
        if (Date.now() > deadline) throw new Error('no breakpoint glyph after F9');
      }
    });
    let labels = [];
    await step(page, 'classify_test.go shows a "debug test" lens above each test function', async () => {
      await open('classify_test.go');
      const deadline = Date.now() + STEP_TIMEOUT;
      while (Date.now() < deadline) {
        labels = await page.$$eval(lens, (as) => as.map((a) => (a.textContent ?? '').trim()));
        if (labels.length >= 2) break;
        await page.waitForTimeout(500);
      }
      log(`  lenses: ${JSON.stringify(labels)}`);
      if (labels.length !== 2 || labels.some((l) => l !== 'debug test')) throw new Error(`lenses: ${JSON.stringify(labels)}`);
      await page.screenshot({ path: join(outDir, `${name}-lenses.png`) });
    });
    await step(page, 'click the lens of TestOther: stopped in Classify on goroutine "TestOther"', async () => {
      // The lenses in line order: TestTable, TestOther.
      const tops = await page.$$eval(lens, (as) => as.map((a) => a.getBoundingClientRect().top));
      const order = tops.map((t, i) => [t, i]).sort((a, b) => a[0] - b[0]);
      const links = await page.$$(lens);
      await links[order[1][1]].click();
      await page.waitForSelector('.debug-toolbar', { timeout: STEP_TIMEOUT * 3 });
      const rows = await waitForRows(page, '.debug-call-stack .monaco-list-row', (t) => /TestOther: Goroutine \d+/.test(t), 'the TestOther goroutine');
      log(`  call stack: ${JSON.stringify(rows.slice(0, 4))}`);
      await waitForRows(page, '.debug-call-stack .monaco-list-row', (t) => /Classify\w*\.go\d+:/.test(t), 'Classify in the Call Stack');
    });
    await page.screenshot({ path: shot });
    await step(page, 'continue (F5) to the end: TestOther passed, TestTable did not run', async () => {
      await page.click(editor);
      await page.keyboard.press('F5');
      const text = await debugConsoleAfterEnd(page, /PASS/);
      if (!/PASS/.test(text)) throw new Error(`the Debug Console does not show PASS: ${JSON.stringify(text)}`);
      // The breakpoint would have stopped TestTable's cases too: one stop means only TestOther ran.
    });
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
