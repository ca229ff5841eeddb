/**
 * Goroutine filters for the thread list, in the syntax of Delve's
 * `goroutines` command (and its DAP server's `goroutineFilters` attribute):
 *
 *   -w running | -w user | -w label key[=value]
 *   -w curloc|userloc|goloc|startloc <pattern>
 *
 * `-with`/`-w` keeps the goroutines that match, `-without`/`-wo` those that
 * do not; several filters must all hold. A location is written
 * "file:line in function" and matches when it contains the pattern, or, when
 * the pattern has a glob character (`*`, `?`, `[`), when the glob matches all
 * of it. `-group <field>` is accepted and has no effect (DAP's thread list is
 * flat). The goroutine that stopped is always listed.
 */

export type LocationKind = 'curloc' | 'userloc' | 'goloc' | 'startloc';
export type GoroutineFilterKind = 'running' | 'user' | 'label' | LocationKind;

export interface GoroutineFilter {
  kind: GoroutineFilterKind;
  arg?: string;
  negated: boolean;
}

/** What a filter may ask of a goroutine, computed only when asked. */
export interface GoroutineFacts {
  running: boolean;
  user(): boolean;
  labels(): [string, string][];
  location(kind: LocationKind): { file?: string; line?: number; fn?: string } | undefined;
}

const KINDS: readonly GoroutineFilterKind[] = ['running', 'user', 'label', 'curloc', 'userloc', 'goloc', 'startloc'];

/** Parses a filter string; throws an Error whose message says what is wrong. */
export function parseGoroutineFilters(text: string): GoroutineFilter[] {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const out: GoroutineFilter[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-group') {
      if (words[i + 1] === undefined) throw new Error('-group must be followed by a field (user, curloc, goloc, startloc, running, label key)');
      i += words[i + 1] === 'label' ? 2 : 1;
      continue;
    }
    if (w !== '-w' && w !== '-with' && w !== '-wo' && w !== '-without') {
      throw new Error(`unknown goroutine filter "${w}": use -w (keep) or -wo (leave out) followed by running, user, label, curloc, userloc, goloc or startloc`);
    }
    const kind = words[++i] as GoroutineFilterKind | undefined;
    if (kind === undefined) throw new Error(`${w} must be followed by running, user, label, curloc, userloc, goloc or startloc`);
    if (!KINDS.includes(kind)) throw new Error(`unrecognized argument to ${w}: ${kind}`);
    const f: GoroutineFilter = { kind, negated: w === '-wo' || w === '-without' };
    if (kind !== 'running' && kind !== 'user') {
      const arg = words[++i];
      if (arg === undefined) throw new Error(`${w} ${kind} needs to be followed by ${kind === 'label' ? 'key or key=value' : 'a location pattern'}`);
      f.arg = arg;
    }
    out.push(f);
  }
  return out;
}

/** Whether a goroutine passes every filter. */
export function passes(filters: readonly GoroutineFilter[], g: GoroutineFacts): boolean {
  return filters.every((f) => matches(f, g) !== f.negated);
}

function matches(f: GoroutineFilter, g: GoroutineFacts): boolean {
  switch (f.kind) {
    case 'running':
      return g.running;
    case 'user':
      return g.user();
    case 'label': {
      const eq = f.arg!.indexOf('=');
      const labels = g.labels();
      return eq < 0 ? labels.some(([k]) => k === f.arg) : labels.some(([k, v]) => k === f.arg!.slice(0, eq) && v === f.arg!.slice(eq + 1));
    }
    default: {
      const loc = g.location(f.kind);
      return loc !== undefined && locationMatches(`${loc.file ?? '?'}:${loc.line ?? 0} in ${loc.fn ?? '?'}`, f.arg!);
    }
  }
}

/** "file:line in function" against a pattern: a substring, or a glob over the whole text. */
export function locationMatches(text: string, pattern: string): boolean {
  if (!/[*?[]/.test(pattern)) return text.includes(pattern);
  return globRegExp(pattern).test(text);
}

function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        const body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}
