// The adapter executable's code in parts (scripts/bundle.mjs builds them, scripts/adapterLoader.cjs
// runs them), each loaded only when needed:
//   dist/adapterMain.cjs     main, the server, the peer check: what runs before a client is there
//   dist/adapterSession.cjs  the session, `initialize`, the DAP library: loaded while a TCP
//                            client's peer is being checked (at once over stdio)
//   dist/adapterRest.cjs     every other request handler, the debuggee, the evaluator, the
//                            values, the decoders, the engine: loaded once the first chunk
//                            of a session is answered (or when first touched)
// Starting and answering `initialize` then reads, deserialises and runs about an eighth of
// the code, and a TCP server listens before it has read the session's.
//
// The parts share no module: each module of the graph is in exactly one of them, so a
// class (UserError, EvalError) has one identity, and a module's state exists once. An
// import of a module of another part is a stand-in whose exports are getters reading
// that module's namespace, which its part exports (`__gdaParts.load(part).m<n>`; the
// part is loaded on the first such read). `__gdaParts` is a parameter of the function
// the loader wraps each part in.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

/**
 * The parts after the first, in order, by the modules (paths relative to the checkout)
 * where each begins: a module matching a later part's roots is in that part, and so is
 * whatever only that part imports. The first part is what main.ts reaches without
 * passing through one of them.
 */
export const LATER_PARTS = [
  { name: 'adapterSession', roots: [/^src\/adapter\/session\.ts$/] },
  {
    name: 'adapterRest',
    roots: [
      /^src\/(debuggee|eval|values|engine|dwarf|binary|unwind|arch|process)\//,
      /^src\/adapter\/requests\/(?!lifecycle\.ts$|context\.ts$)/,
      /^src\/adapter\/variablesView\.ts$/,
    ],
  },
];

/**
 * How each part's file begins: a CommonJS module's wrapper, as Node's loader makes it, with
 * one parameter more, the loader's parts (`__gdaParts`). The file's text is then one
 * function expression, which scripts/adapterLoader.cjs compiles as it is read and calls.
 */
export const PART_WRAPPER = '(function (exports, require, module, __filename, __dirname, __gdaParts) {';

const RESOLVING = Symbol('gda-split-resolving');

/** The key esbuild's metafile gives a resolved module: its path relative to root, or namespace:path. */
function keyOf(root, resolved) {
  return resolved.namespace === 'file' ? relative(root, resolved.path) : `${resolved.namespace}:${resolved.path}`;
}

/**
 * Which part each module of main.ts's graph is in (the earliest that imports it), and
 * the modules imported across parts.
 */
async function partition(root, options, entry, parts) {
  const graph = await build({ ...options, entryPoints: [entry], write: false, metafile: true, sourcemap: false, logLevel: 'silent', outfile: 'graph.cjs' });
  const imports = new Map(Object.entries(graph.metafile.inputs).map(([k, v]) => [k, v.imports.filter((i) => !i.external).map((i) => i.path)]));
  const startsPart = (k) => parts.findIndex((p, i) => i > 0 && p.roots.some((r) => r.test(k)));
  const partOf = new Map();
  const pending = parts.map(() => []);
  pending[0].push(relative(root, entry));
  for (let part = 0; part < parts.length; part++) {
    const todo = [...pending[part]];
    while (todo.length > 0) {
      const k = todo.pop();
      if (partOf.has(k)) continue;
      const later = startsPart(k);
      if (later > part) {
        pending[later].push(k);
        continue;
      }
      partOf.set(k, part);
      todo.push(...(imports.get(k) ?? []));
    }
  }
  const exported = new Set();
  for (const [k, list] of imports) for (const i of list) if (partOf.get(i) !== partOf.get(k)) exported.add(i);
  const commonJs = new Set(Object.entries(graph.metafile.inputs).flatMap(([k, v]) => (v.format === 'cjs' ? [k] : [])));
  return { partOf, exported: [...exported].sort(), commonJs };
}

