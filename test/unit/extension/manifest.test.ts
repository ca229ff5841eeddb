// The VS Code manifest (package.json): the debugger contribution is generated
// from src/adapter/launchConfig.ts and its snippets/initial configurations are
// valid configurations by that same schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { validateAttachArguments, type AttachArguments, type LaunchArguments } from '../../../src/adapter/launchConfig.js';
import { attachSchema, launchSchema, manifestConfigurationAttributes, type AttributeSchema } from '../../../src/adapter/launchSchema.js';
import { repoRoot } from '../../support/goBuild.js';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const debuggerContribution = pkg.contributes.debuggers[0];

// Compile-time check that the TypeScript interfaces and the schema name the same attributes:
// adding an attribute to one and not the other breaks these object literals.
type LaunchKeys = Exclude<keyof LaunchArguments, keyof DebugProtocol.LaunchRequestArguments>;
type AttachKeys = Exclude<keyof AttachArguments, keyof DebugProtocol.AttachRequestArguments>;
const launchKeys: Record<LaunchKeys, true> = {
  program: true,
  mode: true,
  args: true,
  env: true,
  envFile: true,
  cwd: true,
  buildFlags: true,
  output: true,
  stopOnEntry: true,
  coreFilePath: true,
  console: true,
  substitutePath: true,
  showGlobalVariables: true,
  hideSystemGoroutines: true,
  goroutineFilters: true,
  justMyCode: true,
  callStringMethods: true,
  stackTraceDepth: true,
  showLog: true,
  trace: true,
};
const attachKeys: Record<AttachKeys, true> = {
  processId: true,
  mode: true,
  substitutePath: true,
  showGlobalVariables: true,
  hideSystemGoroutines: true,
  goroutineFilters: true,
  justMyCode: true,
  callStringMethods: true,
  stackTraceDepth: true,
  showLog: true,
  trace: true,
};

test('configurationAttributes in package.json equal the schema in launchConfig.ts', () => {
  assert.deepEqual(debuggerContribution.configurationAttributes, manifestConfigurationAttributes(), 'run `npm run gen-manifest`');
});

test('the schema names exactly the attributes of LaunchArguments / AttachArguments (vscode-go names)', () => {
  assert.deepEqual(Object.keys(launchSchema.properties).sort(), Object.keys(launchKeys).sort());
  assert.deepEqual(Object.keys(attachSchema.properties).sort(), Object.keys(attachKeys).sort());
  assert.deepEqual(launchSchema.required, ['program']);
  assert.deepEqual(attachSchema.required, ['processId']);
});

/** Does `v` have one of the JSON-schema types `type`? */
function hasType(v: unknown, type: string | string[] | undefined): boolean {
  if (type === undefined) return true;
  return (Array.isArray(type) ? type : [type]).some((t) => {
    switch (t) {
      case 'string':
        return typeof v === 'string';
      case 'number':
        return typeof v === 'number';
      case 'boolean':
        return typeof v === 'boolean';
      case 'null':
        return v === null;
      case 'array':
        return Array.isArray(v);
      case 'object':
        return typeof v === 'object' && v !== null && !Array.isArray(v);
      default:
        throw new Error(`unknown schema type ${t}`);
    }
  });
}

/** Checks a value against an attribute schema (type, enum, items, properties); returns problems. */
function check(v: unknown, s: Omit<AttributeSchema, 'description'>, where: string): string[] {
  if (!hasType(v, s.type)) return [`${where}: ${JSON.stringify(v)} is not of type ${JSON.stringify(s.type)}`];
  const problems: string[] = [];
  if (s.enum && !s.enum.includes(v as string)) problems.push(`${where}: ${JSON.stringify(v)} is not one of ${s.enum.join(', ')}`);
  if (Array.isArray(v) && s.items) v.forEach((x, i) => problems.push(...check(x, s.items!, `${where}[${i}]`)));
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const obj = v as Record<string, unknown>;
    for (const r of s.required ?? []) if (!(r in obj)) problems.push(`${where}: missing ${r}`);
    for (const [k, x] of Object.entries(obj)) {
      const ps = s.properties?.[k];
      if (ps) problems.push(...check(x, ps, `${where}.${k}`));
      else if (typeof s.additionalProperties === 'object') problems.push(...check(x, s.additionalProperties, `${where}.${k}`));
    }
  }
  return problems;
}

test('every attribute has a description, and a default of its own type (except output)', () => {
  for (const [req, schema] of [
    ['launch', launchSchema],
    ['attach', attachSchema],
  ] as const) {
    for (const [name, a] of Object.entries(schema.properties)) {
      assert.ok(a.description && a.description.length > 20, `${req}.${name}: description`);
      if (name === 'output') {
        assert.equal(a.default, undefined, 'output has no sensible default to insert (the binary goes to a temp file)');
        continue;
      }
      assert.ok('default' in a, `${req}.${name}: default`);
      assert.deepEqual(check(a.default, a, `${req}.${name}.default`), []);
      if (a.enum && a.enumDescriptions) assert.equal(a.enum.length, a.enumDescriptions.length, `${req}.${name}: one description per enum value`);
    }
  }
});

/**
 * What VS Code inserts for a configuration snippet: the body JSON-stringified,
 * `"^\"...\""` strings inserted raw, then snippet syntax resolved (\$ → $,
 * ${1:text} → text).
 */
