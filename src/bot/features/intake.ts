import { Composer } from "grammy";
import type { AppDeps, BotContext } from "../context.js";

/** Registering posts: /new, forwarded posts and links, duplicates, repeats, toxic and threats. */
export function intakeFeature(_deps: AppDeps): Composer<BotContext> {
  return new Composer<BotContext>();
}
