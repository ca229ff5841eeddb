/**
 * The adapter's DAP framing (src/adapter/framing.ts) on hand-made byte
 * streams: good frames come out whole however the stream is cut into
 * chunks, bad ones are reported and skipped, and reading resumes at the next
 * header.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameReader, MAX_BODY_BYTES, type Frame } from '../../../src/adapter/framing.js';

const frame = (body: string | Buffer) => {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  return Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`), b]);
};
const req = (seq: number, command = 'threads') => JSON.stringify({ seq, type: 'request', command });

/** What a stream yields, read in chunks of `size` bytes. */
function read(stream: Buffer, size: number): Frame[] {
  const r = new FrameReader();
  const out: Frame[] = [];
  for (let i = 0; i < stream.length; i += size) out.push(...r.push(stream.subarray(i, i + size)));
  return out;
}

const summary = (fs: Frame[]) => fs.map((f) => (f.kind === 'message' ? `msg ${f.message.seq}` : `bad${f.seq !== undefined ? ` ${f.seq}/${f.command}` : ''}`));

test('frames come out the same for every chunk size, bad ones in between', () => {
  const stream = Buffer.concat([
    frame(req(1)),
    frame('{"seq":2,"type":"request","command":"next",'), // not JSON, names its seq and command
    frame(req(3)),
    frame('null'),
    frame(Buffer.from([0x7b, 0xff, 0x7d])), // not UTF-8
    frame(req(4)),
    Buffer.from(`Content-Length: 3\r\n\r\n${req(5)}`), // declared shorter than it is
    frame(req(6)),
    Buffer.from(`Content-Length: 900\r\n\r\n${req(7)}`), // declared longer than it is
    frame(req(8)),
    Buffer.from(req(9)), // no header
    frame(req(10)),
  ]);
  const expected = summary(read(stream, stream.length));
  assert.deepEqual(
    expected.filter((s) => s.startsWith('msg')),
    ['msg 1', 'msg 3', 'msg 4', 'msg 6', 'msg 8', 'msg 10'],
  );
  assert.ok(expected.includes('bad 2/next'));
  for (const size of [1, 2, 3, 7, 16, 64, 333]) assert.deepEqual(summary(read(stream, size)), expected, `chunks of ${size}`);
});

test('non-object bodies and requests without seq or command are bad frames', () => {
  for (const body of ['[]', '42', '"x"', 'true', '{}', '{"type":"request","command":"threads"}', '{"seq":1,"type":"request"}', '{"seq":1,"type":"event"}']) {
    const fs = read(frame(body), 1 << 20);
    assert.equal(fs.length, 1, body);
    assert.equal(fs[0]!.kind, 'bad', body);
  }
  const args = read(frame('{"seq":5,"type":"request","command":"scopes","arguments":7}'), 1 << 20);
  assert.deepEqual(summary(args), ['bad 5/scopes']);
});

test('a body over the bound is skipped, not buffered, and reading resumes after it', () => {
  const big = MAX_BODY_BYTES + 10;
  const r = new FrameReader();
  const out = [...r.push(Buffer.from(`Content-Length: ${big}\r\n\r\n`))];
  // Valid JSON never holds a raw header: stream the whole body as JSON filler.
  const chunk = Buffer.alloc(1 << 20, 0x20);
  let sent = 0;
  while (sent < big) {
    const n = Math.min(chunk.length, big - sent);
    out.push(...r.push(chunk.subarray(0, n)));
    sent += n;
  }
  out.push(...r.push(frame(req(11))));
  assert.deepEqual(summary(out), ['bad', 'msg 11']);
});

test('a huge Content-Length followed by real frames resynchronises on their header', () => {
  const out = read(Buffer.concat([Buffer.from('Content-Length: 99999999999\r\n\r\n{"seq":'), frame(req(12))]), 5);
  assert.deepEqual(summary(out), ['bad', 'msg 12']);
});

test('a chunk of whole frames reads the same as the same bytes cut small, "Content-Length:" inside a body or not', () => {
  const text = (seq: number, s: string) => JSON.stringify({ seq, type: 'request', command: 'evaluate', arguments: { expression: s } });
  const stream = Buffer.concat([
    frame(req(1)),
    frame(text(2, 'Content-Length: 12')), // a header's text inside a string: valid JSON, a whole frame
    frame(req(3)),
    Buffer.from(`Content-Length: 900\r\n\r\n${req(4)}`), // declared longer: the next frame's raw header is inside the declared body
    frame(req(5)),
    Buffer.from('\r\n'), // whitespace between frames
    frame(req(6)),
  ]);
  const whole = read(stream, stream.length);
  for (const size of [1, 5, 40, 97]) assert.deepEqual(read(stream, size), whole, `chunks of ${size}`);
  const msgs = whole.filter((f) => f.kind === 'message').map((f) => (f.kind === 'message' ? f.message : {}));
  assert.deepEqual(
    msgs.map((m) => m.seq),
    [1, 2, 3, 5, 6],
  );
  assert.deepEqual((msgs[1]!.arguments as { expression: string }).expression, 'Content-Length: 12');
  assert.equal(whole.filter((f) => f.kind === 'bad').length, 1, 'the body shorter than declared, once');
});

test('frames arriving one per chunk each come out at once, whole', () => {
  const r = new FrameReader();
  for (let seq = 1; seq <= 50; seq++) {
    const fs = r.push(frame(req(seq, 'variables')));
    assert.deepEqual(summary(fs), [`msg ${seq}`]);
  }
  // A frame split in two, then whole ones again.
  const f = frame(req(51));
  assert.deepEqual(r.push(f.subarray(0, 10)), []);
  assert.deepEqual(summary(r.push(Buffer.concat([f.subarray(10), frame(req(52))]))), ['msg 51', 'msg 52']);
  assert.deepEqual(summary(r.push(frame(req(53)))), ['msg 53']);
});
