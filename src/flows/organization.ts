import { type Context, InlineKeyboard } from "grammy";
import { loadIncident } from "../app/incidents.js";
import {
  createOrganization,
  getOrganization,
  openWorkOf,
  organizationNameTaken,
  renameOrganization,
  setShortName,
} from "../app/organizations.js";
import { afterTurn } from "../bot/after-turn.js";
import { cb } from "../bot/callback-data.js";
import { syncCards } from "../bot/cards.js";
import type { AppDeps, BotContext } from "../bot/context.js";
import { cardDeps } from "../bot/delivery.js";
import { t } from "../bot/texts.js";
import { ti } from "../bot/texts-intake.js";
import { can } from "../domain/access.js";
import {
  askText,
  type Flow,
  isCancel,
  pressedOn,
  removeButtons,
  SKIP,
  staleStep,
  waitForAnswer,
} from "./ask.js";

/**
 * Rights are read afresh for every update (identify), so the admin who started the dialogue is asked
 * again when it saves: one whose role was taken away meanwhile changes nothing.
 */
function stillAdmin(outer: BotContext, actorId: number): boolean {
  return outer.person?.id === actorId && can(outer.person, "manageOrganizations");
}

const checkLength = (text: string) => (text.length >= 2 && text.length <= 200 ? undefined : t.org.badName);

/**
 * A full or short name must be free; checked while asking, so the person can correct it at once. The
 * database is asked only for a name of the right length, as before short names were checked: a
 * dialogue begun then replays the same steps.
 */
function checkFreeName(conversation: Flow, deps: AppDeps, taken: string, exceptId?: number) {
  return async (text: string) =>
    checkLength(text) ??
    ((await conversation.external(() => organizationNameTaken(deps.db, text, exceptId))) ? taken : undefined);
}

const FINAL_REFUSAL = {
  name_taken: t.org.nameTakenFinal,
  short_name_taken: t.org.shortNameTakenFinal,
  not_found: t.org.notFound,
} as const;

/**
 * «Добавить орган»: full name, then an optional short name. A name typed after the command
 * (`/org_add Министерство …`) is taken as the full name; if it cannot be, the person is told why and
 * asked for it.
 */
export function addOrganizationFlow(deps: AppDeps) {
  return async function addOrganization(
    conversation: Flow,
    ctx: Context,
    actorId: number,
    typed?: string,
  ): Promise<void> {
    const check = checkFreeName(conversation, deps, t.org.nameTaken);
    const name = await askText(conversation, ctx, t.org.askName, { check, typed });
    if (name === SKIP) return;
    const shortName = await askText(conversation, ctx, t.org.askShortName, {
      optional: true,
      check: checkFreeName(conversation, deps, t.org.shortNameTaken),
    });
    const result = await conversation.external((outer) =>
      stillAdmin(outer, actorId)
        ? createOrganization(deps.db, {
            name,
            shortName: shortName === SKIP ? null : shortName,
            actorId,
            now: deps.clock.now(),
          })
        : undefined,
    );
    if (!result) await ctx.reply(t.refusal);
    else await ctx.reply(result.ok ? t.org.created(result.organization.name) : FINAL_REFUSAL[result.reason]);
  };
}

/**
 * «Переименовать»: asks the new name until it is free; then, the short name having been chosen for
 * the old one, whether to change it too.
 */
export function renameOrganizationFlow(deps: AppDeps) {
  return async function renameOrganizationDialog(
    conversation: Flow,
    ctx: Context,
    actorId: number,
    organizationId: number,
  ): Promise<void> {
    const current = await conversation.external(() => getOrganization(deps.db, organizationId)?.name);
    if (current === undefined) {
      await ctx.reply(t.org.notFound);
      return;
    }
    const check = checkFreeName(conversation, deps, t.org.nameTaken, organizationId);
    const name = await askText(conversation, ctx, t.org.askNewName(current), { check });
    if (name === SKIP) return;
    const result = await conversation.external((outer) =>
      stillAdmin(outer, actorId)
        ? renameOrganization(deps.db, { id: organizationId, name, actorId, now: deps.clock.now() })
        : undefined,
    );
    if (!result) await ctx.reply(t.refusal);
    else if (result.ok) await ctx.reply(t.org.renamed(result.organization.name));
    else await ctx.reply(FINAL_REFUSAL[result.reason]);
    if (!result?.ok) return;
    await conversation.external((outer) => refreshCardsOf(deps, outer, organizationId));
    const { shortName } = result.organization;
    if (shortName && (await changeShortName(conversation, ctx, shortName)))
      await askShortName(conversation, ctx, deps, actorId, organizationId, {
        name: result.organization.name,
        shortName,
      });
  };
}

