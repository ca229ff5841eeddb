/**
 * testdata/navigate for the stepInTargets, goto and breakpointLocations tests:
 * its main.go, and the lines and columns its `// NV:<marker>` comments name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testdataDir } from './goBuild.js';
import { type StoppedSession, stopAtLine } from './stopAt.js';

export const mainGo = join(testdataDir, 'navigate', 'main.go');
const source = readFileSync(mainGo, 'utf8').split('\n');

/** 1-based line of the NV:<marker> comment. */
export function lineOf(marker: string): number {
  const i = source.findIndex((l) => l.includes(`// NV:${marker}`));
  if (i < 0) throw new Error(`no NV:${marker} in ${mainGo}`);
  return i + 1;
}

/** 1-based column of `text` on line `line`. */
export function columnOf(line: number, text: string): number {
  const i = source[line - 1]!.indexOf(text);
  if (i < 0) throw new Error(`no ${text} on line ${line}`);
  return i + 1;
}

/** A session stopped at the NV:<marker> line, that breakpoint cleared so that only what the test does stops. */
export async function stopAtMarker(binary: string, marker: string): Promise<StoppedSession> {
  const s = await stopAtLine(binary, mainGo, lineOf(marker));
  await s.client.dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: [] });
  return s;
}
