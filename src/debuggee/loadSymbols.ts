/**
 * Opens a program's symbols for debugging, turning the ways that can fail for
 * a reason the user controls (no such file, not a Go binary, tables we cannot
 * decode) into user errors. Anything else is left to propagate as it is.
 */
import { BinaryError } from '../binary/binaryError.js';
import { DecodeError } from '../binary/reader.js';
import { userErrors } from '../util/userErrors.js';
import { Symbols } from './symbols.js';

export function loadSymbols(path: string): Symbols {
  try {
    return Symbols.open(path);
  } catch (e) {
    if (e instanceof BinaryError) {
      if (e.kind === 'notGo') throw userErrors.notGoBinary(path, `${e.detail} (or stripped with -ldflags=-s)`);
      throw userErrors.cannotDebug(path, e.detail);
    }
    if (e instanceof DecodeError) throw userErrors.cannotDebug(path, e.message);
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw userErrors.noSuchProgram(path);
    throw e;
  }
}