function expandSnippet(body: unknown): Record<string, unknown> {
  const text = JSON.stringify(body, null, '\t').replace(/"\^((?:[^"\\]|\\.)*)"/g, (_m, raw: string) => raw.replace(/\\"/g, '"').replace(/\\\\/g, '\\'));
  const resolved = text
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\\$/g, '$');
  return JSON.parse(resolved);
}

function checkConfiguration(c: Record<string, unknown>, where: string): void {
  assert.equal(c.type, 'go-debug', `${where}: type`);
  assert.ok(typeof c.name === 'string' && c.name.length > 0, `${where}: name`);
  assert.ok(c.request === 'launch' || c.request === 'attach', `${where}: request`);
  const schema = c.request === 'launch' ? launchSchema : attachSchema;
  const { type: _t, name: _n, request: _r, ...attrs } = c;
  assert.deepEqual(check(attrs, { type: 'object', properties: schema.properties, required: schema.required }, where), []);
  for (const k of Object.keys(attrs)) assert.ok(k in schema.properties, `${where}: unknown attribute ${k}`);
}

test('configurationSnippets expand to valid configurations: launch package, test, file, binary, attach', () => {
  const snippets = debuggerContribution.configurationSnippets as { label: string; description: string; body: unknown }[];
  assert.ok(snippets.length >= 3);
  const expanded = snippets.map((s) => {
    assert.ok(s.label.startsWith('Go (go-debug-adapter): '), s.label);
    assert.ok(s.description.length > 0, `${s.label}: description`);
    const c = expandSnippet(s.body);
    checkConfiguration(c, s.label);
    return c;
  });
  const kinds = expanded.map((c) => `${c.request}/${c.mode}`);
  for (const k of ['launch/debug', 'launch/test', 'launch/exec', 'attach/local']) assert.ok(kinds.includes(k), `a ${k} snippet`);
  // Variables survive the snippet escaping as VS Code variables.
  assert.equal(expanded[0].program, '${fileDirname}');
  const attach = expanded.find((c) => c.request === 'attach')!;
  assert.equal(attach.processId, '${command:pickGoProcess}');
  // and the attach configuration is accepted once the picker returned a pid
  assert.ok(validateAttachArguments({ ...attach, processId: '4242' }).ok);
});

test('initialConfigurations are valid configurations', () => {
  const initial = debuggerContribution.initialConfigurations as Record<string, unknown>[];
  assert.ok(initial.length >= 1);
  initial.forEach((c, i) => checkConfiguration(c, `initialConfigurations[${i}]`));
});

test('the rest of the contribution: debugger, picker command, grammar, activation, entry point', () => {
  assert.equal(debuggerContribution.type, 'go-debug');
  assert.equal(debuggerContribution.label, 'Go (go-debug-adapter)');
  assert.deepEqual(debuggerContribution.languages, ['go']);
  assert.deepEqual(pkg.contributes.breakpoints, [{ language: 'go' }]);
  // ${command:pickGoProcess} maps to a contributed command that the extension registers.
  const cmd = debuggerContribution.variables.pickGoProcess;
  assert.equal(cmd, 'go-debug.pickGoProcess');
  assert.ok(pkg.contributes.commands.some((c: { command: string }) => c.command === cmd));
  assert.ok(pkg.activationEvents.includes(`onCommand:${cmd}`));
  assert.match(readFileSync(join(repoRoot, 'extension', 'extension.ts'), 'utf8'), new RegExp(`registerCommand\\('${cmd.replace('.', '\\.')}'`));
  for (const e of ['onDebugResolve:go-debug', 'onDebugDynamicConfigurations:go-debug']) assert.ok(pkg.activationEvents.includes(e), e);
  // The grammar: our own language id, file exists, scope name matches.
  const [lang] = pkg.contributes.languages;
  assert.equal(lang.id, 'go-asm');
  assert.ok(!lang.extensions.includes('.s'), '.s belongs to other extensions');
  const [g] = pkg.contributes.grammars;
  assert.equal(g.language, 'go-asm');
  const grammarJson = JSON.parse(readFileSync(join(repoRoot, g.path), 'utf8'));
  assert.equal(grammarJson.scopeName, g.scopeName);
  // CommonJS entry (VS Code 1.99 does not activate an ESM entry).
  assert.equal(pkg.main, './dist/extension.cjs');
  assert.ok(existsSync(join(repoRoot, pkg.icon)), 'icon file');
  const settings = pkg.contributes.configuration.properties;
  assert.deepEqual(settings['go-debug.adapterMode'].enum, ['inline', 'executable', 'server']);
});

test('"Go Debug: Show Adapter Log" is contributed, activates the extension and is registered by it', () => {
  const cmd = 'go-debug.showAdapterLog';
  const c = pkg.contributes.commands.find((x: { command: string }) => x.command === cmd);
  assert.deepEqual(c, { command: cmd, title: 'Show Adapter Log', category: 'Go Debug' });
  assert.ok(pkg.activationEvents.includes(`onCommand:${cmd}`));
  assert.match(readFileSync(join(repoRoot, 'extension', 'adapterLog.ts'), 'utf8'), new RegExp(`SHOW_LOG_COMMAND = '${cmd.replace('.', '\\.')}'`));
});
