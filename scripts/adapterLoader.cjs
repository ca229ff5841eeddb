#!/usr/bin/env node
// dist/adapter.cjs: the bundled `go-debug-adapter` executable, as the .vsix ships it (VS Code's
// "executable" mode). It runs the adapter's code in its two parts (scripts/splitBundle.mjs):
// dist/adapterMain.cjs at once (main, the transports, the session, `initialize`), and
// dist/adapterRest.cjs (the debugger) when the front first needs it. Each part runs with
// V8's code cache: compiling a bundle from source costs tens of milliseconds, reading
// the compiled code back costs a few, and no function the cache holds is compiled again
// when first called (the first stop, the first expand). A part's cache is keyed by its
// size and modification time and V8's version; V8 itself refuses a cache made with
// other flags, in which case the part is compiled from source as if there were no cache.
// One cache per part: starting deserialises only the front's, whatever a long session
// compiled in the rest.
// Node's module.enableCompileCache (22.1+) is not used: vm.Script works the same on 20.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const home = process.env.XDG_CACHE_HOME || (process.env.HOME ? path.join(process.env.HOME, '.cache') : undefined);

/** Runs dist/NAME.cjs as a CommonJS module with its code cache; returns its exports. */
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
  // This file's own require: it resolves from the bundle's directory as the bundle's would
  // (and node:module, for createRequire, is not loaded for it).
  script.runInThisContext()(mod.exports, require, mod, file, path.dirname(file), parts);
  mod.loaded = true;
  return mod.exports;
}

let frontLoaded = false;
let rest;
const parts = {
  /** The front's exports: the namespaces of the modules the rest imports from it. */
  front: undefined,
  /** The rest's exports (the namespaces of the modules the front imports from it), loaded on first use. */
  rest() {
    if (rest === undefined) {
      // The rest imports front modules: all of them must have run (a front module that
      // reads a rest export at its top level would be read before they have).
      if (!frontLoaded) throw new Error('go-debug-adapter: the rest of the adapter was needed while its front part was still loading');
      rest = runPart('adapterRest', parts);
    }
    return rest;
  },
  /** Loads the rest now, if it is not loaded (the session is idle: its first chunk is answered). */
  preloadRest() {
    if (rest === undefined) parts.rest();
  },
};
parts.front = runPart('adapterMain', parts);
frontLoaded = true;
