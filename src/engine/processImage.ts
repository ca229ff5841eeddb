/**
 * What /proc says about a process that a core file of it records besides its
 * registers and memory: the memory map (/proc/PID/maps, one PT_LOAD each and
 * the file mappings of NT_FILE), the auxiliary vector (NT_AUXV), and the
 * facts of NT_PRPSINFO (state, parent, group, session, uid, gid, nice,
 * flags, command name and arguments).
 */
import { readFileSync } from 'node:fs';
import type { MemoryMapping, ProcessImage } from '../process/process.js';

/** The image of `pid` with each stopped thread's pending signal; undefined when /proc has no such process. */
export function processImage(pid: number, pendingSignals: Map<number, number>): ProcessImage | undefined {
  let maps: string;
  let auxv: Buffer;
  let stat: string;
  let status: string;
  try {
    maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
    auxv = readFileSync(`/proc/${pid}/auxv`);
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  let args = '';
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0+$/, '').replaceAll('\0', ' ');
  } catch {
    /* a kernel thread or a zombie has none */
  }
  // The command name is in parentheses and may itself hold spaces and ')'.
  const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const field = (n: number) => Number(f[n - 3] ?? 0);
  const ids = (key: string) => Number(new RegExp(`^${key}:\\s*(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return {
    mappings: parseMaps(maps),
    auxv: new Uint8Array(auxv.buffer, auxv.byteOffset, auxv.byteLength),
    pendingSignals,
    info: {
      pid,
      ppid: field(4),
      pgrp: field(5),
      sid: field(6),
      uid: ids('Uid'),
      gid: ids('Gid'),
      state: f[0] ?? 'R',
      nice: field(19),
      flags: field(9),
      name,
      args,
    },
  };
}

const MAPS_LINE = /^([0-9a-f]+)-([0-9a-f]+) ([r-])([w-])([x-])([ps]) ([0-9a-f]+) \S+ (\d+)\s*(.*)$/;

/** The lines of /proc/PID/maps, in address order. */
export function parseMaps(text: string): MemoryMapping[] {
  const out: MemoryMapping[] = [];
  for (const line of text.split('\n')) {
    const m = MAPS_LINE.exec(line);
    if (!m) continue;
    out.push({
      start: parseInt(m[1]!, 16),
      end: parseInt(m[2]!, 16),
      read: m[3] === 'r',
      write: m[4] === 'w',
      exec: m[5] === 'x',
      shared: m[6] === 's',
      offset: parseInt(m[7]!, 16),
      inode: Number(m[8]),
      path: m[9] ?? '',
    });
  }
  return out;
}
