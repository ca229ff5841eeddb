// The Go assembly grammar (syntaxes/go-asm.tmLanguage.json), tested with the
// vscode-tmgrammar-test / vscode-tmgrammar-snap CLIs:
//  - scope assertions in the sample files next to this test (objdump, .s, -gcflags=-S);
//  - real `go tool objdump` output of a freshly built program, every line checked
//    against objdump's own columns (file:line, address, encoding, instruction).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goBin, repoRoot } from '../support/goBuild.js';

const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);
const grammar = join(repoRoot, 'syntaxes', 'go-asm.tmLanguage.json');
const dir = mkdtempSync(join(tmpdir(), 'gda-grammar-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd = repoRoot) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('the grammar JSON is what scripts/genGrammar.mjs generates', () => {
  const r = run(process.execPath, [join(repoRoot, 'scripts', 'genGrammar.mjs'), '--check']);
  assert.equal(r.status, 0, r.out);
});

test('scope assertions in test/grammar/* pass (grammar found through package.json)', () => {
  // No -g: the tool reads contributes.grammars from package.json, so this also checks the manifest wiring.
  const r = run(bin('vscode-tmgrammar-test'), ['test/grammar/*.goasm', 'test/grammar/*.s']);
  assert.equal(r.status, 0, r.out);
  assert.equal((r.out.match(/run successfuly/g) ?? []).length, 3, r.out);
});

test('a wrong scope assertion makes the tool fail (the check above is not vacuous)', () => {
  const f = join(dir, 'wrong.goasm');
  writeFileSync(f, '// SYNTAX TEST "source.go-asm"\n  MOVQ AX, BX\n//^^^^ variable.other.register.go-asm\n');
  const r = run(bin('vscode-tmgrammar-test'), ['-g', grammar, f]);
  assert.notEqual(r.status, 0, r.out);
  assert.match(r.out, /missing required scopes: variable\.other\.register\.go-asm/);
});

/** Parses a vscode-tmgrammar-snap file: for each source line, the scopes of each column. */
function parseSnap(text: string): { line: string; scopes: string[] }[] {
  const out: { line: string; scopes: string[] }[] = [];
  for (const l of text.split('\n')) {
    if (l.startsWith('>')) out.push({ line: l.slice(1), scopes: [] });
    else if (l.startsWith('#') && out.length > 0) {
      const m = /^#( *)(\^+) (.*)$/.exec(l);
      if (m) for (let i = 0; i < m[2].length; i++) out[out.length - 1].scopes[m[1].length + i] = m[3];
    }
  }
  return out;
}

const GO_PROGRAM = `package main

import (
\t"errors"
\t"fmt"
\t"strconv"
\t"sync"
)

type Shape interface{ Area() float64 }

type Rect struct{ W, H float64 }

func (r *Rect) Area() float64 { return r.W * r.H }

func Map[T, U any](xs []T, f func(T) U) []U {
\tout := make([]U, 0, len(xs))
\tfor _, x := range xs {
\t\tout = append(out, f(x))
\t}
\treturn out
}

func main() {
\tvar m sync.Map
\tm.Store("a", 1)
\tvar s Shape = &Rect{2, 3}
\terr := errors.New("x")
\tfmt.Println(s.Area(), Map([]int{1, 2}, strconv.Itoa), strconv.FormatFloat(1.5, 'g', -1, 64), err)
}
`;

