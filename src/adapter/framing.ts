/**
 * DAP framing on a byte stream (stdio or a socket): `Content-Length: N\r\n\r\n`
 * then N bytes of UTF-8 JSON. Ours rather than the library's because
 * @vscode/debugadapter's parser ends a stdio session on the first body it
 * cannot parse (and with it a launched program). Here a frame that cannot be
 * parsed is reported as a bad frame and skipped, and reading picks up again at
 * the next header.
 *
 * Facts this relies on: a JSON text never holds a raw CR or LF inside a
 * string, so `Content-Length: <digits>\r\n` can only appear in a valid body
 * escaped; finding it raw inside a body means that body was declared longer
 * than it is, and the next frame starts there.
 */

/** Bodies above this are skipped unread (the buffer never grows past it). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** A header block longer than this without its blank line is not a header. */
const MAX_HEADER_BYTES = 8 * 1024;

const HEADER_NAME = Buffer.from('Content-Length:', 'latin1');
const CRLF2 = Buffer.from('\r\n\r\n', 'latin1');
/** Bytes kept back while skipping, enough for a header split across chunks. */
const HEADER_TAIL = 40;
/** A header block (without its blank line): the body's length. */
const HEADER = /^Content-Length: *(\d{1,16}) *(?:\r\n|$)/;
/** A header, found raw inside a body (impossible in valid JSON). */
const NEXT_HEADER = /Content-Length: *\d+\r\n/;

