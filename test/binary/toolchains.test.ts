/**
 * Binaries from older Go toolchains (fetched through GOTOOLCHAIN from the Go
 * module proxy, cached in GOMODCACHE) checked against the oracle, which is
 * built with the default toolchain. Go 1.22 and 1.24 write the real text
 * start in the pclntab header and have no .go.module section, unlike 1.26.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildFixture, goBin, testdataDir } from '../support/goBuild.js';
import { checkAgainstObjdump } from './objdumpSites.js';
import { markLine, openBinary, oracleFuncs, oraclePcRuns } from './oracle.js';

const TOOLCHAINS = ['go1.22.12', 'go1.24.13'];

/** Undefined when the toolchain runs; else why it could not be fetched. */
function fetchProblem(version: string): string | undefined {
  try {
    const v = execFileSync(goBin(), ['version'], {
      cwd: testdataDir,
      env: { ...process.env, GOTOOLCHAIN: version },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });
    return v.includes(version) ? undefined : `GOTOOLCHAIN=${version} ran ${v.trim()}`;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return `GOTOOLCHAIN=${version} could not be fetched: ${(err.stderr || err.message).trim().split('\n').slice(-2).join(' ')}`;
  }
}

for (const version of TOOLCHAINS) {
  test(`binaries built by ${version} agree with the oracle`, (t) => {
    const problem = fetchProblem(version);
    if (problem) {
      // Only a failed download skips; everything after it must run.
      t.skip(problem);
      return;
    }
    const env = { GOTOOLCHAIN: version };
    for (const [label, path, files] of [
      ['binmulti -N -l', buildFixture('binmulti', { env }), ['binmulti/main.go', 'binmulti/report.go', 'binmulti/geom/geom.go', 'binmulti/geom/area.go']],
      [
        'bininline optimized',
        buildFixture('bininline', { env, flags: [] }),
        ['bininline/main.go', 'bininline/helpers.go', 'bininline/frames.go', 'bininline/mathx/mathx.go'],
      ],
    ] as const) {
      const bin = openBinary(path);
      assert.equal(bin.goVersion, version);
      assert.equal(bin.pclntab.header.version, 120, 'pclntab magic 0xfffffff1');
      assert.ok(bin.pclntab.header.textStart !== 0, 'the header carries the text start before Go 1.26');
      const want = oracleFuncs(path);
      assert.equal(bin.textStart, want.textStart);
      assert.equal(bin.pclntab.funcCount, want.funcs.length);
      want.funcs.forEach((w, i) => {
        const f = bin.pclntab.funcAt(i);
        assert.deepEqual([f.name, f.entry, f.end], [w.name, w.entry, w.end]);
      });
      let pcs = 0;
      const bad: string[] = [];
      for (const r of oraclePcRuns(path)) {
        for (let pc = r.start; pc < r.end; pc++) {
          pcs++;
          const got = bin.pclntab.lineForPC(pc);
          const none = r.func < 0 || r.file === '' || r.line < 0;
          const ok = none ? got === undefined : got?.file === r.file && got.line === r.line && got.func.entry === want.funcs[r.func]!.entry;
          if (!ok && bad.length < 5) bad.push(`0x${pc.toString(16)}: want ${r.file}:${r.line}, got ${got?.file}:${got?.line}`);
        }
      }
      assert.deepEqual(bad, []);
      const sites = checkAgainstObjdump(bin, path, [...files], label.includes('optimized'));
      t.diagnostic(
        `${version} ${label}: ${want.funcs.length} functions, ${pcs} PCs (every PC) agree with gosym; ` +
          `${sites.sites} breakpoint sites over ${sites.lines} lines agree with objdump`,
      );
    }

    // Inline frames vs the runtime, with and without symbols (stripped: moduledata found by scanning).
    for (const flags of [[], ['-ldflags=-s -w']]) {
      const path = buildFixture('bininline', { env, flags });
      const out = execFileSync(path, ['frames'], { encoding: 'utf8' });
      const raw = parseInt(/^RAW (\S+)/m.exec(out)![1]!, 16);
      const frames = [...out.matchAll(/^FRAME \S+ (\S+) (.*):(\d+)$/gm)].map((m) => ({ funcName: m[1]!, file: m[2]!, line: Number(m[3]) }));
      const p = openBinary(path).pclntab;
      const got = p.inlinedFramesAt(raw - 1).map(({ funcName, file, line }) => ({ funcName, file, line }));
      assert.deepEqual(got, frames.slice(0, 3), `${version} ${flags.join(' ')}`);
      assert.deepEqual(
        got.map((f) => f.funcName),
        ['main.leaf', 'main.mid', 'main.top'],
      );
      const src = readFileSync(join(testdataDir, 'bininline/frames.go'), 'utf8');
      assert.ok(p.pcsForLine(join(testdataDir, 'bininline/frames.go'), markLine(src, 'leafCall')).some((s) => s.inlined && s.func.name === 'main.top'));
    }
  });
}
