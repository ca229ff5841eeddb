/**
 * Go build information (`go version -m`): the Go version, main package path,
 * modules and build settings, read from the `.go.buildinfo` blob.
 *
 * Blob layout: 14-byte magic "\xff Go buildinf:", pointer size, flags, then
 * either (flags & 2, Go 1.18+) two varint-length-prefixed strings right after
 * the 32-byte header, or (older) two pointers to Go string headers.
 * The module text is framed by 16-byte sentinels and has one record per line:
 * `path`, `mod`, `dep`, `=>` (replacement of the previous module), `build`.
 */
import { type ElfFile, SHF_ALLOC, SHF_WRITE, SHT_NOBITS } from './elf.js';
import { DecodeError, Reader, utf8 } from './reader.js';

export interface GoModule {
  path: string;
  version: string;
  sum?: string;
  replace?: GoModule;
}

export interface GoBuildInfo {
  /** e.g. "go1.26.8". */
  goVersion: string;
  /** Main package path, e.g. "example.com/testdata/binmulti". */
  path?: string;
  mainModule?: GoModule;
  deps: GoModule[];
  settings: Map<string, string>;
}

const MAGIC = [0xff, 0x20, 0x47, 0x6f, 0x20, 0x62, 0x75, 0x69, 0x6c, 0x64, 0x69, 0x6e, 0x66, 0x3a]; // "\xff Go buildinf:"
const HEADER_SIZE = 32;
const FLAGS_BIG_ENDIAN = 0x1;
const FLAGS_INLINE_STRINGS = 0x2;

/**
 * Reads the build info of a Go binary, or undefined when it has none (not a
 * Go binary, or built before Go 1.13). Throws DecodeError on a corrupt blob.
 */
export function readBuildInfo(elf: ElfFile): GoBuildInfo | undefined {
  const found = findBlob(elf);
  if (!found) return undefined;
  const { data, addr } = found;
  const r = new Reader(data, '.go.buildinfo');
  r.need(HEADER_SIZE);
  const ptrSize = data[14]!;
  const flags = data[15]!;
  let version: string;
  let modinfo: string;
  if (flags & FLAGS_INLINE_STRINGS) {
    r.seek(HEADER_SIZE);
    version = utf8(r.bytesN(r.uleb()));
    modinfo = utf8(r.bytesN(r.uleb()));
  } else {
    // Pre-1.18: pointers to Go string headers {ptr, len} elsewhere in the image.
    if (flags & FLAGS_BIG_ENDIAN) r.fail('big-endian build info is not supported', 15);
    if (ptrSize !== 8 && ptrSize !== 4) r.fail(`bad pointer size ${ptrSize}`, 14);
    r.seek(16);
    const versPtr = r.uint(ptrSize);
    const modPtr = r.uint(ptrSize);
    version = readGoString(elf, versPtr, ptrSize, addr);
    modinfo = readGoString(elf, modPtr, ptrSize, addr);
  }
  if (version === '') return undefined;
  // Strip the sentinels framing the module text.
  modinfo = modinfo.length >= 33 && modinfo[modinfo.length - 17] === '\n' ? modinfo.slice(16, -16) : '';
  return { goVersion: version, ...parseModInfo(modinfo) };
}

/** The blob: the .go.buildinfo section, else a 16-byte-aligned magic in writable data. */
function findBlob(elf: ElfFile): { data: Uint8Array; addr: number } | undefined {
  const sec = elf.section('.go.buildinfo');
  if (sec) {
    const data = elf.rawSectionData(sec);
    if (data && hasMagic(data, 0)) return { data, addr: sec.addr };
    if (!data || data.length < HEADER_SIZE) return undefined;
    throw new DecodeError('.go.buildinfo', 0, 'missing "\\xff Go buildinf:" magic');
  }
  for (const s of elf.sections) {
    if (s.type === SHT_NOBITS || (s.flags & (SHF_ALLOC | SHF_WRITE)) !== (SHF_ALLOC | SHF_WRITE)) continue;
    const data = elf.rawSectionData(s);
    if (!data) continue;
    for (let off = 0; off + HEADER_SIZE <= data.length; off += 16) {
      if (hasMagic(data, off)) return { data: data.subarray(off), addr: s.addr + off };
    }
  }
  return undefined;
}

