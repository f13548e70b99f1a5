import { Composer } from "grammy";
import type { AppDeps, BotContext } from "../context.js";

/** Routing, executors' actions on cards, lists, search and history. */
export function incidentsFeature(_deps: AppDeps): Composer<BotContext> {
  return new Composer<BotContext>();
}
