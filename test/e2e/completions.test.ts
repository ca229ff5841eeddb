/**
 * completions over real DAP on testdata/completions (built -N -l), stopped in
 * process(order *Order, discount float64): what the debug console offers at
 * the cursor, what each item replaces (the `length` characters before the
 * cursor; no `start`, see src/adapter/requests/completions.ts), and
 * that every offered selector evaluates. Expected names are the program's
 * source read as Go: Order embeds Base and *Audit, so their fields and
 * methods are promoted; a pointer's method set holds both receivers.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { configure, tidOf, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { lineWith } from '../support/stopAt.js';

const mainGo = join(testdataDir, 'completions', 'main.go');
const stopLine = lineWith(mainGo, '// stop here');

let c: StartedClient | undefined;
let dc: DebugClient;
let frameId: number;
let stoppedTid: number;
after(() => c?.close());

before(async () => {
  const binary = buildFixture('completions');
  c = await startAdapterClient();
  dc = c.dc;
  // >> initialize, launch, setBreakpoints(stop here), configurationDone; << stopped(breakpoint)
  const stopped = waitStopped(dc);
  await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: mainGo, lines: [stopLine] }]);
  stoppedTid = tidOf(await stopped);
  frameId = (await dc.stackTraceRequest({ threadId: stoppedTid, levels: 1 })).body.stackFrames[0]!.id;
});

async function complete(
  text: string,
  column = text.length + 1,
  extra: Partial<DebugProtocol.CompletionsArguments> = {},
): Promise<DebugProtocol.CompletionItem[]> {
  const r = (await dc.customRequest('completions', { text, column, frameId, ...extra })) as DebugProtocol.CompletionsResponse;
  return r.body.targets;
}
const labels = (items: DebugProtocol.CompletionItem[]): string[] => items.map((i) => i.label);
const typeOf = (items: DebugProtocol.CompletionItem[], label: string): string | undefined => items.find((i) => i.label === label)?.type;

test('initialize advertises completions with "." as a trigger', async () => {
  const c0 = await startAdapterClient();
  try {
    const caps = await c0.dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    assert.equal(caps.body?.supportsCompletionsRequest, true);
    assert.deepEqual(caps.body?.completionTriggerCharacters, ['.']);
  } finally {
    c0.close();
  }
});

test('top level: arguments, locals, package globals and functions, packages, builtins', async () => {
  // >> completions("") << everything in scope
  const all = await complete('');
  for (const n of ['order', 'discount', 'subtotal', 'first']) assert.equal(typeOf(all, n), 'variable', n);
  for (const n of ['orderCount', 'größe']) assert.equal(typeOf(all, n), 'variable', n);
  for (const n of ['process', 'main']) assert.equal(typeOf(all, n), 'function', n);
  for (const n of ['Order', 'Base', 'Audit']) assert.equal(typeOf(all, n), 'class', n);
  for (const n of ['inventory', 'fmt', 'os', 'runtime']) assert.equal(typeOf(all, n), 'module', n);
  for (const n of ['len', 'cap', 'real', 'imag', 'complex', 'min', 'max']) assert.equal(typeOf(all, n), 'function', n);
  assert.equal(typeOf(all, 'nil'), 'keyword');
  assert.equal(typeOf(all, 'float64'), 'class');
  // Locals come first (sortText keeps our order); a return value (~r0) is not a name one can type.
  assert.deepEqual(labels(all).slice(0, 4).sort(), ['discount', 'first', 'order', 'subtotal']);
  assert.ok(!labels(all).some((l) => l.startsWith('~')));
  // >> completions("ord") << the names starting with "ord" (case ignored), replacing the 3 characters typed
  const ord = await complete('ord');
  assert.deepEqual(labels(ord).sort(), ['Order', 'order', 'orderCount']);
  for (const it of ord) assert.deepEqual([it.start, it.length], [undefined, 3]);
  assert.equal(ord.find((i) => i.label === 'order')!.detail, '*main.Order');
});

test('after x.: fields and methods, through the pointer and embedded fields', async () => {
  // >> completions("order.") << Order's own fields, promoted ones, and the method set of *Order
  const m = await complete('order.');
  const want: [string, string][] = [
    ['Base', 'field'],
    ['Audit', 'field'],
    ['Items', 'field'],
    ['Customer', 'field'],
    ['total', 'field'],
    ['ID', 'field'],
    ['Created', 'field'],
    ['Reviewer', 'field'],
    ['Total', 'method'],
    ['AddItem', 'method'],
    ['Label', 'method'],
    ['Touch', 'method'],
    ['Sign', 'method'],
  ];
  for (const [n, k] of want) assert.equal(typeOf(m, n), k, `${n} in ${labels(m).join(', ')}`);
  for (const it of m) assert.deepEqual([it.start, it.length], [undefined, 0]);
  // Every offered field evaluates as order.<field>.
  for (const f of m.filter((i) => i.type === 'field')) {
    const e = await dc.evaluateRequest({ expression: `order.${f.label}`, frameId, context: 'repl' });
    assert.ok(e.success, `order.${f.label}`);
  }
  // A value (not addressable through a pointer) has only value-receiver methods: first is an inventory.Item local.
  const it = await complete('first.');
  assert.deepEqual(labels(it.filter((i) => i.type === 'field')).sort(), ['Name', 'Qty']);
  assert.ok(labels(it).includes('Describe'));
  // first is a variable, so addressable: (*Item).Restock is in its method set too.
  assert.ok(labels(it).includes('Restock'), labels(it).join(', '));
  // Deeper selectors and index expressions: order.Items[0].Q → Qty, replacing "Q".
  const q = await complete('order.Items[0].Q');
  assert.deepEqual(labels(q), ['Qty']);
  assert.deepEqual([q[0]!.start, q[0]!.length], [undefined, 1]);
  assert.deepEqual(labels(await complete('(*order).Base.I')), ['ID']);
  assert.deepEqual(labels(await complete('order.Audit.Rev')), ['Reviewer']);
});

test('in a caller frame: its own locals and its selectors', async () => {
  // >> stackTrace; completions("o", frame 1 = main.main) << main's local o, not process's order
  const st = await dc.stackTraceRequest({ threadId: stoppedTid, levels: 2 });
  const caller = st.body.stackFrames[1]!;
  assert.equal(caller.name, 'main.main');
  const items = await complete('o', 2, { frameId: caller.id });
  assert.ok(labels(items).includes('o'), labels(items).join(', '));
  assert.ok(!labels(items).includes('order'));
  assert.ok(labels(await complete('o.Au', 5, { frameId: caller.id })).includes('Audit'));
});

test('after pkg.: the exported functions, types and globals of the package', async () => {
  const inv = await complete('inventory.');
  assert.equal(typeOf(inv, 'NewItem'), 'function');
  assert.equal(typeOf(inv, 'Count'), 'function');
  assert.equal(typeOf(inv, 'Item'), 'class');
  assert.equal(typeOf(inv, 'Stock'), 'variable');
  // Unexported names of another package are not usable there.
  assert.ok(!labels(inv).includes('helper') && !labels(inv).includes('hidden'), labels(inv).join(', '));
  const st = await complete('inventory.St');
  assert.deepEqual(labels(st), ['Stock']);
  const e = await dc.evaluateRequest({ expression: 'inventory.Stock', frameId, context: 'repl' });
  assert.match(e.body.result, /pen/);
  assert.ok(labels(await complete('fmt.')).includes('Println'));
});

test('any cursor position, several lines, and places where nothing is completed', async () => {
  // The cursor after "ord" in "ord + discount" (column 4): the word before the cursor is replaced.
  const mid = await complete('ord + discount', 4);
  assert.deepEqual(labels(mid).sort(), ['Order', 'order', 'orderCount']);
  assert.deepEqual([mid[0]!.start, mid[0]!.length], [undefined, 3]);
  // After an operator, inside parentheses.
  const inner = await complete('len(order.It');
  assert.deepEqual(labels(inner), ['Items']);
  assert.deepEqual([inner[0]!.start, inner[0]!.length], [undefined, 2]);
  // Line 2 of a two-line text: column counts in that line.
  const second = await complete('x := 1\norder.Cu', 9, { line: 2 });
  assert.deepEqual(labels(second), ['Customer']);
  assert.deepEqual([second[0]!.start, second[0]!.length], [undefined, 2]);
  // UTF-16 columns: "größe" is 5 code units.
  const g = await complete('grö');
  assert.deepEqual(labels(g), ['größe']);
  assert.deepEqual([g[0]!.start, g[0]!.length], [undefined, 3]);
  // Inside a string, after a number, after an operand that does not evaluate: nothing, and success.
  assert.deepEqual(await complete('"order.'), []);
  assert.deepEqual(await complete('1.'), []);
  assert.deepEqual(await complete('nosuch.'), []);
  // A column outside the text is an error response naming it; the session goes on.
  await assert.rejects(complete('order', 40), /column 40 is outside line 1/);
  assert.ok((await complete('disc')).length === 1);
});
