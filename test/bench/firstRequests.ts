/**
 * The first requests at a stop, on testdata/benchstruct (a five-level tree of
 * structs t, every node's Name its path from t):
 *
 *   eval.first        the first `evaluate` of a field expression (as a watch)
 *   vars.struct.deep  expanding the tree breadth first, 20 `variables` requests
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { expectTopLine, findVar, launchToStop, locals, T } from './dapSteps.js';
import { onProgram } from './workload.js';

/** t.B.A.B.A: the path B, A, B, A read as binary digits (A = 0, B = 1). */
const EVAL_EXPR = 't.B.A.B.A.N';
const EVAL_VALUE = '10';
const EXPAND_REQUESTS = 20;

export const evalFirst = onProgram(
  'eval.first',
  [{ name: 'eval.first', unit: 'ms', what: `the first evaluate at a stop: \`${EVAL_EXPR}\` (context watch), 4 fields deep` }],
  'benchstruct',
  async (ctx, p) => {
    const c = ctx.adapter.client;
    const first = await launchToStop(c, p.binary, p.source, [{ line: p.lines.tree! }]);
    const top = await expectTopLine(c, first.threadId, p.source, p.lines.tree!);
    const r = await c.request<DebugProtocol.EvaluateResponse['body']>('evaluate', { expression: EVAL_EXPR, frameId: top.id, context: 'watch' }, T.request);
    if (r.body?.result !== EVAL_VALUE) throw new Error(`${EVAL_EXPR} = ${r.body?.result}, expected ${EVAL_VALUE}`);
    ctx.record('eval.first', r.at - r.sentAt);
  },
);

/** A struct node waiting to be expanded: its path from t and its reference. */
interface Pending {
  path: string;
  ref: number;
}

export const varsStructDeep = onProgram(
  'vars.struct.deep',
  [{ name: 'vars.struct.deep', unit: 'ms', what: `expanding a 5-level struct tree breadth first: ${EXPAND_REQUESTS} variables requests, summed` }],
  'benchstruct',
  async (ctx, p) => {
    const c = ctx.adapter.client;
    const first = await launchToStop(c, p.binary, p.source, [{ line: p.lines.tree! }]);
    const top = await expectTopLine(c, first.threadId, p.source, p.lines.tree!);
    const t = findVar(await locals(c, top.id), 't');
    if (!t.variablesReference) throw new Error('t is not expandable');
    const queue: Pending[] = [{ path: 't', ref: t.variablesReference }];
    let total = 0;
    let leaves = 0;
    for (let n = 0; n < EXPAND_REQUESTS; n++) {
      const node = queue.shift();
      if (!node) throw new Error(`only ${n} nodes to expand`);
      const r = await c.request<DebugProtocol.VariablesResponse['body']>('variables', { variablesReference: node.ref }, T.request);
      total += r.at - r.sentAt;
      const vars = r.body?.variables ?? [];
      // Every node names itself; a leaf (Level 5) has N, the others have A and B.
      const name = findVar(vars, 'Name');
      if (name.value !== `"${node.path}"`) throw new Error(`${node.path}.Name = ${name.value}`);
      const n5 = vars.find((v) => v.name === 'N');
      if (n5) {
        const expected = [...node.path.matchAll(/\.([AB])/g)].reduce((acc, m) => 2 * acc + (m[1] === 'B' ? 1 : 0), 0);
        if (n5.value !== String(expected)) throw new Error(`${node.path}.N = ${n5.value}, expected ${expected}`);
        leaves++;
        continue;
      }
      for (const field of ['A', 'B']) {
        const child = findVar(vars, field);
        if (!child.variablesReference) throw new Error(`${node.path}.${field} is not expandable`);
        queue.push({ path: `${node.path}.${field}`, ref: child.variablesReference });
      }
    }
    ctx.note('vars.struct.deep', `${leaves} leaves reached`);
    if (leaves === 0) throw new Error('no leaf reached');
    ctx.record('vars.struct.deep', total);
  },
);