test('real go tool objdump output: every column gets the right scope', () => {
  const src = join(dir, 'prog');
  mkdirSync(src);
  writeFileSync(join(src, 'go.mod'), 'module example.com/asmprog\n\ngo 1.22\n');
  writeFileSync(join(src, 'main.go'), GO_PROGRAM);
  const exe = join(dir, 'prog.bin');
  execFileSync(goBin(), ['build', '-o', exe, '.'], { cwd: src, env: { ...process.env, GOFLAGS: '' } });
  // A subset of the binary (the whole runtime takes ~10 s to tokenize): user code, generics,
  // itabs, float code, hand-written runtime assembly.
  const symbols = String.raw`^(main\.|fmt\.|strconv\.|sync\.|internal/sync\.|runtime\.(memmove|memclrNoHeapPointers|rt0_go|morestack|gogo|mcall|systemstack|asmcgocall|duffzero|duffcopy|mallocgc|settls)$)`;
  const dump = execFileSync(goBin(), ['tool', 'objdump', '-s', symbols, exe], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const dumpFile = join(dir, 'dump.goasm');
  writeFileSync(dumpFile, dump);
  const r = run(bin('vscode-tmgrammar-snap'), ['-g', grammar, '-s', 'source.go-asm', '-u', dumpFile]);
  assert.equal(r.status, 0, r.out);
  const lines = parseSnap(readFileSync(`${dumpFile}.snap`, 'utf8'));

  const problems: string[] = [];
  const expectScope = (where: string, scopes: string[], from: number, to: number, re: RegExp) => {
    for (let i = from; i < to; i++) {
      if (!re.test(scopes[i] ?? '')) {
        problems.push(`${where}: column ${i} has "${scopes[i] ?? ''}", expected ${re}`);
        return;
      }
    }
  };
  let headers = 0;
  let instructions = 0;
  for (const { line, scopes } of lines) {
    if (line.trim() === '') continue;
    if (line.startsWith('TEXT ')) {
      // Oracle: objdump prints "TEXT <symbol>(SB) <file>".
      headers++;
      const sb = line.lastIndexOf('(SB) ');
      expectScope(line, scopes, 0, 4, /keyword\.other\.directive/);
      expectScope(line, scopes, 5, sb, /entity\.name\.function/);
      expectScope(line, scopes, sb + 5, line.length, /string\.unquoted\.path/);
      continue;
    }
    // Oracle: objdump's tab-separated columns "file:line", address, encoding, instruction.
    const cols = line.trim().split(/\t+/);
    assert.ok(cols.length >= 4, `unexpected objdump line: ${JSON.stringify(line)}`);
    instructions++;
    const [fileLine, addr, enc, instr] = cols;
    const colon = fileLine.lastIndexOf(':');
    const at0 = line.indexOf(fileLine);
    expectScope(line, scopes, at0, at0 + colon, /string\.unquoted\.path/);
    expectScope(line, scopes, at0 + colon + 1, at0 + fileLine.length, /constant\.numeric\.line/);
    const atAddr = line.indexOf(addr, at0 + fileLine.length);
    expectScope(line, scopes, atAddr, atAddr + addr.length, /constant\.numeric\.address/);
    const atEnc = line.indexOf(enc, atAddr + addr.length);
    expectScope(line, scopes, atEnc, atEnc + enc.length, /constant\.other\.encoding/);
    const atInstr = line.indexOf(instr, atEnc + enc.length);
    const first = instr.split(/[\s;]/)[0];
    // The first word is the mnemonic, or a segment prefix objdump prints as a word ("FS ANDL ...").
    const firstRe = /^[CDEFGS]S$/.test(first) ? /variable\.other\.register/ : /keyword\.other\.mnemonic|keyword\.control\.branch|invalid\.illegal/;
    expectScope(line, scopes, atInstr, atInstr + first.length, firstRe);
    // Nothing in the instruction is left unclassified.
    for (let i = atInstr; i < atInstr + instr.length; i++) {
      if (/\s/.test(line[i])) continue;
      const own = (scopes[i] ?? '').replace(/\b(source|meta)\.\S+/g, '').trim();
      if (own === '') {
        problems.push(`${line.trim()}: "${line[i]}" at column ${i} has no scope of its own`);
        break;
      }
    }
    // A call target is a function name: CALL pkg.f(SB)
    const call = /^CALL (.+)\(SB\)$/.exec(instr);
    if (call) {
      const name = call[1].replace(/<[A-Za-z0-9]*>$/, '');
      expectScope(line, scopes, atInstr + 5, atInstr + 5 + name.length, /entity\.name\.function/);
    }
  }
  assert.ok(headers > 50, `functions seen: ${headers}`);
  assert.ok(instructions > 5000, `instructions seen: ${instructions}`);
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
});
