/**
 * docs/layers.json read into checkable rules: which layer a source file or an
 * import belongs to, and which imports a rule forbids.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..', '..', '..');

export interface NeverRule {
  from: string[];
  except?: string[];
  import: string[];
  why: string;
}

export interface LayersDoc {
  layers: Record<string, string>;
  order: string[][];
  implements: Record<string, string>;
  bottom: string[];
  never: NeverRule[];
  maxLines: number;
}

export const layersDoc: LayersDoc = JSON.parse(readFileSync(join(repoRoot, 'docs', 'layers.json'), 'utf8'));

/** Repository-relative paths (with '/') of the TypeScript sources under `dir`. */
export function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  (function walk(d: string) {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(relative(repoRoot, p).split(sep).join('/'));
    }
  })(join(repoRoot, dir));
  return out;
}

/** The layer of a repository-relative path: its folder under src/, or 'extension'; undefined elsewhere. */
export function layerOfPath(path: string): string | undefined {
  const parts = path.split('/');
  if (parts[0] === 'extension') return 'extension';
  if (parts[0] === 'src' && parts.length > 2) return parts[1];
  return undefined;
}

/** What an import names: a layer (relative imports into src/ or extension/), else the bare module name. */
export function targetOf(file: string, specifier: string): string {
  if (specifier.startsWith('.')) {
    const path = relative(repoRoot, resolve(repoRoot, dirname(file), specifier))
      .split(sep)
      .join('/');
    return layerOfPath(path) ?? path;
  }
  return specifier;
}

/** Node's built-ins are the same module with or without `node:`; `fs/promises` is part of `fs`. */
function sameModule(target: string, named: string): boolean {
  const bare = (s: string) => s.replace(/^node:/, '');
  const t = bare(target);
  const n = bare(named);
  return t === n || t.startsWith(`${n}/`);
}

/** Layers above `layer`: every layer not at or below its rank in `order`, and not a bottom layer. */
export function layersAbove(doc: LayersDoc, layer: string): string[] {
  const rank = doc.order.findIndex((level) => level.includes(layer));
  if (rank < 0) throw new Error(`@above used for ${layer}, which has no rank in order`);
  const atOrBelow = new Set([...doc.order.slice(rank).flat(), ...doc.bottom]);
  return Object.keys(doc.layers).filter((l) => !atOrBelow.has(l));
}

/** Whether `rule` applies to the source file `file` (a layer name, a file path, or '*'). */
export function ruleCovers(rule: NeverRule, file: string): boolean {
  const layer = layerOfPath(file);
  const names = (list: string[] | undefined) => (list ?? []).some((x) => x === '*' || x === file || x === layer);
  return names(rule.from) && !names(rule.except);
}

/** The forbidden name that `target` matches under `rule` for a file of layer `layer`, if any. */
export function forbiddenBy(doc: LayersDoc, rule: NeverRule, layer: string | undefined, target: string): string | undefined {
  for (const named of rule.import) {
    if (named === '@above') {
      if (layer !== undefined && layersAbove(doc, layer).includes(target)) return `${target} (above ${layer})`;
    } else if (named in doc.layers ? target === named : sameModule(target, named)) {
      return named;
    }
  }
  return undefined;
}
