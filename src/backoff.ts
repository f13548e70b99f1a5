/**
 * Something tried again and again (a chat that keeps refusing, say) is tried after 1, 2, 4… minutes,
 * at most hourly, not every minute. Kept in memory: after a restart each is tried at once again.
 */
export class Backoff<K> {
  readonly #next = new Map<K, { attempts: number; at: number }>();

  /**
   * Of the keys still waiting, those whose turn it is now, each counted as tried; `busy` ones are
   * passed over uncounted. Keys no longer waiting are forgotten.
   */
  due(waiting: readonly K[], now: number, busy: (key: K) => boolean = () => false): K[] {
    const still = new Set(waiting);
    for (const key of this.#next.keys()) if (!still.has(key)) this.#next.delete(key);
    const due: K[] = [];
    for (const key of waiting) {
      const retry = this.#next.get(key) ?? { attempts: 0, at: now };
      if (busy(key) || retry.at > now) continue;
      this.#next.set(key, {
        attempts: retry.attempts + 1,
        at: now + Math.min(2 ** retry.attempts, 60) * 60_000,
      });
      due.push(key);
    }
    return due;
  }
}
