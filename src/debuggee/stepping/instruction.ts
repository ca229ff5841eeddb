/** One machine instruction on one thread, the other threads staying stopped. */
import type { DebuggeeProcess } from '../../process/process.js';
import { stepDone, type Outcome } from '../outcome.js';

export function stepInstruction(inf: DebuggeeProcess, tid: number): Outcome {
  const r = inf.stepInstruction(tid);
  if (r === 'exited') {
    if (inf.state === 'exited') return { kind: 'exited' };
    throw new Error(`thread ${tid} exited during the step`);
  }
  if (typeof r === 'object') return { kind: 'stop', stop: { kind: 'exception', tid, signal: r.signal } };
  return stepDone(tid);
}
