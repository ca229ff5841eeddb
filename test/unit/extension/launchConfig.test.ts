// Launch/attach configuration: validation messages, normalisation, shell-like
// splitting and env files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvFile, parseEnvFile, splitShellWords } from '../../../src/adapter/launchInputs.js';
import { DEFAULT_STACK_TRACE_DEPTH } from '../../../src/adapter/launchSchema.js';
import { validateAttachArguments, validateLaunchArguments } from '../../../src/adapter/launchConfig.js';

const dir = mkdtempSync(join(tmpdir(), 'gda-launchcfg-'));
const pkgDir = join(dir, 'pkg');
mkdirSync(pkgDir);
writeFileSync(join(pkgDir, 'main.go'), 'package main\nfunc main() {}\n');
writeFileSync(join(dir, 'prog'), '\x7fELF');
writeFileSync(join(dir, '.env'), 'export A=1\n# comment\nB="two words" # trailing\nC=from-file\n');
test.after(() => rmSync(dir, { recursive: true, force: true }));

function ok(raw: unknown) {
  const r = validateLaunchArguments(raw);
  if (!r.ok) assert.fail(`expected ok, got error: ${r.error}`);
  return r.args;
}

function err(raw: unknown): string {
  const r = validateLaunchArguments(raw);
  if (r.ok) assert.fail(`expected an error for ${JSON.stringify(raw)}`);
  return r.error;
}

test('a package directory gets every default', () => {
  const a = ok({ program: pkgDir });
  assert.deepEqual(a, {
    program: pkgDir,
    programIsDirectory: true,
    mode: 'debug',
    args: [],
    env: {},
    cwd: pkgDir,
    buildFlags: [],
    output: undefined,
    stopOnEntry: false,
    console: 'internalConsole',
    noDebug: false,
    substitutePath: [],
    showGlobalVariables: false,
    hideSystemGoroutines: false,
    goroutineFilters: '',
    justMyCode: true,
    callStringMethods: true,
    stackTraceDepth: DEFAULT_STACK_TRACE_DEPTH,
    showLog: false,
    trace: 'error',
  });
});

test('a .go file: cwd defaults to its folder; relative program resolves against cwd', () => {
  const a = ok({ program: 'pkg/main.go', cwd: dir, output: 'bin/x' });
  assert.equal(a.program, join(pkgDir, 'main.go'));
  assert.equal(a.programIsDirectory, false);
  assert.equal(a.cwd, dir);
  assert.equal(a.output, join(dir, 'bin/x'));
  assert.equal(ok({ program: join(pkgDir, 'main.go') }).cwd, pkgDir);
});

test('args and buildFlags: a string is split like a shell, arrays are kept', () => {
  const a = ok({ program: pkgDir, args: `-v 'a b' "c \\"d\\"" e\\ f`, buildFlags: '-tags=x "-ldflags=-X main.v=1"' });
  assert.deepEqual(a.args, ['-v', 'a b', 'c "d"', 'e f']);
  assert.deepEqual(a.buildFlags, ['-tags=x', '-ldflags=-X main.v=1']);
  assert.deepEqual(ok({ program: pkgDir, args: ['a b', ''] }).args, ['a b', '']);
});

test('envFile is loaded relative to cwd and env wins over it', () => {
  const a = ok({ program: pkgDir, cwd: dir, envFile: '.env', env: { C: 'from-env', D: null } });
  assert.deepEqual(a.env, { A: '1', B: 'two words', C: 'from-env', D: null });
  const b = ok({ program: pkgDir, envFile: [join(dir, '.env')] });
  assert.equal(b.env.C, 'from-file');
});

test('program is required, with a message saying what to put there', () => {
  const msg = '`program` is required: set it to a package directory, a .go file or (with mode "exec") a binary';
  assert.equal(err({}), msg);
  assert.equal(err({ program: '' }), msg);
  assert.equal(err({ program: '  ' }), msg);
});

test('wrong types name the attribute and what was found', () => {
  assert.equal(err({ program: 42 }), '`program` must be a string, but it is a number');
  assert.equal(err({ program: pkgDir, args: [1] }), '`args` must be an array of strings (or one string), but it is an array');
  assert.equal(err({ program: pkgDir, stopOnEntry: 'yes' }), '`stopOnEntry` must be true or false, but it is the string "yes"');
  assert.equal(err({ program: pkgDir, env: ['A=1'] }), '`env` must be an object like {"NAME": "value"}, but it is an array');
  assert.equal(err({ program: pkgDir, env: { A: 1 } }), '`env.A` must be a string (or null to unset it), but it is a number');
  assert.equal(err({ program: pkgDir, stackTraceDepth: 0 }), '`stackTraceDepth` must be a positive whole number, but it is a number (0)');
  assert.equal(
    err({ program: pkgDir, console: 'terminal' }),
    '`console` must be one of "internalConsole", "integratedTerminal", "externalTerminal", but it is the string "terminal"',
  );
  assert.equal(
    err({ program: pkgDir, substitutePath: [{ from: '/a' }] }),
    '`substitutePath[0]` must be {"from": "<path in the editor>", "to": "<path in the binary>"}',
  );
  assert.equal(err('launch'), 'the launch configuration must be an object');
});

