/**
 * The scopes at the breakpoints, resolved while the program runs to its
 * first stop. A stop at a breakpoint first needs, at the breakpoint's PC, the
 * variables in scope (frameScope memoises them per PC: the function's DIEs,
 * its compile unit's line table) and their types (warmTypes): the Variables
 * view, a watch, a condition, a hover all start there. Decoded at the stop,
 * that work (1.5–2 ms on testdata/benchstruct, Go 1.26) ran in the moment the
 * client's first requests arrive and one of them waited for it. Decoded here,
 * from the binary alone (no register, no memory), it runs while the program
 * starts; a stop elsewhere decodes its own scope as before. The evaluate path
 * is run there too (Inspector.warmEvaluateAt), reading nothing: a session
 * that stops at a breakpoint has compiled it, so the code cache the adapter
 * writes at exit holds it even when that session evaluated nothing. At the
 * first address, the evaluate path then runs again in later rounds
 * (Inspector.warmEvaluateAt's selector chains), a few in each step from
 * then on, for about ROUNDS_MS after the step's own address, until
 * WARM_ROUNDS are done or the program stops: code from the cache starts
 * without what V8 learns of its operands in its first runs, and one run left
 * the first evaluate at the stop running that code cold.
 */
import { frameScope } from '../../values/locations.js';
import type { Program } from '../program.js';
import { emptyYoungGeneration } from '../../util/idleScavenge.js';
import type { Inspector } from './inspector.js';
import { warmTypes } from './warmUp.js';

/** At most this many breakpoint addresses are resolved ahead (each takes about a millisecond, more in a large compile unit). */
const MAX_SITES = 16;
/** How long a step's evaluate rounds run (at least one round), after its address: a stop that comes meanwhile waits for them. */
const ROUNDS_MS = 0.5;

/**
 * Resolves the scope and the variables' types at each breakpoint address, one
 * address per turn of the event loop, while the program runs; it stops at
 * the first stop (or exit), leaving the rest to the stop that needs it. With
 * `inspector`, its evaluate path is run there too (Inspector.warmEvaluateAt),
 * and again in rounds at the first address; with `show`, the Variables view
 * of a stop there (VariablesView.warmAt).
 */
export function warmBreakpointScopes(program: Program, inspector?: Inspector, show?: (pc: number) => (() => boolean) | undefined): void {
  const dw = program.symbols.dwarf;
  if (!dw) return;
  const pcs = [...new Set(program.breakpoints.all().flatMap((b) => b.addrs))].slice(0, MAX_SITES);
  let next = 0;
  // A scavenge (1-3 ms) takes a turn as this chain's other steps do, after the stops already reported are handled (a hit
  // seen first is not made to wait for it). Not only in quiet stretches (warmUpStart.ts's QUIET_MS): timed runs on the
  // loaded VM then found the young generation 1.5 of 2 MB full at benchstruct's stop again, and a scavenge inside
  // vars.struct.deep's requests in 7 of 9 runs (0 of 9 with scavenges in every turn of this chain).
  const scavenged = (): boolean => {
    program.collectStops();
    return program.running && emptyYoungGeneration();
  };
  // The next of the first address's later evaluate rounds (Inspector.warmEvaluateAt); 0 when there is none.
  let round = 0;
  const rounds = (): void => {
    const until = performance.now() + ROUNDS_MS;
    do round = inspector?.warmEvaluateAt(pcs[0]!, round) ? round + 1 : 0;
    while (round > 0 && performance.now() < until);
  };
  const step = (): void => {
    if ((next >= pcs.length && round === 0) || !program.running) return;
    // The warm-ups' garbage, collected in a turn of its own (idleScavenge.ts): a stop then finds the young generation nearly empty.
    if (scavenged()) {
      setImmediate(step);
      return;
    }
    let pc: number | undefined;
    if (next < pcs.length) {
      pc = pcs[next++]!;
      try {
        // Frame 0 of a thread stopped at a breakpoint: the PC itself, the innermost inlined call (the key frameScope keeps).
        const s = frameScope(dw, { tid: 0, pc, cfa: 0, inlineIndex: 0 });
        if (s) warmTypes(dw, s.vars);
        if (inspector?.warmEvaluateAt(pc) && next === 1) round = 1;
      } catch {
        /* what fails to decode is reported by the request that needs it */
      }
    }
    try {
      if (round > 0) rounds();
    } catch {
      round = 0;
    }
    // Then the Variables view of a stop there (`show`'s stepper), one step per turn.
    let more: (() => boolean) | undefined;
    try {
      more = pc === undefined ? undefined : show?.(pc);
    } catch {
      more = undefined;
    }
    const showing = (): void => {
      if (!program.running) return;
      if (scavenged()) {
        setImmediate(showing);
        return;
      }
      let again = false;
      try {
        again = more!();
      } catch {
        again = false;
      }
      setImmediate(again ? showing : step);
    };
    setImmediate(more ? showing : step);
  };
  setImmediate(step);
}
