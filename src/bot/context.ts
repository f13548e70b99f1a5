import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { Logger } from "pino";
import type { SlaRuntime } from "../app/sla.js";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import type { Person } from "../domain/access.js";
import type { RenderReports } from "../reports/render.js";

/** What the bot's handlers need from the rest of the application. */
export interface AppDeps {
  db: Db;
  clock: Clock;
  config: Pick<Config, "adminIds" | "inviteTtlDays" | "lawEnforcementChatId"> & { timezone: string };
  log: Logger;
  sla: SlaRuntime;
  /** Renders monthly reports (in a child process in production). */
  reports: RenderReports;
}

export type BotContext = ConversationFlavor<
  Context & {
    app: AppDeps;
    /** The registered person who sent this update, if any (re-read from the database on every update). */
    person: Person | undefined;
    log: Logger;
  }
>;
