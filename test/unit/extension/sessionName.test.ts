// The debug session's name (extension/sessionName.ts): a generic configuration
// is named after the package it debugs, read from real files in a temp folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPathOf, packageClause, sessionName } from '../../../extension/sessionName.js';

const ws = mkdtempSync(join(tmpdir(), 'gda-name-'));
test.after(() => rmSync(ws, { recursive: true, force: true }));
writeFileSync(join(ws, 'go.mod'), 'module example.com/app\n\ngo 1.22\n');
writeFileSync(join(ws, 'main.go'), '// Command app.\npackage main\n\nfunc main() {}\n');
mkdirSync(join(ws, 'calc'));
writeFileSync(join(ws, 'calc', 'calc_test.go'), 'package calc_test\n');
writeFileSync(join(ws, 'calc', 'calc.go'), '/* doc */ package calc\n');
const loose = mkdtempSync(join(tmpdir(), 'gda-name-nomod-'));
test.after(() => rmSync(loose, { recursive: true, force: true }));
mkdirSync(join(loose, 'tool'));
writeFileSync(join(loose, 'tool', 'main.go'), 'package main\n');

test('the package clause, past comments', () => {
  assert.equal(packageClause('// a\n/* b\n c */\npackage  foo // x\n'), 'foo');
  assert.equal(packageClause('no clause here'), undefined);
});

test('a generic launch is named after the package and its import path', () => {
  assert.equal(sessionName({ name: 'Launch package', request: 'launch', mode: 'debug', program: ws }, ws), 'main (example.com/app)');
  assert.equal(sessionName({ name: 'Launch test', request: 'launch', mode: 'test', program: join(ws, 'calc') }, ws), 'tests of calc (example.com/app/calc)');
  assert.equal(sessionName({ name: 'Launch file', request: 'launch', mode: 'debug', program: join(ws, 'main.go') }, ws), 'main (example.com/app/main.go)');
  assert.equal(sessionName({ request: 'launch', program: ws }, ws), 'main (example.com/app)');
});

test('without a go.mod the path is relative to the workspace folder', () => {
  assert.equal(importPathOf(join(loose, 'tool'), loose), 'tool');
  assert.equal(sessionName({ name: 'Launch package', request: 'launch', program: join(loose, 'tool') }, loose), 'main (tool)');
});

test('a binary and an attach get names of their own', () => {
  assert.equal(sessionName({ name: 'Launch binary', request: 'launch', mode: 'exec', program: join(ws, 'bin', 'server') }, ws), 'server (binary bin/server)');
  assert.equal(sessionName({ name: 'Attach to process', request: 'attach', processId: '4242' }, ws), 'attach to 4242');
});

test('a name the user chose stays, and nothing is invented when the package cannot be read', () => {
  assert.equal(sessionName({ name: 'Launch hello', request: 'launch', program: ws }, ws), undefined);
  assert.equal(sessionName({ name: 'Launch package', request: 'launch', program: join(ws, 'missing') }, ws), undefined);
  assert.equal(sessionName({ name: 'Launch package', request: 'launch', program: '${fileDirname}' }, ws), undefined);
});
