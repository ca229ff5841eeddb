/**
 * `npm run demo`: a scripted debugging session on testdata/steps, printed for a
 * person. It drives the real adapter over DAP (stdio), exactly as an editor would:
 * build, two breakpoints, the stack, locals and registers at a hit, step in, step over,
 * step out, a 1,000-frame stack, continue to the end with the program's output.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..', '..');
const adapter = join(root, 'out', 'src', 'adapter', 'main.js');
const program = join(root, 'testdata', 'steps');
const mainGo = join(program, 'main.go');
const utilGo = join(program, 'util.go');

const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const say = (s: string) => console.log(bold(`\n▶ ${s}`));

async function main(): Promise<void> {
  const dc = new DebugClient(process.execPath, adapter, 'go-debug', undefined, true);
  dc.defaultTimeout = 120_000;
  await dc.start();
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    const cat = e.body.category ?? 'console';
    for (const line of e.body.output.replace(/\n$/, '').split('\n')) console.log(dim(`  [${cat}] `) + line);
  });
  try {
    say(`launch ${program} (mode "debug": go build -gcflags=all=-N -l)`);
    await dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const initialized = dc.waitForEvent('initialized');
    const t0 = Date.now();
    await dc.launch({ mode: 'debug', program } as DebugProtocol.LaunchRequestArguments);
    await initialized;

    say('set breakpoints: main.go:33 (sum += twice(i)) and util.go:12 (return x + 1 in leaf)');
    for (const [path, line] of [
      [mainGo, 33],
      [utilGo, 12],
    ] as const) {
      const r = await dc.setBreakpointsRequest({ source: { path }, breakpoints: [{ line }] });
      const b = r.body.breakpoints[0]!;
      console.log(`  ${rel(path)}:${line} → verified=${b.verified} line=${b.line}`);
    }
    let stopped = dc.waitForEvent('stopped');
    await dc.configurationDoneRequest();
    let ev = (await stopped) as DebugProtocol.StoppedEvent;
    const tid = ev.body.threadId!;
    console.log(`  stopped (${ev.body.reason}) ${Date.now() - t0} ms after launch (build included)`);
    await printStack(dc, tid, 5);
    await printRegisters(dc, tid);

    for (const step of ['stepIn', 'next', 'stepOut', 'next'] as const) {
      say(step);
      stopped = dc.waitForEvent('stopped');
      await dc.send(step, { threadId: ev.body.threadId });
      ev = (await stopped) as DebugProtocol.StoppedEvent;
      await printStack(dc, ev.body.threadId!, 2);
    }

    say('remove the loop breakpoint and continue to leaf, at the bottom of a 1,000-call recursion');
    await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: [] });
    stopped = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: ev.body.threadId! });
    ev = (await stopped) as DebugProtocol.StoppedEvent;
    await printStack(dc, ev.body.threadId!, 3);

    say('continue to the end');
    await dc.setBreakpointsRequest({ source: { path: utilGo }, breakpoints: [] });
    const exited = dc.waitForEvent('exited');
    const terminated = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: ev.body.threadId! });
    const ex = (await exited) as DebugProtocol.ExitedEvent;
    await terminated;
    console.log(`  exited with code ${ex.body.exitCode}`);
    await dc.disconnectRequest({});
  } finally {
    await dc.stop();
  }
}

async function printStack(dc: DebugClient, threadId: number, levels: number): Promise<void> {
  const r = await dc.stackTraceRequest({ threadId, startFrame: 0, levels });
  console.log(`  stack of goroutine ${threadId} (${r.body.totalFrames} frames):`);
  for (const f of r.body.stackFrames) console.log(`    ${f.name}  ${f.source?.path ? `${rel(f.source.path)}:${f.line}` : ''}`);
  if ((r.body.totalFrames ?? 0) > levels) console.log(`    … ${(r.body.totalFrames ?? 0) - levels} more`);
}

async function printRegisters(dc: DebugClient, threadId: number): Promise<void> {
  const st = await dc.stackTraceRequest({ threadId, startFrame: 0, levels: 1 });
  const scopes = await dc.scopesRequest({ frameId: st.body.stackFrames[0]!.id });
  const locals = scopes.body.scopes.find((s) => s.name === 'Locals');
  if (locals) {
    const vars = await dc.variablesRequest({ variablesReference: locals.variablesReference });
    console.log(`  locals: ${vars.body.variables.map((v) => `${v.name} = ${v.value}`).join(', ')}`);
  }
  const regs = scopes.body.scopes.find((s) => s.name === 'Registers');
  if (!regs) return;
  const vars = await dc.variablesRequest({ variablesReference: regs.variablesReference });
  const pick = vars.body.variables.filter((v) => ['rip', 'rsp', 'rbp', 'rax', 'rbx', 'r14'].includes(v.name));
  console.log(`  registers: ${pick.map((v) => `${v.name}=${v.value}`).join(' ')}`);
}

function rel(p: string): string {
  return p.startsWith(root) ? p.slice(root.length + 1) : p;
}

main().catch((e) => {
  console.error(`demo failed: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
