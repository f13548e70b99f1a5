/**
 * «Направить» / «Переназначить»: the curator picks organizations (a paged, searchable list where each
 * press toggles one), the lead among several (the rest are co-executors in the order chosen, Orenburg
 * p.14), and for an important post may shorten the answer deadline (Orenburg p.6). The incident is
 * routed only if nobody changed it meanwhile.
 */
import type { Context } from "grammy";
import { InlineKeyboard } from "grammy";
import { loadIncident, routeIncident } from "../app/incidents.js";
import { listOrganizations } from "../app/organizations.js";
import { cb } from "../bot/callback-data.js";
import { syncCards } from "../bot/cards.js";
import type { AppDeps } from "../bot/context.js";
import { cardDeps, showCardIn } from "../bot/delivery.js";
import { buttonLabel, organizationName } from "../bot/keyboards.js";
import { tr } from "../bot/texts-incidents.js";
import type { Db } from "../db/client.js";
import { type Flow, waitForAnswer } from "./ask.js";

/** Shortened answer deadlines offered to the curator, in working hours. */
const SHORTEN_HOURS = [2, 4, 6];

interface Chosen {
  id: number;
  name: string;
}

type Page = ReturnType<typeof searchPage>;

/**
 * One page of active organizations matching the curator's search. Only plain fields: what a
 * conversation keeps for its replay must survive JSON.
 */
function searchPage(db: Db, search: string, page: number) {
  const result = listOrganizations(db, { activeOnly: true, search, page });
  return { ...result, items: result.items.map(({ id, name, shortName }) => ({ id, name, shortName })) };
}

function pickerKeyboard(view: Page, chosen: Chosen[], query: string): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const org of view.items) {
    const mark = chosen.some((c) => c.id === org.id) ? "✅ " : "";
    keyboard.text(buttonLabel(`${mark}${organizationName(org)}`), cb("rt.t", org.id)).row();
  }
  if (view.pages > 1) {
    if (view.page > 0) keyboard.text("◀", cb("rt.p", view.page - 1));
    keyboard.text(`${view.page + 1}/${view.pages}`, cb("rt.noop"));
    if (view.page < view.pages - 1) keyboard.text("▶", cb("rt.p", view.page + 1));
    keyboard.row();
  }
  keyboard.text(query ? tr.route.showAll : tr.route.find, cb(query ? "rt.all" : "rt.find")).row();
  return keyboard.text(tr.route.done, cb("rt.done")).text(tr.route.cancel, cb("rt.cancel"));
}

/**
 * The next press of one of this dialogue's buttons. A command leaves the dialogue (and is handled);
 * another card's button or group chatter passes by. Text is returned only when `acceptText` is set.
 */
async function nextPress(
  conversation: Flow,
  acceptText: (ctx: Context) => boolean,
): Promise<{ ctx: Context; data: string } | { ctx: Context; text: string }> {
  for (;;) {
    const ctx = await waitForAnswer(conversation);
    const data = ctx.callbackQuery?.data;
    if (data?.startsWith("rt.")) return { ctx, data };
    if (data !== undefined) await conversation.skip({ next: true });
    const text = ctx.message?.text?.trim();
    if (text === "/cancel") return { ctx, data: "rt.cancel" };
    if (text?.startsWith("/")) await conversation.halt({ next: true });
    if (text !== undefined && acceptText(ctx)) return { ctx, text };
    await conversation.skip({ next: true });
  }
}

/** Waits for one of the menu's buttons (`parse` knows which); «Отмена» or /cancel ends the dialogue. */
async function choose<T>(
  conversation: Flow,
  parse: (data: string) => T | undefined,
): Promise<{ value: T } | { cancelled: Context }> {
  for (;;) {
    const press = await nextPress(conversation, () => false);
    if (!("data" in press)) continue;
    if (press.data === "rt.cancel") return { cancelled: press.ctx };
    await press.ctx.answerCallbackQuery();
    const value = parse(press.data);
    if (value !== undefined) return { value };
  }
}

