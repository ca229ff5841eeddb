/**
 * The layers of docs/layers.json hold: no import or export-from in src/ or
 * extension/ breaks a "never" rule, and every source file stays under the
 * line limit. Failures name the file and line.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { importsOf } from './layers/imports.js';
import { forbiddenBy, layerOfPath, layersDoc, repoRoot, ruleCovers, sourcesUnder, targetOf } from './layers/rules.js';

const files = [...sourcesUnder('src'), ...sourcesUnder('extension')];
const imports = new Map(files.map((f) => [f, importsOf(readFileSync(join(repoRoot, f), 'utf8'))]));

describe('docs/layers.json', () => {
  it('names every folder of src/ as a layer, and no layer that does not exist', () => {
    const folders = readdirSync(join(repoRoot, 'src'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    assert.deepEqual([...Object.keys(layersDoc.layers)].sort(), [...folders, 'extension'].sort());
    const ranked = [...layersDoc.order.flat(), ...layersDoc.bottom, ...Object.keys(layersDoc.implements), ...Object.values(layersDoc.implements)];
    for (const l of ranked) assert.ok(l in layersDoc.layers, `${l} in order/bottom/implements is a layer`);
  });

  it('names in its rules only layers, files that exist, or modules', () => {
    for (const rule of layersDoc.never) {
      for (const x of [...rule.from, ...(rule.except ?? [])]) {
        assert.ok(x === '*' || x in layersDoc.layers || files.includes(x), `${x} in a rule's from/except is a layer or a source file`);
      }
      assert.ok(rule.why.length > 0, 'every rule says why');
    }
  });
});

describe('imports', () => {
  it('are found in every source file (the scan reads the code)', () => {
    const total = [...imports.values()].reduce((n, list) => n + list.length, 0);
    assert.ok(total > files.length, `${total} imports in ${files.length} files`);
    assert.ok(
      imports.get('src/engine/libc.ts')!.some((i) => i.specifier === 'koffi'),
      'libc.ts imports koffi',
    );
  });

  for (const rule of layersDoc.never) {
    const name = `never: ${rule.from.join(', ')}${rule.except ? ` (except ${rule.except.join(', ')})` : ''} → ${rule.import.join(', ')}`;
    it(name, () => {
      const broken: string[] = [];
      for (const file of files) {
        if (!ruleCovers(rule, file)) continue;
        for (const { specifier, line } of imports.get(file)!) {
          const hit = forbiddenBy(layersDoc, rule, layerOfPath(file), targetOf(file, specifier));
          if (hit) broken.push(`${file}:${line} imports '${specifier}' (${hit})`);
        }
      }
      assert.deepEqual(broken, [], `${rule.why}:\n  ${broken.join('\n  ')}`);
    });
  }
});

describe('source files', () => {
  it(`have at most ${layersDoc.maxLines} lines each`, () => {
    const long: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      if (lines > layersDoc.maxLines) long.push(`${file}:${lines} lines`);
    }
    assert.deepEqual(long, [], `split these files along their concepts:\n  ${long.join('\n  ')}`);
  });
});
