/**
 * Which thread ids of a stopped program exist: the goroutines of this stop and
 * the OS threads we trace. Requests name threads by these ids, so a stale or
 * made-up id is the user's error (noThread), not an internal one.
 */
import { userErrors } from '../../util/userErrors.js';
import type { Program } from '../program.js';

/** Throws noThread unless `id` names a goroutine of this stop or a traced OS thread. */
export function requireThread(p: Program, id: number): void {
  if (p.view.resolve(id).g !== undefined || onThread(p, id)) return;
  throw userErrors.noThread(id);
}

/** Whether thread id `id` runs on a traced OS thread now (false for a parked goroutine). */
export function onThread(p: Program, id: number): boolean {
  const tid = p.view.resolve(id).tid;
  return tid !== undefined && p.osThreadIds().includes(tid);
}

/** Like requireThread, and the id must be running on an OS thread (not a parked goroutine). */
export function requireOnThread(p: Program, id: number): void {
  requireThread(p, id);
  if (!onThread(p, id)) throw userErrors.notOnThread(id);
}
