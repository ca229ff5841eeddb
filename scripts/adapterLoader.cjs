#!/usr/bin/env node
// dist/adapter.cjs: the `go-debug-adapter` executable (package.json `bin`, VS Code's
// "executable" mode). It runs the bundle dist/adapterMain.cjs with V8's code cache:
// compiling the 700 KB bundle from source costs tens of milliseconds at every start,
// reading the compiled code back costs a few. The cache is written when the process
// exits, holding every function compiled by then (so a whole session's worth); it is
// keyed by the bundle's size and modification time, and V8 itself refuses a cache made
// by another V8 version or with other flags, in which case the bundle is compiled from
// source as if there were no cache, and the cache is written anew.
// Node's module.enableCompileCache (22.1+) is not used: vm.Script works the same on 20.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createRequire } = require('node:module');

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
if (cachedData === undefined || script.cachedDataRejected) {
  process.once('exit', () => {
    const data = script.createCachedData();
    for (const p of places) {
      try {
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(`${p}.${process.pid}`, data);
        fs.renameSync(`${p}.${process.pid}`, p);
        return;
      } catch {
        /* read-only: try the next place */
      }
    }
  });
}
const mod = { exports: {}, filename: bundle, id: bundle, loaded: false };
script.runInThisContext()(mod.exports, createRequire(bundle), mod, bundle, path.dirname(bundle));
