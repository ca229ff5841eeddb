// The adapter executable's code in two parts (scripts/bundle.mjs builds them, scripts/adapterLoader.cjs runs them):
//   dist/adapterMain.cjs  the front: main, the transports, the session, `initialize`, the DAP library
//   dist/adapterRest.cjs  the rest: every request handler but initialize's, the debuggee, the
//                         evaluator, the values, the decoders, the engine
// Starting and answering `initialize` then reads, deserialises and runs about an eighth of
// the code. The rest is loaded when first touched (a front module reading one of its
// exports) or right after the first chunk of a session has been answered (main.ts).
//
// The parts share no module: each module of the graph is in exactly one of them, so a class
// (UserError, EvalError) has one identity, and a module's state exists once.
//   - A rest module imported by the front is a stand-in in the front whose exports are
//     getters reading the rest's module namespace (`__gdaParts.rest()`).
//   - A front module imported by the rest is, in the rest, the front's module namespace
//     (`__gdaParts.front`), which the front exports for it.
// `__gdaParts` is a parameter of the function the loader wraps each part in.
import { relative } from 'node:path';
import { build } from 'esbuild';

/**
 * Where the front ends: modules matching these (paths relative to the checkout) are
 * the rest, and so is whatever only they import. The front is what main.ts reaches
 * without passing through one of them.
 */
const REST_ROOTS = [
  /^src\/(debuggee|eval|values|engine|dwarf|binary|unwind|arch|process)\//,
  /^src\/adapter\/requests\/(?!lifecycle\.ts$|context\.ts$)/,
  /^src\/adapter\/variablesView\.ts$/,
];

const RESOLVING = Symbol('gda-split-resolving');

/** The key esbuild's metafile gives a resolved module: its path relative to root, or namespace:path. */
function keyOf(root, resolved) {
  return resolved.namespace === 'file' ? relative(root, resolved.path) : `${resolved.namespace}:${resolved.path}`;
}

/**
 * An onResolve for every import that resolves it as the other plugins would and, when the
 * module belongs to the other part, answers with a stand-in (`namespace`, `index`).
 */
function crossPart(root, name, namespace, otherPart, standIn) {
  return {
    name,
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === RESOLVING || args.kind === 'entry-point') return undefined;
        const r = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          namespace: args.namespace,
          pluginData: RESOLVING,
        });
        if (r.errors.length > 0 || r.external) return undefined;
        const index = otherPart.indexOf(keyOf(root, r));
        return index < 0 ? undefined : { path: String(index), namespace };
      });
      b.onLoad({ filter: /.*/, namespace }, (args) => ({ loader: 'js', contents: standIn(Number(args.path)) }));
    },
  };
}

/** The module graph of main.ts, split: front and rest modules, and the ones each imports from the other. */
async function partition(root, options, entry) {
  const graph = await build({ ...options, entryPoints: [entry], write: false, metafile: true, sourcemap: false, logLevel: 'silent', outfile: 'graph.cjs' });
  const imports = new Map(Object.entries(graph.metafile.inputs).map(([k, v]) => [k, v.imports.filter((i) => !i.external).map((i) => i.path)]));
  const isRestRoot = (k) => REST_ROOTS.some((p) => p.test(k));
  const front = new Set();
  const restRoots = new Set();
  const todo = [relative(root, entry)];
  while (todo.length > 0) {
    const k = todo.pop();
    if (front.has(k)) continue;
    front.add(k);
    for (const i of imports.get(k) ?? []) {
      if (isRestRoot(i)) restRoots.add(i);
      else todo.push(i);
    }
  }
  const shared = new Set();
  for (const [k, list] of imports) if (!front.has(k)) for (const i of list) if (front.has(i)) shared.add(i);
  return { restRoots: [...restRoots].sort(), shared: [...shared].sort() };
}

/** The names each rest root exports (an ESM build of them as entry points lists them). */
async function exportNames(root, options, roots) {
  const r = await build({
    ...options,
    entryPoints: roots.map((k) => `${root}/${k}`),
    format: 'esm',
    splitting: true,
    outdir: 'names',
    write: false,
    metafile: true,
    sourcemap: false,
    logLevel: 'silent',
  });
  const byEntry = new Map(
    Object.values(r.metafile.outputs)
      .filter((o) => o.entryPoint)
      .map((o) => [o.entryPoint, o.exports]),
  );
  return roots.map((k) => {
    const names = byEntry.get(k);
    if (names === undefined) throw new Error(`split bundle: no exports found for ${k}`);
    return names;
  });
}

/**
 * The two esbuild configurations of the adapter executable's code: `options` is what
 * both share (platform, plugins, minification), `entry` main.ts, `front` and `rest` the
 * output files.
 */
export async function splitTargets(root, options, entry, front, rest) {
  const { restRoots, shared } = await partition(root, options, entry);
  const names = await exportNames(root, options, restRoots);
  const frontTarget = {
    ...options,
    stdin: {
      contents: [`import ${JSON.stringify(entry)};`, ...shared.map((k, i) => `export * as f${i} from ${JSON.stringify(`${root}/${k}`)};`)].join('\n'),
      resolveDir: root,
      sourcefile: 'adapterMain.entry.js',
      loader: 'js',
    },
    outfile: front,
    plugins: [
      crossPart(root, 'gda-rest-stand-ins', 'gda-rest', restRoots, (i) =>
        [
          `const ns = () => __gdaParts.rest().r${i};`,
          `Object.defineProperties(exports, {${names[i].map((n) => `${JSON.stringify(n)}: { enumerable: true, get: () => ns()[${JSON.stringify(n)}] }`).join(', ')}});`,
        ].join('\n'),
      ),
      ...options.plugins,
    ],
  };
  const restTarget = {
    ...options,
    stdin: {
      contents: restRoots.map((k, i) => `export * as r${i} from ${JSON.stringify(`${root}/${k}`)};`).join('\n'),
      resolveDir: root,
      sourcefile: 'adapterRest.entry.js',
      loader: 'js',
    },
    outfile: rest,
    plugins: [crossPart(root, 'gda-front-modules', 'gda-front', shared, (i) => `module.exports = __gdaParts.front.f${i};`), ...options.plugins],
  };
  return { front: frontTarget, rest: restTarget, restRoots, shared };
}
