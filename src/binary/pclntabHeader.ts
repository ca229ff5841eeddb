/**
 * The .gopclntab header (Go 1.18+):
 *
 *   magic u32 | pad u8 u8 | quantum u8 | ptrSize u8 |
 *   nfunc, nfiles, textStart, funcnameOff, cuOff, filetabOff, pctabOff, pclnOff (ptrSize each)
 *
 * Offsets are from the start of the section. Function entries are stored as
 * 32-bit offsets from the text start. Go 1.26 writes textStart = 0; the
 * caller then supplies the real text start.
 */
import { BinaryError } from './binaryError.js';
import { Reader } from './reader.js';

export const MAGIC_GO120 = 0xfffffff1;
export const MAGIC_GO118 = 0xfffffff0;
const MAGIC_GO116 = 0xfffffffa;
const MAGIC_GO12 = 0xfffffffb;

export interface PclnHeader {
  /** 120 for Go 1.20+ (magic 0xfffffff1), 118 for Go 1.18–1.19 (0xfffffff0). */
  readonly version: 118 | 120;
  readonly quantum: number;
  readonly ptrSize: number;
  readonly nfunc: number;
  /** Number of strings in the file table. */
  readonly nfiles: number;
  /** textStart as written by the linker (0 in Go 1.26+). */
  readonly textStart: number;
  readonly funcnameOff: number;
  readonly cuOff: number;
  readonly filetabOff: number;
  readonly pctabOff: number;
  readonly pclnOff: number;
}

export function parsePclnHeader(data: Uint8Array): PclnHeader {
  const r = new Reader(data, '.gopclntab');
  if (data.length < 8) throw new BinaryError('truncated', '.gopclntab', 0, `header truncated (${data.length} bytes)`);
  const magic = r.u32();
  if (magic === MAGIC_GO116 || magic === MAGIC_GO12) {
    throw new BinaryError('goTooOld', '.gopclntab', 0, `Go 1.17 or older is not supported (pclntab magic 0x${magic.toString(16)})`);
  }
  if (magic !== MAGIC_GO120 && magic !== MAGIC_GO118) {
    r.fail(`unknown pclntab magic 0x${magic.toString(16)}`, 0);
  }
  const pad1 = r.u8();
  const pad2 = r.u8();
  if (pad1 !== 0 || pad2 !== 0) r.fail('bad header padding', 4);
  const quantum = r.u8();
  if (quantum !== 1 && quantum !== 2 && quantum !== 4) r.fail(`bad pc quantum ${quantum}`, 6);
  const ptrSize = r.u8();
  if (ptrSize !== 8) r.fail(`pointer size ${ptrSize} is not supported (64-bit only)`, 7);
  const need = 8 + 8 * ptrSize;
  if (data.length < need) throw new BinaryError('truncated', '.gopclntab', 0, `header truncated (${data.length} of ${need} bytes)`);
  const nfunc = r.u64();
  const nfiles = r.u64();
  const textStart = r.u64();
  const funcnameOff = r.u64();
  const cuOff = r.u64();
  const filetabOff = r.u64();
  const pctabOff = r.u64();
  const pclnOff = r.u64();
  const offs: [string, number][] = [
    ['funcname', funcnameOff],
    ['cu', cuOff],
    ['filetab', filetabOff],
    ['pctab', pctabOff],
    ['functab', pclnOff],
  ];
  for (const [name, off] of offs) {
    if (off < need || off > data.length) r.fail(`${name} offset 0x${off.toString(16)} out of range`, 8);
  }
  if (!(funcnameOff <= cuOff && cuOff <= filetabOff && filetabOff <= pctabOff && pctabOff <= pclnOff)) {
    r.fail('table offsets out of order', 8);
  }
  if (nfunc > (data.length - pclnOff) / 8) r.fail(`function count ${nfunc} exceeds the table`, 8);
  if (nfiles > pctabOff - filetabOff) r.fail(`file count ${nfiles} exceeds the tables`, 16);
  return {
    version: magic === MAGIC_GO120 ? 120 : 118,
    quantum,
    ptrSize,
    nfunc,
    nfiles,
    textStart,
    funcnameOff,
    cuOff,
    filetabOff,
    pctabOff,
    pclnOff,
  };
}