/** The names each of `modules` exports (an ESM build with them as entry points lists them). */
async function exportNames(root, options, modules) {
  const r = await build({
    ...options,
    entryPoints: modules.map((k) => `${root}/${k}`),
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
  return new Map(
    modules.map((k) => {
      const names = byEntry.get(k);
      if (names === undefined) throw new Error(`split bundle: no exports found for ${k}`);
      // A stand-in is a CommonJS module: esbuild's interop would hand a default import the whole namespace.
      if (names.includes('default')) throw new Error(`split bundle: ${k} has a default export, which a stand-in cannot pass on`);
      return [k, names];
    }),
  );
}

/**
 * An onResolve for every import that resolves it as the other plugins would and, for a
 * module of another part, answers with its stand-in. A CommonJS module's exports have no
 * names to know beforehand: its stand-in is its exports object, read when the importing
 * module runs, so it must be in an earlier part (one loaded by then: the loader loads
 * the parts in order).
 */
function crossPart(root, part, { partOf, exported, commonJs }, names, parts) {
  return {
    name: `gda-parts-${part}`,
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === RESOLVING) return undefined;
        const r = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          namespace: args.namespace,
          pluginData: RESOLVING,
        });
        if (r.errors.length > 0 || r.external) return undefined;
        const k = keyOf(root, r);
        const other = partOf.get(k);
        if (other === undefined || other === part) return undefined;
        if (commonJs.has(k) && other > part)
          throw new Error(`split bundle: the CommonJS module ${k} is in part ${parts[other].name}, after ${parts[part].name}, which imports it`);
        return { path: k, namespace: 'gda-part' };
      });
      b.onLoad({ filter: /.*/, namespace: 'gda-part' }, (args) => {
        const k = args.path;
        const ns = `__gdaParts.load(${JSON.stringify(parts[partOf.get(k)].name)}).m${exported.indexOf(k)}`;
        if (commonJs.has(k)) return { loader: 'js', contents: `module.exports = ${ns};` };
        const getters = names.get(k).map((n) => `${JSON.stringify(n)}: { enumerable: true, get: () => ${ns}[${JSON.stringify(n)}] }`);
        return { loader: 'js', contents: `Object.defineProperties(exports, {${getters.join(', ')}});` };
      });
    },
  };
}

/**
 * The esbuild configurations of the adapter executable's parts, in order: `options` is
 * what they share (platform, plugins, minification), `entry` main.ts, `outdir` where the
 * parts go (NAME.cjs).
 */
export async function splitTargets(root, options, entry, outdir, firstName) {
  const parts = [{ name: firstName, roots: [] }, ...LATER_PARTS];
  // The loader loads them in this order (a part's modules may read those of the parts before it as they run).
  const loader = readFileSync(join(root, 'scripts/adapterLoader.cjs'), 'utf8');
  if (!loader.includes(`const PARTS = [${parts.map((p) => `'${p.name}'`).join(', ')}];`)) throw new Error('split bundle: adapterLoader.cjs lists other parts');
  if (!loader.includes(`// ${PART_WRAPPER}`)) throw new Error('split bundle: adapterLoader.cjs expects parts wrapped otherwise');
  const split = await partition(root, options, entry, parts);
  const { partOf, exported, commonJs } = split;
  const names = await exportNames(
    root,
    options,
    exported.filter((k) => !commonJs.has(k)),
  );
  return parts.map((p, part) => {
    const mine = exported.filter((k) => partOf.get(k) === part);
    const lines = mine.map((k) => {
      const path = JSON.stringify(`${root}/${k}`);
      return commonJs.has(k) ? `export const m${exported.indexOf(k)} = require(${path});` : `export * as m${exported.indexOf(k)} from ${path};`;
    });
    // The first part runs main.ts: after every module it imports, as in one bundle.
    if (part === 0) lines.unshift(`import ${JSON.stringify(entry)};`);
    return {
      ...options,
      // The part is written as the function the loader runs (PART_WRAPPER): V8 compiles the
      // file's text as it is read, with no copy of a wrapped string to make first.
      banner: { js: `${PART_WRAPPER}${options.banner?.js ?? ''}` },
      footer: { js: '})' },
      stdin: { contents: lines.join('\n'), resolveDir: root, sourcefile: `${p.name}.entry.js`, loader: 'js' },
      outfile: `${outdir}/${p.name}.cjs`,
      plugins: [crossPart(root, part, split, names, parts), ...options.plugins],
    };
  });
}
