/**
 * Raw memory and machine code: readMemory and disassemble. Bytes that cannot
 * be read are reported as unreadableBytes, as the protocol provides.
 */
import { basename } from 'node:path';
import { Source } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { userErrors } from '../../util/userErrors.js';
import { parseAddress } from '../memoryReference.js';
import type { RequestContext } from './context.js';

const MAX_INSTRUCTION_OFFSET = 100_000;

export function disassemble(ctx: RequestContext, args: DebugProtocol.DisassembleArguments): DebugProtocol.DisassembleResponse['body'] {
  const p = ctx.state.requireStopped();
  const addr = parseAddress(args.memoryReference) + (args.offset ?? 0);
  if (!Number.isFinite(addr)) throw userErrors.notAnAddress(args.memoryReference);
  // Each instruction of the offset is decoded: an offset of -2^31 would keep the adapter busy for minutes.
  if (!(Math.abs(args.instructionOffset ?? 0) <= MAX_INSTRUCTION_OFFSET)) {
    throw userErrors.invalidArguments(`instructionOffset ${args.instructionOffset} is out of range (at most ${MAX_INSTRUCTION_OFFSET} instructions away)`);
  }
  const list = p.disassemble(addr, args.instructionOffset ?? 0, Math.min(args.instructionCount, 10_000));
  let lastFile: string | undefined;
  return {
    instructions: list.map((i) => {
      const out: DebugProtocol.DisassembledInstruction = {
        address: `0x${i.address.toString(16)}`,
        instruction: i.text,
        instructionBytes: Buffer.from(i.bytes)
          .toString('hex')
          .replace(/(..)(?=.)/g, '$1 '),
      };
      if (i.invalid) out.presentationHint = 'invalid';
      if (i.symbol) out.symbol = i.symbol;
      if (i.file && i.line) {
        const path = p.paths.toClient(i.file);
        if (path !== lastFile) out.location = new Source(basename(path), path);
        lastFile = path;
        out.line = ctx.lineToClient(i.line);
      }
      return out;
    }),
  };
}

export function readMemory(ctx: RequestContext, args: DebugProtocol.ReadMemoryArguments): DebugProtocol.ReadMemoryResponse['body'] {
  const p = ctx.state.requireStopped();
  const addr = parseAddress(args.memoryReference) + (args.offset ?? 0);
  if (!Number.isFinite(addr) || addr < 0) throw userErrors.notAnAddress(args.memoryReference);
  const count = Math.max(0, Math.min(args.count, 16 << 20));
  const buf = new Uint8Array(count);
  const got = count === 0 ? 0 : Math.max(0, p.readInto(addr, buf));
  const body: DebugProtocol.ReadMemoryResponse['body'] = { address: `0x${addr.toString(16)}`, data: Buffer.from(buf.subarray(0, got)).toString('base64') };
  if (got < count) body.unreadableBytes = count - got;
  return body;
}

/**
 * writeMemory: the bytes of `data` (base64) at memoryReference + offset.
 * Without allowPartial the whole range must be writable, or nothing is
 * written; with it, the bytes up to the first unwritable one are (none at all
 * is an error: nothing happened). Bytes under one of our int3s become that
 * site's original byte and the int3 stays. Views are told to reload
 * (`invalidated`, and `memory` for clients that take it).
 */
export function writeMemory(ctx: RequestContext, args: DebugProtocol.WriteMemoryArguments): DebugProtocol.WriteMemoryResponse['body'] {
  const p = ctx.state.requireStopped();
  const addr = parseAddress(args.memoryReference) + (args.offset ?? 0);
  if (!Number.isFinite(addr) || addr < 0) throw userErrors.notAnAddress(args.memoryReference);
  const data = Buffer.from(args.data, 'base64');
  if (data.length === 0) return { bytesWritten: 0 };
  // Mapped is writable here: the engine writes through /proc/PID/mem, which ignores page protections.
  const probe = new Uint8Array(data.length);
  const writable = Math.max(0, p.readInto(addr, probe));
  if (writable === 0 || (writable < data.length && !args.allowPartial)) {
    const why =
      writable === 0
        ? 'the address is not mapped in the program'
        : `only the first ${writable} bytes are mapped in the program (nothing was written; set allowPartial to write those)`;
    throw userErrors.cannotWriteMemory(addr, data.length, why);
  }
  try {
    p.write(addr, new Uint8Array(data.buffer, data.byteOffset, writable));
  } catch (e) {
    throw userErrors.cannotWriteMemory(addr, writable, (e as Error).message);
  }
  ctx.state.view?.forgetReads();
  ctx.afterResponse(() => {
    const client = ctx.state.client;
    if (client.memoryEvent)
      ctx.sendEvent({ seq: 0, type: 'event', event: 'memory', body: { memoryReference: `0x${addr.toString(16)}`, offset: 0, count: writable } });
    if (client.invalidated) ctx.sendEvent({ seq: 0, type: 'event', event: 'invalidated', body: { areas: ['variables'] } });
  });
  const body: DebugProtocol.WriteMemoryResponse['body'] = { bytesWritten: writable };
  if (args.allowPartial) body.offset = 0;
  return body;
}
