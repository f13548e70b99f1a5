import { Composer, type Context, type Middleware, type MiddlewareFn, type NextFunction } from "grammy";

type MaybePromise<T> = T | Promise<T>;

/**
 * grammY's Composer for the bot's handlers, run with less garbage per update (issue #9): a
 * «Согласовать» press passes some eighty filters (`on`, `callbackQuery`, `command`, …) before its
 * own handler, and grammY's Composer spends on each of them more than the test itself.
 *
 * - Its `branch`, under every filter, goes through `lazy`, which builds a new Composer with its
 *   chain and closures for each update it looks at (≈ 85 KiB a press); here both sides are built
 *   once, at registration.
 * - Its chain nests an async wrapper per middleware, two promises for each one an update passes;
 *   here the middleware are kept in an array and called one after another.
 *
 * The semantics stay grammY's: a Composer given to a branch, or returned by `use` or `filter`, still
 * runs what is added to it later (`chatType(…).on(…)`); a throw, synchronous or not, is a rejection
 * the error boundary catches; a middleware calling `next` twice fails. Two differences, neither used
 * by the bot: a middleware added while an update is handled runs for that update too, and an array
 * given to `branch` is read once. Each filter an update passes adds ≈ 8 frames to the stack instead
 * of grammY's 3 (≈ 270 at most for the bot's ≈ 250 middleware; Node's stack holds thousands).
 */
export class Features<C extends Context> extends Composer<C> {
  readonly #chain: MiddlewareFn<C>[];

  constructor(...middleware: Middleware<C>[]) {
    super();
    this.#chain = middleware.map(flatten);
  }

  override use(...middleware: Middleware<C>[]): Composer<C> {
    const composer = new Features<C>(...middleware);
    this.#chain.push((ctx, next) => runChain(composer.#chain, 0, ctx, next));
    return composer;
  }

  override middleware(): MiddlewareFn<C> {
    return (ctx, next) => runChain(this.#chain, 0, ctx, next);
  }

  override filter<D extends C>(predicate: (ctx: C) => ctx is D, ...middleware: Middleware<D>[]): Composer<D>;
  override filter(predicate: (ctx: C) => MaybePromise<boolean>, ...middleware: Middleware<C>[]): Composer<C>;
  override filter(predicate: (ctx: C) => MaybePromise<boolean>, ...middleware: Middleware<C>[]): Composer<C> {
    const composer = new Features<C>(...middleware);
    this.branch(predicate, composer, []);
    return composer;
  }

  override branch(
    predicate: (ctx: C) => MaybePromise<boolean>,
    trueMiddleware: Middleware<C> | Middleware<C>[],
    falseMiddleware: Middleware<C> | Middleware<C>[],
  ): Composer<C> {
    const yes = builtOnce(trueMiddleware);
    const no = builtOnce(falseMiddleware);
    return this.use((ctx, next) => {
      const chosen = predicate(ctx);
      if (typeof chosen === "boolean") return (chosen ? yes : no)(ctx, next);
      return Promise.resolve(chosen).then((ok) => (ok ? yes : no)(ctx, next));
    });
  }
}

function flatten<C extends Context>(middleware: Middleware<C>): MiddlewareFn<C> {
  return typeof middleware === "function" ? middleware : (ctx, next) => middleware.middleware()(ctx, next);
}

function builtOnce<C extends Context>(middleware: Middleware<C> | Middleware<C>[]): MiddlewareFn<C> {
  return Array.isArray(middleware) ? new Features(...middleware).middleware() : flatten(middleware);
}

/** Runs `chain` from `index` on; past its end, the `next` it was given. */
function runChain<C extends Context>(
  chain: MiddlewareFn<C>[],
  index: number,
  ctx: C,
  next: NextFunction,
): Promise<void> {
  const middleware = chain[index];
  if (middleware === undefined) return next();
  let called = false;
  try {
    const result = middleware(ctx, () => {
      if (called) return Promise.reject(new Error("`next` already called before!"));
      called = true;
      return runChain(chain, index + 1, ctx, next);
    });
    // A native promise comes back as it is; anything else (a thenable too) is awaited as grammY does.
    return Promise.resolve(result) as Promise<void>;
  } catch (error) {
    return Promise.reject(error);
  }
}
