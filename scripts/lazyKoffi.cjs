// Bundle-only stand-in for `koffi` (scripts/bundle.mjs aliases the import to this
// file): the adapter's engine declares its libc functions when its module loads,
// but needs them only once a program is launched or attached. This file records
// koffi.load/struct/func and performs them, in the same order, on the first call
// of any declared function (or the first use of any other koffi member), so an
// adapter that only answers `initialize` never loads the native module.
'use strict';

let real;
/** Declarations made before the native module was loaded, replayed in order. */
const pending = [];

/**
 * koffi where the .vsix, an npm install and the checkout have it, next to dist/, is
 * required by its path: that skips Node's search of node_modules folders and its
 * reading of package.json files and "exports" (about half of koffi's load). Anywhere
 * else (hoisted by a package manager) it is found as usual.
 */
function requireKoffi() {
  const direct = require('node:path').join(__dirname, '..', 'node_modules', 'koffi', 'index.cjs');
  return require('node:fs').existsSync(direct) ? require(direct) : require('koffi');
}

function realKoffi() {
  if (real === undefined) {
    real = requireKoffi();
    for (const replay of pending.splice(0)) replay();
  }
  return real;
}

function lazyLib(name) {
  let lib;
  pending.push(() => {
    lib = real.load(name);
  });
  return {
    func(...signature) {
      if (real !== undefined) return lib.func(...signature);
      let fn;
      pending.push(() => {
        fn = lib.func(...signature);
      });
      return (...args) => {
        realKoffi();
        return fn(...args);
      };
    },
  };
}

module.exports = new Proxy(
  {},
  {
    get(_target, key) {
      if (real !== undefined) return real[key];
      if (key === 'load') return lazyLib;
      if (key === 'struct') {
        return (...args) => {
          // The type is referred to by name in later signatures; its handle is unused until then.
          pending.push(() => real.struct(...args));
          return args[0];
        };
      }
      if (key === '__esModule' || key === 'default') return key === 'default' ? module.exports : undefined;
      return realKoffi()[key];
    },
  },
);
