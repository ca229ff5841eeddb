#!/usr/bin/env node
// dist/adapter.cjs: the bundled `go-debug-adapter` executable, as the .vsix ships it (VS Code's
// "executable" mode). It runs the bundle dist/adapterMain.cjs with V8's code cache:
// compiling the 700 KB bundle from source costs tens of milliseconds at every start,
// reading the compiled code back costs a few, and no function the cache holds is
// compiled again when first called (the first stop, the first expand). The cache is
// keyed by the bundle's size and modification time and V8's version; V8 itself refuses
// a cache made with other flags, in which case the bundle is compiled from source as if
// there were no cache.
// Node's module.enableCompileCache (22.1+) is not used: vm.Script works the same on 20.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const bundle = path.join(__dirname, 'adapterMain.cjs');
const stat = fs.statSync(bundle);
const key = `adapterMain-${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.versions.v8}.v8cache`;
const home = process.env.XDG_CACHE_HOME || (process.env.HOME ? path.join(process.env.HOME, '.cache') : undefined);
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
// The bundle is CommonJS: wrap it as Node's loader does, on one line so positions keep their lines.
const source = fs.readFileSync(bundle, 'utf8').replace(/^#!.*/, '');
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: bundle,
  cachedData,
});
// Written at exit when there was none, when V8 refused it, or when this run compiled
// more (a session that launched a program compiles far more than `initialize`): the
// cache grows to hold the code of the longest session seen.
process.once('exit', () => {
  // Removed meanwhile (an uninstall, a test's temporary copy): nothing to cache for.
  if (!fs.existsSync(bundle)) return;
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
const mod = { exports: {}, filename: bundle, id: bundle, loaded: false };
// This file's own require: it resolves from the bundle's directory as the bundle's would
// (and node:module, for createRequire, is not loaded for it).
script.runInThisContext()(mod.exports, require, mod, bundle, path.dirname(bundle));
