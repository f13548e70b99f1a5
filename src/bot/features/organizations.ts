import { Composer, InlineKeyboard } from "grammy";
import { chatOfOrganization, findBoundChat } from "../../app/chats.js";
import { getOrganization, importOrganizations, setOrganizationActive } from "../../app/organizations.js";
import { telegramIdsOfMembers } from "../../app/people.js";
import { ImportFileError, parseOrganizationsFile } from "../../domain/organization-import.js";
import { cb, ID, onAction } from "../callback-data.js";
import type { BotContext } from "../context.js";
import { organizationPicker } from "../keyboards.js";
import { requirePermission, requirePrivate } from "../refuse.js";
import { IMPORT_FILE_PROBLEMS, t } from "../texts.js";

export const organizations = new Composer<BotContext>();
const admin = requirePermission("manageOrganizations");
const MAX_FILE_BYTES = 1024 * 1024;

organizations.command("orgs", requirePrivate, admin, async (ctx) => {
  const { keyboard, empty } = organizationPicker(ctx.app.db, {
    page: 0,
    pickAction: "org.open",
    pageAction: "org.page",
  });
  if (empty) await ctx.reply(t.org.listEmpty);
  else await ctx.reply(t.org.listTitle(0, pageCount(keyboard)), { reply_markup: keyboard });
});

function pageCount(keyboard: InlineKeyboard): number {
  const pager = keyboard.inline_keyboard
    .at(-1)
    ?.find((b) => "callback_data" in b && b.callback_data === "noop");
  return pager ? Number(pager.text.split("/")[1]) : 1;
}

organizations.callbackQuery(onAction("org.page", [ID]), admin, async (ctx) => {
  const page = Number(ctx.match[1]);
  const { keyboard } = organizationPicker(ctx.app.db, {
    page,
    pickAction: "org.open",
    pageAction: "org.page",
  });
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(t.org.listTitle(page, pageCount(keyboard)), { reply_markup: keyboard });
});

organizations.callbackQuery("noop", (ctx) => ctx.answerCallbackQuery());

async function showCard(ctx: BotContext, organizationId: number, toast?: string): Promise<void> {
  const { db } = ctx.app;
  const org = getOrganization(db, organizationId);
  if (!org) {
    await ctx.answerCallbackQuery({ text: t.org.notFound, show_alert: true });
    return;
  }
  const chatId = chatOfOrganization(db, org.id);
  const chatTitle = chatId === undefined ? null : (findBoundChat(db, chatId)?.title ?? null);
  const members = telegramIdsOfMembers(db, [org.id]).length;
  const keyboard = new InlineKeyboard()
    .text(t.org.buttonRename, cb("org.ren", org.id))
    .text(
      org.active ? t.org.buttonDeactivate : t.org.buttonActivate,
      cb(org.active ? "org.off" : "org.on", org.id),
    )
    .row()
    .text(t.org.buttonBack, cb("org.page", 0));
  await ctx.answerCallbackQuery(toast === undefined ? {} : { text: toast });
  await ctx.editMessageText(t.org.card(org.name, org.shortName, org.active, chatTitle, members), {
    reply_markup: keyboard,
  });
}

organizations.callbackQuery(onAction("org.open", [ID]), admin, (ctx) => showCard(ctx, Number(ctx.match[1])));

organizations.callbackQuery(onAction("org.(on|off)", [ID]), admin, async (ctx) => {
  const { db, clock } = ctx.app;
  const active = ctx.match[1] === "on";
  const id = Number(ctx.match[2]);
  const result = setOrganizationActive(db, { id, active, actorId: ctx.person?.id ?? 0, now: clock.now() });
  if (!result.ok) {
    await ctx.answerCallbackQuery({ text: t.org.notFound, show_alert: true });
    return;
  }
  const { name } = result.organization;
  await showCard(ctx, id, active ? t.org.activated(name) : t.org.deactivated(name));
});

organizations.callbackQuery(onAction("org.ren", [ID]), admin, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.conversation.exitAll();
  await ctx.conversation.enter("renameOrganization", ctx.person?.id, Number(ctx.match[1]));
});

organizations.command("org_add", requirePrivate, admin, async (ctx) => {
  await ctx.conversation.exitAll();
  await ctx.conversation.enter("addOrganization", ctx.person?.id);
});

organizations.chatType("private").on("message:document", admin, async (ctx) => {
  const document = ctx.message.document;
  const fileName = document.file_name ?? "file";
  if (!/\.(csv|json|txt)$/i.test(fileName)) {
    await ctx.reply(t.importReport.wrongType);
    return;
  }
  if ((document.file_size ?? 0) > MAX_FILE_BYTES) {
    await ctx.reply(t.importReport.tooBig);
    return;
  }
  const content = await download(ctx, document.file_id);
  let parsed: ReturnType<typeof parseOrganizationsFile>;
  try {
    parsed = parseOrganizationsFile(fileName, content);
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    const where = error.line === undefined ? "" : ` (строка ${error.line})`;
    await ctx.reply(t.importReport.fileError(IMPORT_FILE_PROBLEMS[error.problem] + where));
    return;
  }
  const { db, clock } = ctx.app;
  const report = importOrganizations(db, {
    ...parsed,
    actorId: ctx.person?.id ?? 0,
    now: clock.now(),
    fileName,
  });
  ctx.log.info(
    { created: report.created.length, updated: report.updated.length, rejected: report.rejected.length },
    "organizations imported",
  );
  const lines = [
    t.importReport.title(fileName),
    t.importReport.created(report.created),
    t.importReport.updated(report.updated),
    t.importReport.unchanged(report.unchanged.length),
    t.importReport.rejectedTitle(report.rejected.length),
    ...report.rejected.map((r) => `• ${t.importReport.rejected(r.line, r.name, r.problem)}`),
  ];
  await replyLong(ctx, lines.join("\n"));
});

async function download(ctx: BotContext, fileId: string): Promise<string> {
  const file = await ctx.api.getFile(fileId);
  const root = ctx.api.options?.apiRoot ?? "https://api.telegram.org";
  const response = await fetch(`${root}/file/bot${ctx.api.token}/${file.file_path}`);
  if (!response.ok) throw new Error(`file download failed: HTTP ${response.status}`);
  return await response.text();
}

/** Telegram caps a message at 4096 characters; a long report is sent in parts, split by lines. */
async function replyLong(ctx: BotContext, text: string): Promise<void> {
  const parts: string[] = [];
  let current = "";
  for (const line of text.split("\n")) {
    const piece = line.length > 4000 ? `${line.slice(0, 3999)}…` : line;
    if (current.length + piece.length + 1 > 4000) {
      parts.push(current);
      current = "";
    }
    current = current ? `${current}\n${piece}` : piece;
  }
  if (current) parts.push(current);
  for (const part of parts) await ctx.reply(part);
}
