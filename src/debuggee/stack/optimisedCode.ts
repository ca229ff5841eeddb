/**
 * Whether the program's own code was compiled with optimisations: Go's
 * compiler records its flags in each compile unit's DW_AT_producer
 * ("Go cmd/compile go1.26.8; -N -l regabi" with -gcflags=all=-N -l,
 * "Go cmd/compile go1.26.8; regabi" without). Optimised code keeps variables
 * in registers only while they are live, so values may be missing or stale.
 */
import type { SymbolTable } from '../symbolTable.js';

/** What the one-time note at launch/attach says. */
export const OPTIMISED_NOTE =
  'This program was built with optimisations (without -gcflags=all=-N -l): variables may be missing (<optimized out>) or stale, and stepping may jump between lines. Rebuild with `go build -gcflags=all=-N -l` to debug it fully.\n';

/** True when main.main's compile unit was compiled without -N; undefined when that cannot be told (no DWARF, no main). */
export function isOptimised(symbols: SymbolTable): boolean | undefined {
  const dw = symbols.dwarf;
  const main = symbols.funcByName('main.main');
  if (!dw || !main) return undefined;
  let producer: string | undefined;
  try {
    producer = dw.cuForPC(main.entry)?.producer;
  } catch {
    return undefined;
  }
  if (!producer?.startsWith('Go cmd/compile')) return undefined;
  const flags = producer
    .slice(producer.indexOf(';') + 1)
    .trim()
    .split(/\s+/);
  return !flags.includes('-N');
}
