/**
 * Tasks of one key run one after another, each once the earlier ones have ended (failed ones too);
 * tasks of different keys run side by side. One incident's card syncs (bot/cards.ts) and one post's
 * announcements (http/intake.ts) go so: two of them crossing could leave the older one last.
 */
export class OneAtATime<K> {
  readonly #latest = new Map<K, Promise<void>>();

  /** Runs `task` in its key's turn; the result is the task's own. */
  run<T>(key: K, task: () => Promise<T>): Promise<T> {
    const turn = (this.#latest.get(key) ?? Promise.resolve()).then(task);
    const ended = turn.then(
      () => undefined,
      () => undefined,
    );
    this.#latest.set(key, ended);
    void ended.then(() => {
      if (this.#latest.get(key) === ended) this.#latest.delete(key);
    });
    return turn;
  }

  /** Whether a task of the key is waiting or running. */
  pending(key: K): boolean {
    return this.#latest.has(key);
  }
}

/** Waits for the promises (which never reject), at most `ms`. */
export async function settled(promises: Iterable<Promise<unknown>>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([Promise.all(promises), timeout]);
  clearTimeout(timer);
}
