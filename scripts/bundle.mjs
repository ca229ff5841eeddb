// Bundles the VS Code extension and the adapter executable with esbuild:
//   dist/extension.cjs  extension/extension.ts (+ the adapter, run inline)
//   dist/adapter.cjs    src/adapter/main.ts (the executable, for adapterMode "executable")
// CommonJS, because VS Code 1.99 does not activate an ESM extension entry.
// `vscode` is provided by the editor; `koffi` ships in node_modules of the .vsix
// (it loads its prebuilt .node file relative to its own package).
// Usage: node scripts/bundle.mjs [--watch]
import { join, resolve } from 'node:path';
import { context, build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'koffi'],
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'info',
  // Code written for ESM may use import.meta; give it CommonJS equivalents.
  define: { 'import.meta.dirname': '__dirname', 'import.meta.filename': '__filename', 'import.meta.url': '__gda_import_meta_url' },
  banner: { js: 'var __gda_import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
};
const targets = [
  { ...common, entryPoints: [join(root, 'extension/extension.ts')], outfile: join(root, 'dist/extension.cjs') },
  { ...common, entryPoints: [join(root, 'src/adapter/main.ts')], outfile: join(root, 'dist/adapter.cjs') },
];

if (process.argv.includes('--watch')) {
  for (const t of targets) await (await context(t)).watch();
} else {
  await Promise.all(targets.map((t) => build(t)));
}
