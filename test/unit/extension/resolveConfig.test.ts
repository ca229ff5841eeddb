// The configuration provider's editor-independent logic: F5 without launch.json,
// variable substitution, relative paths made absolute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_GO_FILE, resolveInitial, resolveSubstituted, substituteVariables } from '../../../extension/resolveConfig.js';

const goCtx = { activeFile: '/ws/cmd/app/main.go', activeLanguage: 'go', workspaceFolder: '/ws' };

test('F5 with no launch.json and a Go file open: debug its package', () => {
  assert.deepEqual(resolveInitial({}, goCtx), {
    config: { type: 'go-debug', name: 'Launch package', request: 'launch', mode: 'debug', program: '${fileDirname}' },
  });
});

test('F5 with no launch.json and no Go file: a friendly message, no session', () => {
  assert.deepEqual(resolveInitial({}, { workspaceFolder: '/ws' }), { message: NO_GO_FILE });
  assert.deepEqual(resolveInitial({}, { activeFile: '/ws/README.md', activeLanguage: 'markdown', workspaceFolder: '/ws' }), { message: NO_GO_FILE });
});

test('a launch without program gets the open package; an attach without processId gets the picker', () => {
  const r = resolveInitial({ type: 'go-debug', request: 'launch', name: 'x', stopOnEntry: true }, goCtx);
  assert.ok('config' in r);
  assert.equal(r.config.program, '${fileDirname}');
  assert.equal(r.config.stopOnEntry, true);
  const n = resolveInitial({ type: 'go-debug', request: 'launch', name: 'x' }, {});
  assert.ok('message' in n && n.message.includes('has no "program"'));
  const a = resolveInitial({ type: 'go-debug', request: 'attach', name: 'a' }, {});
  assert.ok('config' in a);
  assert.equal(a.config.processId, '${command:pickGoProcess}');
  // Complete configurations pass through unchanged.
  const full = { type: 'go-debug', request: 'launch', name: 'x', program: '/p' };
  assert.deepEqual(resolveInitial(full, {}), { config: full });
});

test('substituteVariables fills what VS Code left, in nested values, and leaves the rest', () => {
  const out = substituteVariables(
    { program: '${fileDirname}', args: ['${file}', '${fileBasenameNoExtension}'], env: { W: '${workspaceFolder}', U: '${unknown}' }, n: 3 },
    goCtx,
  );
  assert.deepEqual(out, { program: '/ws/cmd/app', args: ['/ws/cmd/app/main.go', 'main'], env: { W: '/ws', U: '${unknown}' }, n: 3 });
  assert.equal(substituteVariables('${file}', {}), '${file}', 'no open file: left for the adapter to report');
});

test('resolveSubstituted makes program, cwd, output and envFile absolute', () => {
  const out = resolveSubstituted(
    { type: 'go-debug', request: 'launch', name: 'x', program: './cmd/app', output: 'bin/app', envFile: ['.env', '/abs.env'] },
    goCtx,
  );
  assert.equal(out.program, '/ws/cmd/app');
  assert.equal(out.output, '/ws/bin/app');
  assert.deepEqual(out.envFile, ['/ws/.env', '/abs.env']);
  assert.ok(!('cwd' in out));
  // program is relative to cwd when cwd is given
  const c = resolveSubstituted({ request: 'launch', program: 'app', cwd: 'cmd' }, goCtx);
  assert.equal(c.cwd, '/ws/cmd');
  assert.equal(c.program, '/ws/cmd/app');
  // attach configurations are not touched beyond substitution
  assert.deepEqual(resolveSubstituted({ request: 'attach', processId: 12 }, goCtx), { request: 'attach', processId: 12 });
});
