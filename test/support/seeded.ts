import { pino } from "pino";
import type { Harness } from "./bot-harness.js";

/** Deterministic randomness (mulberry32), so a failure of a randomized test can be replayed. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Errors the bot logs from now on (its error boundary logs «update failed» before apologizing), and
 * the logger that collects them, for the timed jobs a test runs itself.
 */
export function recordErrors(h: Harness): { errors: string[]; log: pino.Logger } {
  const errors: string[] = [];
  const log = pino({ level: "error" }, { write: (line: string) => errors.push(line) });
  Object.assign(h.app, { log });
  return { errors, log };
}
