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

/** Where part NAME's code and its code cache are (the cache next to the bundle, or in the user's cache directory when the install directory is read-only). */
function partFiles(name) {
  const file = path.join(__dirname, `${name}.cjs`);
  const stat = fs.statSync(file);
  const key = `${name}-${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.versions.v8}.v8cache`;
  return { file, key, places: [path.join(__dirname, key), ...(home ? [path.join(home, 'go-debug-adapter', key)] : [])] };
}

/**
 * Parts' files read ahead in the thread pool (parts.prefetch), by name: the code's bytes and
 * the cache's, each set once read (undefined while being read; null for a cache found nowhere).
 */
const prefetched = new Map();

/** Runs dist/NAME.cjs as a CommonJS module with its code cache. */
function runPart(name, parts) {
  const { file, key, places } = partFiles(name);
  const ahead = prefetched.get(name);
  prefetched.delete(name);
  // Read ahead for the same file (same size and time), or read now.
  const early = ahead !== undefined && ahead.key === key ? ahead : undefined;
  let cachedData = early?.cache ?? undefined;
  if (early?.cache === undefined) {
    for (const p of places) {
      try {
        cachedData = fs.readFileSync(p);
        break;
      } catch {
        /* not there */
      }
    }
  }
  // The file is a CommonJS module already wrapped in its function (scripts/splitBundle.mjs),
  // which has one parameter more, the loader's parts:
  // (function (exports, require, module, __filename, __dirname, __gdaParts) {
  // Compiled as read: wrapping it here would make V8 copy the whole text into one string
  // first (as much young-generation memory as the part's size: with the session part's,
  // the heap's first scavenge came before the `initialize` answer, 2-3 ms on its path).
  const source = early?.code !== undefined ? early.code.toString('utf8') : fs.readFileSync(file, 'utf8');
  const script = new vm.Script(source, {
    filename: file,
    cachedData,
  });
  // Written at exit when there was none, when V8 refused it, or when this run compiled
  // more (a session that launched a program compiles far more than `initialize`; one that
  // evaluated, a few percent more than one that only stopped): the cache grows to hold the
  // code of every kind of session seen, not only of the first long one.
  process.once('exit', () => {
    // Removed meanwhile (an uninstall, a test's temporary copy): nothing to cache for.
    if (!fs.existsSync(file)) return;
    const usable = cachedData !== undefined && !script.cachedDataRejected;
    const data = script.createCachedData();
    if (usable && data.length <= cachedData.length) return;
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
  /**
   * Reads the files of the named parts that are not loaded in the thread pool, so that loading
   * them later does not wait for the disk and the kernel's copy (a few ms for the rest's 600 KB
   * and its cache, more on a loaded machine). A part loaded before they are read reads them itself.
   */
  prefetch(names) {
    for (const name of names) {
      if (loaded.has(name) || prefetched.has(name)) continue;
      let files;
      try {
        files = partFiles(name);
      } catch {
        continue;
      }
      const ahead = { key: files.key, code: undefined, cache: undefined };
      prefetched.set(name, ahead);
      fs.readFile(files.file, (e, b) => {
        if (!e) ahead.code = b;
      });
      const next = (i) => {
        if (i >= files.places.length) {
          ahead.cache = null;
          return;
        }
        fs.readFile(files.places[i], (e, b) => {
          if (e) next(i + 1);
          else ahead.cache = b;
        });
      };
      next(0);
    }
  },
};
runPart('adapterMain', parts);
