import type { Context } from "grammy";
import { setOfficialName } from "../app/official-name.js";
import { loadPerson } from "../app/people.js";
import { afterTurn } from "../bot/after-turn.js";
import type { AppDeps } from "../bot/context.js";
import { sendLong } from "../bot/delivery.js";
import { refreshHolderCards } from "../bot/leave.js";
import { t } from "../bot/texts.js";
import { tp } from "../bot/texts-people.js";
import { displayName, telegramName } from "../domain/access.js";
import { parseOfficialName, shortOfficialName } from "../domain/official-name.js";
import { askText, type Flow, SKIP } from "./ask.js";

/**
 * The official name («Фамилия Имя Отчество») reports and cards give: asked until it reads as one
 * (what is typed after /name is taken at once if it can be), «Удалить» going back to the Telegram
 * name. The person's own, or anyone's by an admin, whose rights are checked again as it is saved. The
 * person whose name an admin set hears of it quietly, and the cards of the posts he holds name him anew.
 */
export function officialNameFlow(deps: AppDeps) {
  return async function officialNameDialogue(
    conversation: Flow,
    ctx: Context,
    actorId: number,
    personId: number,
    typed?: string,
  ): Promise<void> {
    const person = await conversation.external(() => {
      const found = loadPerson(deps.db, personId);
      return (
        found && { name: displayName(found), telegram: telegramName(found), official: found.officialName }
      );
    });
    if (!person) {
      await ctx.reply(tp.refusal.notFound);
      return;
    }
    const check = (text: string) => {
      const parsed = parseOfficialName(text);
      return parsed.ok ? undefined : tp.officialName.bad[parsed.reason];
    };
    const own = actorId === personId;
    const prompt = own
      ? tp.officialName.askOwn(person.official, person.telegram)
      : tp.officialName.askFor(person.name, person.official);
    // «Удалить»: back to the Telegram name, offered while an official one is set.
    const remove = person.official ? { optional: true, skipLabel: tp.officialName.button.remove } : {};
    const text = await askText(conversation, ctx, prompt, { check, typed, ...remove });
    const parsed = text === SKIP ? null : parseOfficialName(text);
    if (parsed && !parsed.ok) return;
    const name = parsed?.name ?? null;
    const result = await conversation.external((outer) =>
      outer.person?.id === actorId
        ? setOfficialName(deps.db, { actorId, personId, name, now: deps.clock.now() })
        : undefined,
    );
    if (!result?.ok) {
      await ctx.reply(result?.refusal === "not_found" ? tp.refusal.notFound : t.refusal);
      return;
    }
    const on = tp.officialName;
    if (own)
      await ctx.reply(name ? on.setOwn(name, shortOfficialName(name)) : on.removedOwn(person.telegram));
    else await ctx.reply(name ? on.setFor(name) : on.removedFor(person.telegram));
    if (!result.changed) return;
    const told = own ? undefined : result.person.telegramId;
    await conversation.external((outer) =>
      afterTurn(outer, "official name", async () => {
        if (told !== undefined) {
          const notice = name ? on.setByAdmin(name) : on.removedByAdmin;
          await sendLong(deps, outer.api, told, notice, undefined, { quiet: true, once: "name-by-admin" });
        }
        await refreshHolderCards(deps, outer.api, personId);
      }),
    );
  };
}
