import { Composer, Context, type Middleware } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { describe, expect, it } from "vitest";
import { Features } from "../../src/bot/composer.js";

const me = { id: 1, is_bot: true, first_name: "Бот", username: "bot" } as UserFromGetMe;
const inGroup = (text: string): Update => ({
  update_id: 1,
  message: {
    message_id: 1,
    date: 0,
    chat: { id: -5, type: "group", title: "Кураторы" },
    from: { id: 7, is_bot: false, first_name: "Ольга" },
    text,
    ...(text.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: text.length }] } : {}),
  },
});
const pressed = (data: string): Update => ({
  update_id: 2,
  callback_query: {
    id: "q",
    chat_instance: "c",
    data,
    from: { id: 7, is_bot: false, first_name: "Ольга" },
  },
});

/**
 * Runs `setup` on grammY's own Composer and on Features, each update through both: what ran, in
 * order, and how the handling ended, must be the same.
 */
async function sideBySide(setup: (composer: Composer<Context>, log: string[]) => void, updates: Update[]) {
  const run = async (composer: Composer<Context>) => {
    const log: string[] = [];
    setup(composer, log);
    for (const update of updates) {
      const ctx = new Context(update, {} as never, me);
      await Promise.resolve(composer.middleware()(ctx, async () => void log.push("past the end"))).then(
        () => log.push("handled"),
        (error: Error) => log.push(`failed: ${error.message}`),
      );
    }
    return log;
  };
  const grammy = await run(new Composer<Context>());
  expect(await run(new Features<Context>())).toEqual(grammy);
  return grammy;
}

describe("Features: grammY's Composer with filters built once", () => {
  it("routes presses, commands and texts to the same handlers in the same order, late middleware included", async () => {
    const log = await sideBySide(
      (c, log) => {
        const group = c.chatType("group");
        c.callbackQuery(/^inc\.ok:(\d+)$/, async (ctx) => void log.push(`approve ${ctx.match[1]}`));
        c.command("list", () => void log.push("list"));
        c.on("message:text", async (_ctx, next) => {
          log.push("text seen");
          await next();
        });
        // Added to a filter's composer after registration: it runs, as grammY's does.
        group.on("message:text").use(async (_ctx, next) => {
          log.push("group text");
          await next();
        });
        c.drop(
          async (ctx) => ctx.callbackQuery !== undefined,
          () => void log.push("not a press"),
        );
      },
      [pressed("inc.ok:17"), pressed("junk"), inGroup("/list"), inGroup("привет")],
    );
    expect(log).toEqual([
      "approve 17",
      "handled",
      "past the end",
      "handled",
      "group text",
      "list",
      "handled",
      "group text",
      "text seen",
      "not a press",
      "handled",
    ]);
  });

  it("a handler's synchronous throw, a rejection and a second `next` all fail the update: the error boundary sees them", async () => {
    const throwing: Middleware<Context> = () => {
      throw new Error("sync");
    };
    const log = await sideBySide(
      (c, log) => {
        const guarded = new Composer<Context>();
        guarded.callbackQuery("a", throwing);
        c.errorBoundary((error) => void log.push(`boundary: ${(error.error as Error).message}`), guarded);
        c.callbackQuery("b", throwing);
        c.callbackQuery("c", async () => Promise.reject(new Error("async")));
        c.callbackQuery("d", async (_ctx, next) => {
          await next();
          await next();
        });
        c.use((_ctx, next) => next());
      },
      [pressed("a"), pressed("b"), pressed("c"), pressed("d")],
    );
    expect(log).toEqual([
      "boundary: sync",
      "handled",
      "failed: sync",
      "failed: async",
      "past the end",
      "failed: `next` already called before!",
    ]);
  });

  it("waits for what a handler returns, a thenable too, and takes a predicate's promised answer", async () => {
    /** Settles 5 ms later, as a query builder awaited would. */
    const later = (value: boolean, done = () => {}) => ({
      // biome-ignore lint/suspicious/noThenProperty: a thenable, not a promise, is the point
      then: (resolve: (v: boolean) => void) =>
        setTimeout(() => {
          done();
          resolve(value);
        }, 5),
    });
    const log = await sideBySide(
      (c, log) => {
        c.filter(
          () => later(false) as unknown as boolean,
          () => void log.push("never"),
        );
        c.use(() => later(true, () => log.push("thenable done")) as unknown as Promise<void>);
      },
      [pressed("x")],
    );
    expect(log).toEqual(["thenable done", "handled"]);
  });
});