test('mode: unknown modes and modes that do not fit the program', () => {
  assert.match(
    err({ program: pkgDir, mode: 'remote' }),
    /^`mode` must be one of "debug", "test", "exec", "core", but it is the string "remote" \(mode "remote" is a Delve feature/,
  );
  assert.match(err({ program: pkgDir, mode: 'local' }), /"local" is for "request": "attach"/);
  assert.match(err({ program: pkgDir, mode: 'exec' }), /is a directory, but mode "exec" needs a built binary/);
  assert.match(err({ program: join(dir, 'prog') }), /is not a package directory or a \.go file: to debug a built binary set "mode": "exec"/);
  assert.equal(ok({ program: join(dir, 'prog'), mode: 'exec' }).program, join(dir, 'prog'));
  assert.equal(ok({ program: pkgDir, mode: 'test' }).mode, 'test');
  assert.match(err({ program: join(dir, 'prog'), mode: 'core' }), /mode "core" needs `coreFilePath`/);
  assert.match(err({ program: join(dir, 'prog'), mode: 'core', coreFilePath: join(dir, 'nope') }), /`coreFilePath` ".*nope" is not a file/);
  assert.equal(ok({ program: join(dir, 'prog'), mode: 'core', coreFilePath: join(dir, 'prog') }).coreFilePath, join(dir, 'prog'));
});

test('missing paths and unresolved variables are reported', () => {
  assert.equal(err({ program: join(dir, 'nope') }), `\`program\` "${join(dir, 'nope')}" does not exist`);
  assert.match(err({ program: '${fileDirname}' }), /unresolved variable: \$\{fileDirname\}/);
  assert.equal(err({ program: pkgDir, cwd: join(dir, 'nope') }), `\`cwd\` "${join(dir, 'nope')}" is not a directory`);
  assert.equal(err({ program: pkgDir, envFile: join(dir, 'missing.env') }), `cannot read envFile "${join(dir, 'missing.env')}": no such file`);
});

test('splitShellWords: quoting rules and errors', () => {
  assert.deepEqual(splitShellWords(''), []);
  assert.deepEqual(splitShellWords('  a\tb\n c  '), ['a', 'b', 'c']);
  assert.deepEqual(splitShellWords(`'a"b' "a'b" ""`), ['a"b', "a'b", '']);
  assert.deepEqual(splitShellWords(`x'y z'"w"`), ['xy zw']);
  assert.deepEqual(splitShellWords(String.raw`"\n\$"`), [String.raw`\n$`]);
  assert.throws(() => splitShellWords(`'abc`), /unterminated ' quote/);
  assert.throws(() => splitShellWords(`"abc`), /unterminated " quote/);
});

test('parseEnvFile: comments, export, quotes, escapes, errors with line numbers', () => {
  const env = parseEnvFile(
    [
      '# a comment',
      '',
      'PLAIN=value with spaces  ',
      'export EXPORTED=yes',
      "SINGLE='lit $HOME \\n'",
      'DOUBLE="line1\\nline2 \\"q\\""',
      'HASH=a#b',
      'COMMENTED=v # note',
      'EMPTY=',
      'SPACED = x',
      '  INDENTED=1',
    ].join('\n'),
  );
  assert.deepEqual(env, {
    PLAIN: 'value with spaces',
    EXPORTED: 'yes',
    SINGLE: 'lit $HOME \\n',
    DOUBLE: 'line1\nline2 "q"',
    HASH: 'a#b',
    COMMENTED: 'v',
    EMPTY: '',
    SPACED: 'x',
    INDENTED: '1',
  });
  assert.throws(() => parseEnvFile('A=1\nnot a pair\n', 'f.env'), /^Error: f\.env, line 2: expected KEY=VALUE, found: not a pair$/);
  assert.throws(() => parseEnvFile('A="open\n'), /line 1: unterminated " quote/);
  assert.deepEqual(loadEnvFile(join(dir, '.env')), { A: '1', B: 'two words', C: 'from-file' });
});

test('attach: processId as number or numeric string; unresolved picker; defaults', () => {
  const r = validateAttachArguments({ processId: '1234' });
  assert.ok(r.ok);
  if (r.ok) {
    assert.equal(r.args.processId, 1234);
    assert.equal(r.args.mode, 'local');
    assert.equal(r.args.stackTraceDepth, DEFAULT_STACK_TRACE_DEPTH);
  }
  const n = validateAttachArguments({ processId: 42, hideSystemGoroutines: true });
  assert.ok(n.ok && n.args.processId === 42 && n.args.hideSystemGoroutines);
  const e = (raw: unknown) => {
    const x = validateAttachArguments(raw);
    return x.ok ? 'ok' : x.error;
  };
  assert.match(e({}), /^`processId` is required: set it to the process id of a running Go program/);
  assert.match(e({ processId: '${command:pickGoProcess}' }), /unresolved variable/);
  assert.equal(e({ processId: 'abc' }), '`processId` must be a process id (a number), but it is the string "abc"');
  assert.equal(e({ processId: -3 }), '`processId` must be a positive whole number, but it is -3');
  assert.match(e({ processId: 1, mode: 'remote' }), /remote attach is not supported/);
});
