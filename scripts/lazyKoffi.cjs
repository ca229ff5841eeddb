// Bundle-only stand-in for `koffi` (scripts/bundle.mjs aliases the import to this
// file): the adapter's engine declares its libc functions when its module loads,
// but needs them only once a program is launched or attached. This file records
// koffi.load/struct and performs them, in the same order, on the first use of any
// koffi member or declared function; each declared function is declared to koffi on
// its own first call (parsing a C prototype costs 0.1–0.3 ms of cold code, and a
// launch calls a few of the 25), so an adapter that only answers `initialize` never
// loads the native module, and a launch declares only what it calls.
'use strict';

let real;
/** Declarations made before the native module was loaded, replayed in order. */
const pending = [];

/** The interpreter (PT_INTERP) Node's own executable names, or undefined if it cannot be read. */
function interpreterOfNode() {
  const fs = require('node:fs');
  let fd;
  try {
    fd = fs.openSync(process.execPath, 'r');
    const head = Buffer.alloc(4096);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    // ELF64, little-endian.
    if (n < 64 || head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2 || head[5] !== 1) return undefined;
    const phoff = Number(head.readBigUInt64LE(32));
    const phentsize = head.readUInt16LE(54);
    const phnum = head.readUInt16LE(56);
    for (let i = 0; i < phnum; i++) {
      const at = phoff + i * phentsize;
      if (at + 56 > n) return undefined;
      if (head.readUInt32LE(at) !== 3) continue;
      const off = Number(head.readBigUInt64LE(at + 8));
      const size = Number(head.readBigUInt64LE(at + 32));
      const name = Buffer.alloc(size);
      fs.readSync(fd, name, 0, size, off);
      return name.toString('latin1').replace(/\0.*$/s, '');
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * koffi's native module, loaded by its path where the .vsix, an npm install and the
 * checkout have it (next to dist/, for Linux x86-64): koffi's own JS finds the same file
 * after loading three more modules, searching node_modules and reading package.json
 * files (5–8 ms of a cold start, about half of koffi's load). Only its checks the
 * adapter relies on are made here: the libc Node runs on (glibc or musl, read from the
 * interpreter Node's executable names, as koffi reads it) and the native module's
 * version against koffi's. Anything else (another platform, a hoisted install, a
 * mismatch, a failure to load) takes koffi's own way.
 */
function requireKoffi() {
  const path = require('node:path');
  const fs = require('node:fs');
  const modules = path.join(__dirname, '..', 'node_modules');
  if (process.platform === 'linux' && process.arch === 'x64') {
    try {
      const interp = interpreterOfNode();
      if (interp !== undefined) {
        const triplet = path.basename(interp).startsWith('ld-musl-') ? 'musl_x64' : 'linux_x64';
        const file = path.join(modules, '@koromix', 'koffi-linux-x64', triplet, 'koffi.node');
        const { version } = JSON.parse(fs.readFileSync(path.join(modules, 'koffi', 'package.json'), 'utf8'));
        if (fs.existsSync(file)) {
          const native = { exports: {} };
          process.dlopen(native, file);
          if (native.exports.version === version) return native.exports;
        }
      }
    } catch {
      /* koffi's own way below */
    }
  }
  const direct = path.join(modules, 'koffi', 'index.cjs');
  return fs.existsSync(direct) ? require(direct) : require('koffi');
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
      return (...args) => {
        if (fn === undefined) {
          realKoffi();
          fn = lib.func(...signature);
        }
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
