/**
 * A draft answer as the curator sees it: its attachments first (albums, as Telegram allows them),
 * then its text with the buttons under it, so the buttons are the last thing in the chat.
 */

import { type Api, type InlineKeyboard, InputMediaBuilder } from "grammy";
import type { Message } from "grammy/types";
import type { Attachment } from "../db/schema.js";
import { clip } from "../domain/clip.js";
import { splitMessage } from "./delivery.js";

export interface DraftView {
  text: string;
  attachments: Attachment[];
}

/** Telegram's album holds 2–10 items. */
export const ALBUM_LIMIT = 10;

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/**
 * How the attachments travel: photos and videos together in albums of up to 10, documents in
 * their own albums (Telegram does not mix them with photos), GIF animations one by one (Telegram
 * puts them in no album). A group of one is sent as a single message.
 */
export function albumPlan(attachments: Attachment[]): Attachment[][] {
  const visual = attachments.filter((a) => a.type === "photo" || a.type === "video");
  const documents = attachments.filter((a) => a.type === "document");
  const animations = attachments.filter((a) => a.type === "animation");
  return [...chunks(visual, ALBUM_LIMIT), ...chunks(documents, ALBUM_LIMIT), ...animations.map((a) => [a])];
}

/**
 * `disable_notification: false` rings at any hour (a significant post); unset, quiet at night;
 * `true`, quiet always (attachments before the text that rings for them).
 */
type Sound = { disable_notification?: boolean };

const QUIET: Sound = { disable_notification: true };

function soundOf(options: { ring?: boolean }): Sound {
  return options.ring ? { disable_notification: false } : {};
}

async function sendSingle(
  api: Api,
  chatId: number,
  attachment: Attachment,
  caption: string | undefined,
  sound: Sound,
): Promise<void> {
  const other = { ...(caption ? { caption } : {}), ...sound };
  switch (attachment.type) {
    case "photo":
      await api.sendPhoto(chatId, attachment.fileId, other);
      return;
    case "video":
      await api.sendVideo(chatId, attachment.fileId, other);
      return;
    case "animation":
      await api.sendAnimation(chatId, attachment.fileId, other);
      return;
    case "document":
      await api.sendDocument(chatId, attachment.fileId, other);
      return;
  }
}

/** One album: documents only, or photos and videos (albumPlan never mixes them); the caption on its first. */
async function sendAlbum(
  api: Api,
  chatId: number,
  group: Attachment[],
  caption: string | undefined,
  sound: Sound,
): Promise<void> {
  const other = (index: number) => (caption && index === 0 ? { caption } : {});
  if (group[0]?.type === "document") {
    await api.sendMediaGroup(
      chatId,
      group.map((a, i) => InputMediaBuilder.document(a.fileId, other(i))),
      sound,
    );
    return;
  }
  await api.sendMediaGroup(
    chatId,
    group.map((a, i) =>
      a.type === "video"
        ? InputMediaBuilder.video(a.fileId, other(i))
        : InputMediaBuilder.photo(a.fileId, other(i)),
    ),
    sound,
  );
}

/** What the attachments belong to: the first line of what follows them, within a caption's limit. */
function captionOf(body: string): string | undefined {
  const line = body.split("\n", 1)[0]?.trim();
  if (!line) return undefined;
  return clip(line, CAPTION_LIMIT);
}

const CAPTION_LIMIT = 200;

/**
 * Sends the draft to a chat: album(s) first, each captioned with `caption` (by default the first
 * line of what follows), then `header` and the text (split if long) with the keyboard under the
 * last part, which is returned. `ring`: with sound at night too (a significant post's, see
 * ringFor); otherwise quiet then. Telegram's refusals are thrown: the caller knows whom it was for.
 */
export async function sendDraft(
  api: Api,
  chatId: number,
  draft: DraftView,
  opts: { header?: string; keyboard?: InlineKeyboard; ring?: boolean; caption?: string } = {},
): Promise<Message | undefined> {
  const body = [opts.header, draft.text].filter(Boolean).join("\n\n");
  const parts = splitMessage(body);
  // Several drafts may arrive in one chat: each album says whose it is. The text after it rings
  // for the draft: one sound per draft, not one per album too.
  if (parts.length > 0)
    await sendGroups(api, chatId, draft.attachments, opts.caption ?? captionOf(body), QUIET);
  else await sendAttachments(api, chatId, draft.attachments, opts.caption, opts);
  let sent: Message | undefined;
  for (const [index, part] of parts.entries()) {
    const last = index === parts.length - 1;
    sent = await api.sendMessage(chatId, part, {
      link_preview_options: { is_disabled: true },
      ...soundOf(opts),
      ...(last && opts.keyboard ? { reply_markup: opts.keyboard } : {}),
    });
  }
  return sent;
}

/** The attachments alone, in albums as albumPlan makes them, each captioned (`ring`: as sendDraft). */
export async function sendAttachments(
  api: Api,
  chatId: number,
  attachments: Attachment[],
  caption?: string,
  options: { ring?: boolean } = {},
): Promise<void> {
  await sendGroups(api, chatId, attachments, caption, soundOf(options));
}

async function sendGroups(
  api: Api,
  chatId: number,
  attachments: Attachment[],
  caption: string | undefined,
  sound: Sound,
): Promise<void> {
  for (const group of albumPlan(attachments)) {
    const [first] = group;
    if (group.length === 1 && first) await sendSingle(api, chatId, first, caption, sound);
    else await sendAlbum(api, chatId, group, caption, sound);
  }
}
