import { AsyncLocalStorage } from "node:async_hooks";

/**
 * One AsyncLocalStorage for everything that travels with an update's handling: the update itself
 * (app/update-scope.ts), what it announces after its chat's turn (bot/after-turn.ts) and whether a
 * dialogue's call reached the network (bot/replay-aware-retry.ts). On Node 20 every storage in use
 * copies its value into each promise the process makes; three of them cost a «Согласовать» press
 * measurably more of the bot's thread than one holding the three values.
 */
const storage = new AsyncLocalStorage<Readonly<Record<symbol, unknown>>>();

/** One value kept in the shared storage, with AsyncLocalStorage's `run` and `getStore`. */
export interface AsyncSlot<T> {
  /** Runs `fn` with this slot set to `value`; the other slots keep the values they have here. */
  run<R>(value: T, fn: () => R): R;
  /** The value this slot has in the running async context, if any. */
  getStore(): T | undefined;
}

export function asyncSlot<T>(name: string): AsyncSlot<T> {
  const key = Symbol(name);
  return {
    run: (value, fn) => storage.run({ ...storage.getStore(), [key]: value }, fn),
    getStore: () => storage.getStore()?.[key] as T | undefined,
  };
}