export type Frame =
  | { kind: 'message'; message: Record<string, unknown> }
  /** Bytes that are not a DAP message; `seq` and `command` when the body still named them. */
  | { kind: 'bad'; reason: string; seq?: number; command?: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class FrameReader {
  /** Bytes received and not consumed: store[head, tail), grown by doubling (a large body arrives in many chunks). */
  private store: Buffer = Buffer.alloc(0);
  private head = 0;
  private tail = 0;
  /** Length of the body being read; -1 while looking for a header. */
  private bodyLength = -1;
  /** Bytes of an oversized body still to drop. */
  private skipping = 0;
  /** How far the current partial body was searched for a header. */
  private searched = 0;
  /** Inside a run of bytes that are no frame: reported once, at its start. */
  private inJunk = false;

  /** Adds bytes from the stream; returns the frames they complete, in order. */
  push(chunk: Buffer): Frame[] {
    const out: Frame[] = [];
    let rest = chunk;
    if (this.idle()) {
      rest = this.whole(chunk, out);
      // Whole frames only (a client's usual write): nothing is left to buffer.
      if (rest.length === 0) return out;
    }
    this.append(rest);
    for (;;) {
      if (this.skipping > 0) {
        // A garbage "body" that holds a raw header is cut there (valid JSON never holds one).
        const m = NEXT_HEADER.exec(this.buf.subarray(0, Math.min(this.skipping, this.buf.length) + 40).toString('latin1'));
        if (m && m.index < this.skipping) {
          this.skipping = 0;
          this.buf = this.buf.subarray(m.index);
          continue;
        }
        // Keep a tail that may be the start of a header split across chunks.
        const n = this.skipping <= this.buf.length ? this.skipping : Math.max(0, this.buf.length - HEADER_TAIL);
        if (n === 0) break;
        this.skipping -= n;
        this.buf = this.buf.subarray(n);
        if (this.skipping > 0) break;
        continue;
      }
      if (this.bodyLength < 0) {
        if (!this.readHeader(out)) break;
        continue;
      }
      if (!this.readBody(out)) break;
    }
    return out;
  }

  /** Nothing buffered and no frame begun: the next byte is the start of a header. */
  private idle(): boolean {
    return this.head === this.tail && this.bodyLength < 0 && this.skipping === 0 && !this.inJunk;
  }

  /**
   * The common case without copying: a chunk that starts with a header and
   * holds whole frames (a client writes one message at a time). Takes the
   * frames at the chunk's start whose bodies hold no "Content-Length:" at all
   * and returns the rest, for the general reader: anything else (junk, a part
   * of a frame, such text inside a body) is read there, from the same state.
   */
  private whole(chunk: Buffer, out: Frame[]): Buffer {
    let at = 0;
    for (;;) {
      if (chunk.length - at < HEADER_NAME.length || chunk.compare(HEADER_NAME, 0, HEADER_NAME.length, at, at + HEADER_NAME.length) !== 0) break;
      const end = chunk.indexOf(CRLF2, at);
      if (end < 0 || end - at > MAX_HEADER_BYTES) break;
      const m = HEADER.exec(chunk.toString('latin1', at, end));
      if (!m) break;
      const n = Number(m[1]);
      const from = end + CRLF2.length;
      if (n > MAX_BODY_BYTES || from + n > chunk.length) break;
      const next = chunk.indexOf(HEADER_NAME, from);
      if (next >= 0 && next < from + n) break;
      out.push(decodeBody(chunk.subarray(from, from + n)));
      at = from + n;
    }
    return at === 0 ? chunk : chunk.subarray(at);
  }

  /** The unconsumed bytes (a view: valid until the next append). */
  private get buf(): Buffer {
    return this.store.subarray(this.head, this.tail);
  }
  private set buf(rest: Buffer) {
    // Only ever set to a suffix of the current view.
    this.head = this.tail - rest.length;
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  private append(chunk: Buffer): void {
    const live = this.tail - this.head;
    if (this.tail + chunk.length > this.store.length) {
      const size = Math.max(this.store.length * 2, live + chunk.length, 4096);
      const grown = live + chunk.length <= this.store.length ? this.store : Buffer.allocUnsafe(size);
      this.store.copy(grown, 0, this.head, this.tail);
      this.store = grown;
      this.head = 0;
      this.tail = live;
    }
    chunk.copy(this.store, this.tail);
    this.tail += chunk.length;
  }

  /** Finds and parses the next header block; false when more bytes are needed. */
  private readHeader(out: Frame[]): boolean {
    const at = this.buf.indexOf(HEADER_NAME);
    if (at < 0) {
      // Keep a tail that may be the start of a header split across chunks.
      const keep = HEADER_NAME.length - 1;
      if (this.buf.length > keep) {
        this.junk(this.buf.subarray(0, this.buf.length - keep), out);
        this.buf = this.buf.subarray(this.buf.length - keep);
      }
      return false;
    }
    if (at > 0) {
      this.junk(this.buf.subarray(0, at), out);
      this.buf = this.buf.subarray(at);
    }
    this.inJunk = false;
    const end = this.buf.indexOf(CRLF2);
    if (end < 0) {
      if (this.buf.length <= MAX_HEADER_BYTES) return false;
      out.push({ kind: 'bad', reason: 'a header without its blank line' });
      this.buf = this.buf.subarray(HEADER_NAME.length);
      return true;
    }
    const header = this.buf.subarray(0, end).toString('latin1');
    this.buf = this.buf.subarray(end + CRLF2.length);
    const m = HEADER.exec(header);
    if (!m) {
      out.push({ kind: 'bad', reason: `an invalid header "${header.slice(0, 80)}"` });
      return true;
    }
    const n = Number(m[1]);
    if (n > MAX_BODY_BYTES) {
      out.push({ kind: 'bad', reason: `a body of ${n} bytes (more than ${MAX_BODY_BYTES}), skipped` });
      this.skipping = n;
      return true;
    }
    this.bodyLength = n;
    this.searched = 0;
    return true;
  }

  /** Bytes outside any frame: one report per run of them (whitespace between frames is tolerated). */
  private junk(bytes: Buffer, out: Frame[]): void {
    if (this.inJunk || isBlank(bytes)) return;
    this.inJunk = true;
    out.push({ kind: 'bad', reason: 'bytes without a Content-Length header' });
  }

  /** Completes the current body; false when more bytes are needed. */
  private readBody(out: Frame[]): boolean {
    const need = this.bodyLength;
    // A header inside the bytes of a body: the body was declared longer than it is.
    const upto = Math.min(this.buf.length, need + HEADER_NAME.length + 20);
    if (upto > this.searched) {
      const from = Math.max(0, this.searched - 40);
      const text = this.buf.subarray(from, upto).toString('latin1');
      const m = NEXT_HEADER.exec(text);
      const at = m ? from + m.index : -1;
      if (at >= 0 && at < need) {
        out.push(badFrame(this.buf.subarray(0, at), `a body shorter than its Content-Length (${at} of ${need} bytes)`));
        this.buf = this.buf.subarray(at);
        this.bodyLength = -1;
        return true;
      }
      this.searched = upto;
    }
    if (this.buf.length < need) return false;
    const body = this.buf.subarray(0, need);
    this.buf = this.buf.subarray(need);
    this.bodyLength = -1;
    out.push(decodeBody(body));
    return true;
  }
}

function isBlank(b: Buffer): boolean {
  for (const c of b) if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  return true;
}

/** A body as a message, or why it is not one. */
export function decodeBody(body: Uint8Array): Frame {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return badFrame(body, 'a body that is not UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return badFrame(body, `a body that is not JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'bad', reason: `a body that is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}, not an object` };
  }
  const msg = value as Record<string, unknown>;
  const seq = typeof msg.seq === 'number' && Number.isFinite(msg.seq) ? msg.seq : undefined;
  const command = typeof msg.command === 'string' ? msg.command : undefined;
  if (msg.type === 'request') {
    if (seq === undefined || command === undefined) return { kind: 'bad', reason: 'a request without a numeric seq and a command', seq, command };
    if (msg.arguments !== undefined && (typeof msg.arguments !== 'object' || msg.arguments === null || Array.isArray(msg.arguments))) {
      return { kind: 'bad', reason: `"${command}" with arguments that are not an object`, seq, command };
    }
    return { kind: 'message', message: msg };
  }
  if (msg.type === 'response') {
    if (typeof msg.request_seq !== 'number' || typeof msg.success !== 'boolean') return { kind: 'bad', reason: 'a response without request_seq and success' };
    return { kind: 'message', message: msg };
  }
  return { kind: 'bad', reason: `a message of type ${JSON.stringify(msg.type) ?? 'undefined'}`, seq, command };
}

/** A bad frame that still names its seq and command when they can be read from the bytes. */
function badFrame(body: Uint8Array, reason: string): Frame {
  const text = Buffer.from(body).toString('utf8');
  const seq = /"seq"\s*:\s*(\d{1,15})/.exec(text);
  const command = /"command"\s*:\s*"([A-Za-z]{1,64})"/.exec(text);
  return seq && command ? { kind: 'bad', reason, seq: Number(seq[1]), command: command[1] } : { kind: 'bad', reason };
}
