import type { Context } from "grammy";
import { leaveToday, setLeave } from "../app/leave.js";
import { loadPerson } from "../app/people.js";
import { afterTurn } from "../bot/after-turn.js";
import type { AppDeps } from "../bot/context.js";
import { announceLeaves, leaveSetText, refreshHolderCards, tellOfLeave } from "../bot/leave.js";
import { t } from "../bot/texts.js";
import { tp } from "../bot/texts-people.js";
import { displayName } from "../domain/access.js";
import { parseLeave } from "../domain/leave.js";
import { askText, type Flow, SKIP } from "./ask.js";

/**
 * «В отпуске до …»: the leave's last day, or its first and last for one planned ahead, asked until it
 * reads as days from today to a year ahead (what is typed after /leave is taken at once if it can be).
 * The person's own, or anyone's by an admin, whose rights are checked again as it is saved. The work
 * chat hears of the posts held as the leave begins (bot/leave.ts).
 */
export function leaveFlow(deps: AppDeps) {
  return async function leaveDialogue(
    conversation: Flow,
    ctx: Context,
    actorId: number,
    personId: number,
    typed?: string,
  ): Promise<void> {
    const today = await conversation.external(() => leaveToday(deps));
    const person = await conversation.external(() => {
      const found = loadPerson(deps.db, personId);
      return found && { name: displayName(found) };
    });
    if (!person) {
      await ctx.reply(tp.refusal.notFound);
      return;
    }
    const check = (text: string) => {
      const parsed = parseLeave(text, today);
      return parsed.ok ? undefined : tp.leave.bad[parsed.reason];
    };
    const own = actorId === personId;
    const prompt = own ? tp.leave.askOwn : tp.leave.askFor(person.name);
    const text = await askText(conversation, ctx, prompt, { check, typed });
    if (text === SKIP) return;
    const parsed = parseLeave(text, today);
    if (!parsed.ok) return;
    const { leave } = parsed;
    const result = await conversation.external((outer) =>
      outer.person?.id === actorId
        ? setLeave(deps.db, { actorId, personId, leave, today, now: deps.clock.now() })
        : undefined,
    );
    if (!result?.ok) {
      await ctx.reply(result?.refusal === "not_found" ? tp.refusal.notFound : t.refusal);
      return;
    }
    const done = await conversation.external(() =>
      leaveSetText(deps, personId, own ? null : person.name, leave),
    );
    await ctx.reply(done);
    const told = !own && result.changed ? result.person.telegramId : undefined;
    await conversation.external((outer) =>
      afterTurn(outer, "leave", async () => {
        if (told !== undefined) await tellOfLeave(deps, outer.api, told, tp.leave.setByAdmin(leave));
        await refreshHolderCards(deps, outer.api, personId);
        await announceLeaves(deps, outer.api);
      }),
    );
  };
}
