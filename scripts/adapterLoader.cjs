#!/usr/bin/env node
// dist/adapter.cjs: the bundled `go-debug-adapter` executable, as the .vsix ships it (VS Code's
// "executable" mode). It runs the adapter's code in its parts (scripts/splitBundle.mjs):
// dist/adapterMain.cjs at once (main, the server), dist/adapterSession.cjs and
// dist/adapterRest.cjs when first needed or preloaded (main.ts says when). Each part runs with
// V8's code cache: compiling a bundle from source costs tens of milliseconds, reading
// the compiled code back costs a few, and no function the cache holds is compiled again
// when first called (the first stop, the first expand). A part's cache is keyed by its
// size and modification time and V8's version; V8 itself refuses a cache made with
// other flags, in which case the part is compiled from source as if there were no cache.
// One cache per part: starting deserialises only the first parts', whatever a long session
// compiled in the rest.
// Node's module.enableCompileCache (22.1+) is not used: vm.Script works the same on 20.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const home = process.env.XDG_CACHE_HOME || (process.env.HOME ? path.join(process.env.HOME, '.cache') : undefined);

/** Runs dist/NAME.cjs as a CommonJS module with its code cache. */
function runPart(name, parts) {
  const file = path.join(__dirname, `${name}.cjs`);
  const stat = fs.statSync(file);
  const key = `${name}-${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.versions.v8}.v8cache`;
  // Next to the bundle, or in the user's cache directory when the install directory is read-only.
  const places = [path.join(__dirname, key), ...(home ? [path.join(home, 'go-debug-adapter', key)] : [])];
  let cachedData;
  for (const p of places) {
    try {
      cachedData = fs.readFileSync(p);
      break;
    } catch {
      /* not there */
    }
  }
  // CommonJS, wrapped as Node's loader does, on one line so positions keep their lines; one
  // parameter more, the loader's parts (`__gdaParts`).
  const source = fs.readFileSync(file, 'utf8').replace(/^#!.*/, '');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __gdaParts) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  // Written at exit when there was none, when V8 refused it, or when this run compiled
  // more (a session that launched a program compiles far more than `initialize`): the
  // cache grows to hold the code of the longest session seen.
  process.once('exit', () => {
    // Removed meanwhile (an uninstall, a test's temporary copy): nothing to cache for.
    if (!fs.existsSync(file)) return;
    const usable = cachedData !== undefined && !script.cachedDataRejected;
    const data = script.createCachedData();
    if (usable && data.length <= cachedData.length * 1.05) return;
    for (const p of places) {
      try {
        // The bundle's own directory is never created again (it may be being removed).
        if (p !== places[0]) fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(`${p}.${process.pid}`, data);
        fs.renameSync(`${p}.${process.pid}`, p);
        return;
      } catch {
        /* read-only: try the next place */
      }
    }
  });
  const mod = { exports: {}, filename: file, id: file, loaded: false };
  // Known before its modules run: main.ts, the first part's last module, may load the next part.
  loaded.set(name, mod);
  // This file's own require: it resolves from the bundle's directory as the bundle's would
  // (and node:module, for createRequire, is not loaded for it).
  script.runInThisContext()(mod.exports, require, mod, file, path.dirname(file), parts);
  mod.loaded = true;
}

/**
 * The parts, in the order they are loaded (scripts/splitBundle.mjs checks this list): a
 * part's modules import those of the parts before it, and may read them as they run.
 */
const PARTS = ['adapterMain', 'adapterSession', 'adapterRest'];
/** The parts by name: module objects, whose exports esbuild's code fills in before the part's modules run. */
const loaded = new Map();
/** The later part whose modules are being run. */
let running;
const parts = {
  /** A part's exports (the namespaces of its modules that other parts import), loading it on first use. */
  load(name) {
    if (!loaded.has(name)) {
      for (const before of PARTS.slice(0, PARTS.indexOf(name))) parts.load(before);
      // A module of a later part that read another part as it ran would find it half-run.
      // (The first part's own modules run before its main.ts, which may load the next part.)
      if (running !== undefined) throw new Error(`go-debug-adapter: part ${name} of the adapter was needed while part ${running} was loading`);
      running = name;
      try {
        runPart(name, parts);
      } catch (e) {
        loaded.delete(name);
        throw e;
      } finally {
        running = undefined;
      }
    }
    return loaded.get(name).exports;
  },
  /** Loads a part now, if it is not loaded (while the adapter would otherwise wait). */
  preload(name) {
    parts.load(name);
  },
};
runPart('adapterMain', parts);
