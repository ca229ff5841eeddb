// processImage (src/engine/processImage.ts) on this test's own process: its
// mappings are /proc/self/maps line for line, in order, with the permissions
// and paths the kernel prints (also a path with spaces), and its facts are
// those /proc says in its other files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseMaps, processImage } from '../../../src/engine/processImage.js';

test('the mappings, auxv and facts of a live process', () => {
  const image = processImage(process.pid, new Map([[process.pid, 0]]));
  assert.ok(image);
  const lines = readFileSync(`/proc/${process.pid}/maps`, 'utf8').trim().split('\n');
  // The maps can change between two reads (a thread stack, the heap): compare the executable's own lines.
  const exe = readFileSync(`/proc/${process.pid}/cmdline`, 'latin1').split('\0')[0]!;
  const own = (m: { path: string }) => m.path.endsWith('/node') || m.path === exe;
  const fromProc = parseMaps(lines.join('\n')).filter(own);
  assert.ok(fromProc.length >= 2, 'node maps its own binary');
  assert.deepEqual(image.mappings.filter(own), fromProc);
  const text = image.mappings.find((m) => own(m) && m.exec)!;
  assert.equal(text.read && !text.write && !text.shared, true);
  assert.ok(text.inode > 0);
  for (let i = 1; i < image.mappings.length; i++) assert.ok(image.mappings[i]!.start >= image.mappings[i - 1]!.end, 'in address order');

  assert.equal(image.info.pid, process.pid);
  assert.equal(image.info.ppid, process.ppid);
  assert.equal(image.info.uid, process.getuid!());
  assert.equal(image.info.gid, process.getgid!());
  assert.equal(image.info.name, readFileSync(`/proc/${process.pid}/comm`, 'utf8').trim());
  assert.ok(image.info.args.includes(process.argv[1]!.split('/').pop()!), image.info.args);
  // auxv: (type, value) pairs ended by AT_NULL, AT_PAGESZ (6) = 4096 among them.
  const v = new DataView(image.auxv.buffer, image.auxv.byteOffset, image.auxv.byteLength);
  const pairs = new Map<bigint, bigint>();
  for (let o = 0; o + 16 <= image.auxv.length; o += 16) pairs.set(v.getBigUint64(o, true), v.getBigUint64(o + 8, true));
  assert.equal(pairs.get(6n), 4096n);
});

test('maps lines: a path with spaces, a deleted file, anonymous and pseudo mappings', () => {
  const maps = parseMaps(
    [
      '00400000-00452000 r-xp 00000000 08:02 173521      /usr/bin/my prog',
      '7f0000000000-7f0000001000 rw-s 00002000 00:05 44 /dev/shm/x (deleted)',
      '7f0000001000-7f0000003000 ---p 00000000 00:00 0 ',
      '7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]',
    ].join('\n'),
  );
  assert.deepEqual(
    maps.map((m) => [m.start.toString(16), m.end.toString(16), m.read, m.write, m.exec, m.shared, m.offset, m.inode, m.path]),
    [
      ['400000', '452000', true, false, true, false, 0, 173521, '/usr/bin/my prog'],
      ['7f0000000000', '7f0000001000', true, true, false, true, 0x2000, 44, '/dev/shm/x (deleted)'],
      ['7f0000001000', '7f0000003000', false, false, false, false, 0, 0, ''],
      ['7ffd00000000', '7ffd00021000', true, true, false, false, 0, 0, '[stack]'],
    ],
  );
});