export function routeFlow(deps: AppDeps) {
  return async function routeIncidentDialog(conversation: Flow, ctx: Context, incidentId: number) {
    const start = await conversation.external(() => {
      const incident = loadIncident(deps.db, incidentId);
      return incident && { version: incident.row.version, importance: incident.row.importance };
    });
    if (!start) {
      await ctx.reply(tr.notFoundNumber(incidentId));
      return;
    }
    const chosen: Chosen[] = [];
    let query = "";
    let view = await conversation.external(() => searchPage(deps.db, query, 0));
    if (view.items.length === 0) {
      await ctx.reply(tr.route.noOrganizations);
      return;
    }
    const render = () => ({
      text: tr.route.pick(
        incidentId,
        chosen.map((c) => c.name),
        query,
        view.items.length === 0,
      ),
      keyboard: pickerKeyboard(view, chosen, query),
    });
    let shown = render();
    let menu = await ctx.reply(shown.text, { reply_markup: shown.keyboard });
    const refresh = async () => {
      const next = render();
      if (JSON.stringify(next) === JSON.stringify(shown)) return;
      shown = next;
      await ctx.api.editMessageText(menu.chat.id, menu.message_id, shown.text, {
        reply_markup: shown.keyboard,
      });
    };
    const cancel = async (at: Context) => {
      await ctx.api.editMessageText(menu.chat.id, menu.message_id, tr.cancelled);
      if (at.callbackQuery) await at.answerCallbackQuery();
    };

    let searching = false;
    for (;;) {
      const press = await nextPress(conversation, (at) => searching || at.chat?.type === "private");
      if ("text" in press) {
        query = press.text.slice(0, 100);
        searching = false;
        view = await conversation.external(() => searchPage(deps.db, query, 0));
        await ctx.api.editMessageReplyMarkup(menu.chat.id, menu.message_id, {
          reply_markup: new InlineKeyboard(),
        });
        shown = render();
        menu = await press.ctx.reply(shown.text, { reply_markup: shown.keyboard });
        continue;
      }
      const { ctx: at, data } = press;
      if (data === "rt.cancel") return await cancel(at);
      if (data === "rt.done" && chosen.length === 0) {
        await at.answerCallbackQuery({ text: tr.route.noneChosen, show_alert: true });
        continue;
      }
      if (data === "rt.done") {
        await at.answerCallbackQuery();
        break;
      }
      await at.answerCallbackQuery();
      const [action, arg] = data.split(":");
      const n = Number(arg);
      if (action === "rt.find") {
        searching = true;
        await at.reply(tr.route.askSearch);
        continue;
      }
      if (action === "rt.t") {
        const index = chosen.findIndex((c) => c.id === n);
        const org = view.items.find((o) => o.id === n);
        if (index >= 0) chosen.splice(index, 1);
        else if (org) chosen.push({ id: org.id, name: org.name });
      } else if (action === "rt.p" || action === "rt.all") {
        if (action === "rt.all") query = "";
        const page = action === "rt.p" ? n : 0;
        view = await conversation.external(() => searchPage(deps.db, query, page));
      }
      await refresh();
    }

    let leadId = (chosen[0] as Chosen).id;
    if (chosen.length > 1) {
      const keyboard = new InlineKeyboard();
      for (const c of chosen) keyboard.text(buttonLabel(c.name), cb("rt.lead", c.id)).row();
      keyboard.text(tr.route.cancel, cb("rt.cancel"));
      await ctx.api.editMessageText(
        menu.chat.id,
        menu.message_id,
        tr.route.chooseLead(
          incidentId,
          chosen.map((c) => c.name),
        ),
        { reply_markup: keyboard },
      );
      const picked = await choose(conversation, (data) => chosen.find((c) => cb("rt.lead", c.id) === data));
      if ("cancelled" in picked) return await cancel(picked.cancelled);
      leadId = picked.value.id;
    }

    let shortenedAnswerMinutes: number | null | undefined;
    const rule = deps.sla.regulation.steps.answer;
    const fullMinutes = rule.unit === "workingHours" ? (rule.duration ?? 0) * 60 : (rule.duration ?? 0);
    const offered = SHORTEN_HOURS.filter((hours) => hours * 60 < fullMinutes);
    if (rule.curatorMayShorten && start.importance !== "normal" && offered.length > 0) {
      const keyboard = new InlineKeyboard();
      for (const hours of offered) keyboard.text(tr.route.shortenTo(hours), cb("rt.cut", hours * 60));
      keyboard.row().text(tr.route.noShorten, cb("rt.cut", 0)).row().text(tr.route.cancel, cb("rt.cancel"));
      await ctx.api.editMessageText(
        menu.chat.id,
        menu.message_id,
        tr.route.askShorten(incidentId, fullMinutes / 60, rule.clause),
        { reply_markup: keyboard },
      );
      const cut = await choose(conversation, (data) => /^rt\.cut:(\d+)$/.exec(data)?.[1]);
      if ("cancelled" in cut) return await cancel(cut.cancelled);
      shortenedAnswerMinutes = Number(cut.value) || null;
    }

    const lead = chosen.find((c) => c.id === leadId) as Chosen;
    const coexecutors = chosen.filter((c) => c.id !== leadId);
    const outcome = await conversation.external(async (outer) => {
      if (!outer.person) return "gone" as const;
      const result = routeIncident(deps.db, {
        incidentId,
        expectedVersion: start.version,
        leadId,
        coexecutorIds: coexecutors.map((c) => c.id),
        actor: outer.person,
        now: deps.clock.now(),
        ...(shortenedAnswerMinutes !== undefined ? { shortenedAnswerMinutes } : {}),
      });
      if (!result.ok) return result.refusal;
      await syncCards(cardDeps(deps, outer.api), result.incident);
      return "routed" as const;
    });
    const summary =
      outcome === "routed"
        ? tr.route.routed(
            incidentId,
            lead.name,
            coexecutors.map((c) => c.name),
            shortenedAnswerMinutes ? shortenedAnswerMinutes / 60 : null,
          )
        : outcome === "changed"
          ? tr.route.changed(incidentId)
          : outcome === "forbidden"
            ? tr.route.notCurator
            : tr.closed(incidentId);
    await ctx.api.editMessageText(menu.chat.id, menu.message_id, summary);
    if (outcome === "changed") {
      await conversation.external((outer) =>
        showCardIn(deps, outer.api, incidentId, menu.chat.id, outer.person),
      );
    }
  };
}