/**
 * «Краткое название сейчас «Минобр» — изменить?», after a rename. Another message's button is
 * handled as without the dialogue; a command or «отмена» leaves the short name as it is.
 */
async function changeShortName(conversation: Flow, ctx: Context, shortName: string): Promise<boolean> {
  const keyboard = new InlineKeyboard()
    .text(t.org.buttonChangeShortName, cb("flow.short", "change"))
    .text(t.org.buttonKeepShortName, cb("flow.short", "keep"));
  const question = await ctx.reply(t.org.shortNameAfterRename(shortName), { reply_markup: keyboard });
  for (;;) {
    const answer = await waitForAnswer(conversation);
    const data = answer.callbackQuery?.data;
    if (data?.startsWith("flow.short:")) {
      if (!pressedOn(answer, question)) {
        await staleStep(answer);
        continue;
      }
      await answer.answerCallbackQuery();
      await removeButtons(answer, question);
      if (data === cb("flow.short", "change")) return true;
      await answer.reply(t.org.shortNameKept(shortName));
      return false;
    }
    if (data !== undefined) await conversation.skip({ next: true });
    const text = answer.message?.text?.trim();
    if (isCancel(text)) {
      await answer.reply(t.org.shortNameKept(shortName));
      return false;
    }
    if (text?.startsWith("/")) await conversation.halt({ next: true });
    await answer.reply(ti.useButtons);
  }
}

/** The cards of the organization's open posts, which name it, show its new name (after the reply). */
export function refreshCardsOf(deps: AppDeps, outer: BotContext, organizationId: number): void {
  afterTurn(outer, "organization's cards", async () => {
    for (const { incidentId } of openWorkOf(deps.db, organizationId)) {
      const incident = loadIncident(deps.db, incidentId);
      if (incident) await syncCards(cardDeps(deps, outer.api), incident);
    }
  });
}

/** «Краткое название»: a new one, checked free as it is typed; one there may be removed instead. */
export function shortNameFlow(deps: AppDeps) {
  return async function shortNameDialog(
    conversation: Flow,
    ctx: Context,
    actorId: number,
    organizationId: number,
  ): Promise<void> {
    const current = await conversation.external(() => {
      const organization = getOrganization(deps.db, organizationId);
      return organization && { name: organization.name, shortName: organization.shortName };
    });
    if (current === undefined) {
      await ctx.reply(t.org.notFound);
      return;
    }
    await askShortName(conversation, ctx, deps, actorId, organizationId, current);
  };
}

/** Asks the organization's new short name (or to remove the one it has) and sets it. */
async function askShortName(
  conversation: Flow,
  ctx: Context,
  deps: AppDeps,
  actorId: number,
  organizationId: number,
  current: { name: string; shortName: string | null },
): Promise<void> {
  const shortName = await askText(conversation, ctx, t.org.askNewShortName(current.name, current.shortName), {
    optional: current.shortName !== null,
    skipLabel: t.org.removeShortName,
    check: checkFreeName(conversation, deps, t.org.newShortNameTaken, organizationId),
  });
  const result = await conversation.external((outer) =>
    stillAdmin(outer, actorId)
      ? setShortName(deps.db, {
          id: organizationId,
          shortName: shortName === SKIP ? null : shortName,
          actorId,
          now: deps.clock.now(),
        })
      : undefined,
  );
  if (!result) await ctx.reply(t.refusal);
  else if (!result.ok) await ctx.reply(FINAL_REFUSAL[result.reason]);
  else await ctx.reply(t.org.shortNameSet(result.organization.name, result.organization.shortName));
  if (result?.ok) await conversation.external((outer) => refreshCardsOf(deps, outer, organizationId));
}
