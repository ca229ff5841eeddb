/**
 * A DecodeError with a stable kind, for failures the adapter turns into a
 * user message ("not a Go binary", "Go 1.17 or older is not supported", ...).
 * Every BinaryError is a DecodeError, so code that only cares whether the
 * bytes could be decoded can test for DecodeError alone.
 */
import { DecodeError } from './reader.js';

export type BinaryErrorKind =
  | 'notElf' // not an ELF file at all
  | 'unsupportedElf' // ELF, but not 64-bit little-endian x86-64
  | 'notGo' // no .gopclntab: not a Go binary, or stripped of its Go tables
  | 'goTooOld' // pclntab of Go 1.17 or older
  | 'truncated'; // headers point past the end of the file

export class BinaryError extends DecodeError {
  constructor(
    readonly kind: BinaryErrorKind,
    section: string,
    offset: number,
    detail: string,
  ) {
    super(section, offset, detail);
    this.name = 'BinaryError';
  }
}
