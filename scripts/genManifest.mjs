// Generates package.json `contributes.debuggers[0].configurationAttributes` from
// src/adapter/launchSchema.ts (the one source of truth for launch/attach attributes).
// Usage: node scripts/genManifest.mjs [--check]
//   --check: change nothing, exit 1 when package.json is out of date.
// The TypeScript source is loaded through esbuild, so no `tsc` build is needed first.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const pkgPath = join(root, 'package.json');

const out = await build({
  entryPoints: [join(root, 'src/adapter/launchSchema.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'error',
});
const mod = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
const attributes = mod.manifestConfigurationAttributes();

const text = readFileSync(pkgPath, 'utf8');
const pkg = JSON.parse(text);
const debuggers = pkg.contributes?.debuggers;
if (!Array.isArray(debuggers) || debuggers.length === 0) {
  console.error('package.json has no contributes.debuggers[0]');
  process.exit(1);
}
const same = JSON.stringify(debuggers[0].configurationAttributes) === JSON.stringify(attributes);
if (process.argv.includes('--check')) {
  if (!same) {
    console.error('package.json configurationAttributes differ from src/adapter/launchSchema.ts: run `npm run gen-manifest`');
    process.exit(1);
  }
  console.log('package.json configurationAttributes are up to date');
} else if (same) {
  console.log('package.json configurationAttributes already up to date');
} else {
  debuggers[0].configurationAttributes = attributes;
  writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + (text.endsWith('\n') ? '\n' : ''));
  console.log('package.json configurationAttributes regenerated');
}
