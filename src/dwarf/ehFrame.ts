/**
 * The `.eh_frame` call frame table of an ELF file: gcc's unwind tables, which
 * in a cgo program (linked by the system linker) describe the C code.
 */
import type { ElfFile } from '../binary/elf.js';
import { FrameTable, type UnwindRules } from './frame.js';

/** The file's `.eh_frame` table, or undefined when it has none. */
export function ehFrameTable(elf: ElfFile): FrameTable | undefined {
  const section = elf.section('.eh_frame');
  const bytes = elf.sectionData('.eh_frame');
  if (!section || !bytes) return undefined;
  return new FrameTable(bytes, 8, { kind: 'eh_frame', addr: section.addr });
}

const tables = new WeakMap<ElfFile, FrameTable | null>();

/**
 * The `.eh_frame` rules at `pc` in `elf` (undefined where no FDE covers it),
 * the table parsed on first use and kept with the file: what an
 * `UnwindTables.callFrameRulesAt` returns.
 */
export function ehFrameRulesAt(elf: ElfFile, pc: number): UnwindRules | undefined {
  let table = tables.get(elf);
  if (table === undefined) {
    table = ehFrameTable(elf) ?? null;
    tables.set(elf, table);
  }
  return table?.unwindRulesAt(pc);
}