function hasMagic(b: Uint8Array, off: number): boolean {
  if (off + HEADER_SIZE > b.length) return false;
  for (let i = 0; i < MAGIC.length; i++) if (b[off + i] !== MAGIC[i]) return false;
  return true;
}

function readGoString(elf: ElfFile, addr: number, ptrSize: number, blobAddr: number): string {
  const hdr = elf.readAt(addr, 2 * ptrSize);
  if (!hdr) throw new DecodeError('.go.buildinfo', addr - blobAddr, `string header at 0x${addr.toString(16)} not in the file`);
  const r = new Reader(hdr, '.go.buildinfo');
  const ptr = r.uint(ptrSize);
  const len = r.uint(ptrSize);
  const bytes = elf.readAt(ptr, len);
  if (!bytes) throw new DecodeError('.go.buildinfo', addr - blobAddr, `string data at 0x${ptr.toString(16)} (+${len}) not in the file`);
  return utf8(bytes);
}

/** Parses the module text like runtime/debug.ParseBuildInfo (lenient: bad lines are skipped). */
export function parseModInfo(text: string): Omit<GoBuildInfo, 'goVersion'> {
  const info: Omit<GoBuildInfo, 'goVersion'> = { deps: [], settings: new Map() };
  let last: GoModule | undefined;
  const lines = text.split('\n');
  if (!text.endsWith('\n')) lines.pop(); // an unterminated last line is ignored, as in Go
  for (const line of lines) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const kind = line.slice(0, tab);
    const rest = line.slice(tab + 1);
    const cols = rest.split('\t');
    switch (kind) {
      case 'path':
        info.path = rest;
        break;
      case 'mod':
      case 'dep': {
        const m = moduleOf(cols);
        if (!m) break;
        if (kind === 'mod') info.mainModule = m;
        else info.deps.push(m);
        last = m;
        break;
      }
      case '=>':
        if (last && cols.length === 3) last.replace = moduleOf(cols);
        last = undefined;
        break;
      case 'build': {
        const kv = parseSetting(rest);
        if (kv) info.settings.set(kv[0], kv[1]);
        break;
      }
    }
  }
  return info;
}

function moduleOf(cols: string[]): GoModule | undefined {
  if (cols.length !== 2 && cols.length !== 3) return undefined;
  const m: GoModule = { path: cols[0]!, version: cols[1]! };
  if (cols[2]) m.sum = cols[2];
  return m;
}

/** `key=value`, where key and value may be Go-quoted strings. */
function parseSetting(kv: string): [string, string] | undefined {
  let key: string;
  let rawValue: string;
  if (kv.startsWith('"') || kv.startsWith('`')) {
    const q = quotedPrefix(kv);
    if (q === undefined || kv[q.length] !== '=') return undefined;
    key = q.value;
    rawValue = kv.slice(q.length + 1);
  } else {
    const eq = kv.indexOf('=');
    if (eq <= 0) return undefined;
    key = kv.slice(0, eq);
    rawValue = kv.slice(eq + 1);
  }
  if (rawValue.startsWith('"') || rawValue.startsWith('`')) {
    const q = quotedPrefix(rawValue);
    if (q === undefined || q.length !== rawValue.length) return undefined;
    return [key, q.value];
  }
  return [key, rawValue];
}

/** A Go-quoted string at the start of s: its decoded value and its length in s. */
function quotedPrefix(s: string): { value: string; length: number } | undefined {
  if (s[0] === '`') {
    const end = s.indexOf('`', 1);
    return end < 0 ? undefined : { value: s.slice(1, end), length: end + 1 };
  }
  let out = '';
  for (let i = 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"') return { value: out, length: i + 1 };
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = s[++i];
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };
    if (e !== undefined && e in simple) out += simple[e];
    else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = s.slice(i + 1, i + 1 + n);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) return undefined;
      out += String.fromCodePoint(parseInt(hex, 16));
      i += n;
    } else if (e !== undefined && /[0-7]/.test(e)) {
      const oct = s.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else return undefined;
  }
  return undefined;
}
