/**
 * Factories for realistic Telegram updates (what the Bot API would deliver to the bot).
 * Pass the results to `FakeBotApi.pushUpdate`, which assigns `update_id`.
 */
import type {
  CallbackQuery,
  Chat,
  ChatMember,
  Message,
  MessageEntity,
  MessageOrigin,
  PhotoSize,
  Update,
  User,
} from "grammy/types";
import type { StoredMessage } from "./fake-bot-api.js";
import { detectEntities } from "./tg-format.js";

export type NewUpdate = Omit<Update, "update_id">;
export type FileRef = { file_id: string; file_unique_id: string; file_size: number };
export type MemberStatus = ChatMember["status"];

export const DEFAULT_BOT_USER: User = {
  id: 999000,
  is_bot: true,
  first_name: "Тестовый бот",
  username: "osm_test_bot",
};

// ---- clock & message ids -------------------------------------------------------------------------------

let clock: () => number = Date.now;
/** Dates of generated updates come from this clock (e.g. the app's `ManualClock`); default: system time. */
export function setUpdatesClock(c?: { now(): Date } | (() => number)): void {
  clock = c === undefined ? Date.now : typeof c === "function" ? c : () => c.now().getTime();
}
export function unixNow(): number {
  return Math.floor(clock() / 1000);
}

/** Last message_id per chat, shared with FakeBotApi so user and bot messages never collide. */
const lastMessageIds = new Map<number, number>();
export function nextMessageId(chatId: number): number {
  const id = (lastMessageIds.get(chatId) ?? 0) + 1;
  lastMessageIds.set(chatId, id);
  return id;
}
export function noteMessageId(chatId: number, messageId: number): void {
  if ((lastMessageIds.get(chatId) ?? 0) < messageId) lastMessageIds.set(chatId, messageId);
}
/** Resets message id counters and the clock (call in beforeEach if a test depends on exact ids). */
export function resetUpdates(): void {
  lastMessageIds.clear();
  clock = Date.now;
}

// ---- users & chats ------------------------------------------------------------------------------------

export function tgUser(id: number, firstName: string, extra?: Partial<User>): User {
  return { id, is_bot: false, first_name: firstName, language_code: "ru", ...extra };
}

export function privateChat(user: User): Chat.PrivateChat {
  const chat: Chat.PrivateChat = { id: user.id, type: "private", first_name: user.first_name };
  if (user.last_name !== undefined) chat.last_name = user.last_name;
  if (user.username !== undefined) chat.username = user.username;
  return chat;
}

/** Supergroup ids look like -100xxxxxxxxxx; when `type` is omitted it is inferred from the id. */
export function groupChat(
  id: number,
  title: string,
  type?: "group" | "supergroup",
): Chat.GroupChat | Chat.SupergroupChat {
  const t = type ?? (id <= -1_000_000_000_000 ? "supergroup" : "group");
  return t === "group" ? { id, type: "group", title } : { id, type: "supergroup", title };
}

export function channelChat(id: number, title: string, username?: string): Chat.ChannelChat {
  return username === undefined ? { id, type: "channel", title } : { id, type: "channel", title, username };
}

/** A ChatMember object with realistic fields for the given status. */
export function chatMember(user: User, status: MemberStatus, extra?: Partial<ChatMember>): ChatMember {
  let m: ChatMember;
  switch (status) {
    case "creator":
      m = { status, user, is_anonymous: false };
      break;
    case "administrator":
      m = {
        status,
        user,
        can_be_edited: false,
        is_anonymous: false,
        can_manage_chat: true,
        can_delete_messages: true,
        can_manage_video_chats: true,
        can_restrict_members: true,
        can_promote_members: false,
        can_change_info: true,
        can_invite_users: true,
        can_post_stories: false,
        can_edit_stories: false,
        can_delete_stories: false,
        can_pin_messages: true,
        can_manage_topics: false,
        can_send_welcome_messages: false,
      };
      break;
    case "restricted":
      m = {
        status,
        user,
        is_member: true,
        can_send_messages: false,
        can_send_audios: false,
        can_send_documents: false,
        can_send_photos: false,
        can_send_videos: false,
        can_send_video_notes: false,
        can_send_voice_notes: false,
        can_send_polls: false,
        can_send_other_messages: false,
        can_add_web_page_previews: false,
        can_react_to_messages: false,
        can_change_info: false,
        can_invite_users: false,
        can_edit_tag: false,
        can_pin_messages: false,
        can_manage_topics: false,
        until_date: 0,
      };
      break;
    case "kicked":
      m = { status, user, until_date: 0 };
      break;
    case "left":
      m = { status, user };
      break;
    default:
      m = { status: "member", user };
  }
  return { ...m, ...extra } as ChatMember;
}

// ---- messages -----------------------------------------------------------------------------------------

type MessageUpdate = NewUpdate & { message: Message };

/** Wraps message fields into a `message` (or `channel_post` for channels) update with id/date/chat/from. */
export function messageUpdate(chat: Chat, from: User | undefined, fields: Partial<Message>): MessageUpdate {
  const message = {
    message_id: nextMessageId(chat.id),
    ...(chat.type === "channel" ? { sender_chat: chat } : from ? { from } : {}),
    chat,
    date: unixNow(),
    ...fields,
  } as Message;
  if (chat.type === "channel") return { channel_post: message } as unknown as MessageUpdate;
  return { message } as MessageUpdate;
}

function entitiesOf(text: string): MessageEntity[] | undefined {
  const found = detectEntities(text);
  return found.length > 0 ? found : undefined;
}

function withCaption(caption: string | undefined): Partial<Message> {
  if (caption === undefined) return {};
  const caption_entities = entitiesOf(caption);
  return caption_entities ? { caption, caption_entities } : { caption };
}

/** Photo sizes: the largest is `file` itself; smaller ones get derived ids `<file_id>~s` / `<file_id>~m`. */
export function photoSizes(file: FileRef): PhotoSize[] {
  return [
    {
      file_id: `${file.file_id}~s`,
      file_unique_id: `${file.file_unique_id}~s`,
      width: 90,
      height: 68,
      file_size: 1200,
    },
    {
      file_id: `${file.file_id}~m`,
      file_unique_id: `${file.file_unique_id}~m`,
      width: 320,
      height: 240,
      file_size: 15000,
    },
    {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      width: 1280,
      height: 960,
      file_size: file.file_size,
    },
  ];
}

type OriginInput =
  | { type: "user"; sender_user: User; date?: number }
  | { type: "hidden_user"; sender_user_name: string; date?: number }
  | { type: "chat"; sender_chat: Chat; author_signature?: string; date?: number }
  | { type: "channel"; chat: Chat; message_id: number; author_signature?: string; date?: number };

function toCallbackMessage(message: StoredMessage | Message): Message {
  return "stored" in message && message.stored === true ? message.message : (message as Message);
}

export const updates = {
  /** Text message; commands ("/start abc", "/bind@osm_test_bot"), links, @mentions and #tags get entities. */
  text(chat: Chat, from: User, text: string, extra?: Partial<Message>): MessageUpdate {
    const entities = entitiesOf(text);
    return messageUpdate(chat, from, { text, ...(entities ? { entities } : {}), ...extra });
  },

  /** A text sent as a reply to a message (the bot's or a person's), which Telegram quotes one level deep. */
  replyTo(chat: Chat, from: User, text: string, to: StoredMessage | Message): MessageUpdate {
    const { reply_to_message: _, ...quoted } = toCallbackMessage(to);
    return updates.text(chat, from, text, {
      reply_to_message: quoted as NonNullable<Message["reply_to_message"]>,
    });
  },

  document(
    chat: Chat,
    from: User,
    file: FileRef,
    fileName: string,
    mimeType: string,
    caption?: string,
    extra?: Partial<Message>,
  ): MessageUpdate {
    return messageUpdate(chat, from, {
      document: { ...file, file_name: fileName, mime_type: mimeType },
      ...withCaption(caption),
      ...extra,
    });
  },

  photo(
    chat: Chat,
    from: User,
    file: FileRef,
    caption?: string,
    mediaGroupId?: string,
    extra?: Partial<Message>,
  ): MessageUpdate {
    return messageUpdate(chat, from, {
      photo: photoSizes(file),
      ...withCaption(caption),
      ...(mediaGroupId !== undefined ? { media_group_id: mediaGroupId } : {}),
      ...extra,
    });
  },

  /** Press of an inline button under `message` (a StoredMessage from the fake, or a Message). */
  callback(
    from: User,
    message: StoredMessage | Message,
    data: string,
  ): NewUpdate & { callback_query: CallbackQuery } {
    const msg = toCallbackMessage(message);
    return {
      callback_query: {
        id: `${BigInt(from.id) * 1000n + BigInt(Math.floor(Math.random() * 1000))}${Date.now() % 100000}`,
        from,
        message: msg,
        chat_instance: String(BigInt(msg.chat.id) * -7919n + 123456789n),
        data,
      },
    } as NewUpdate & { callback_query: CallbackQuery };
  },

  /** A forwarded text message; origin "channel" / "user" / "hidden_user" / "chat" (date defaults to 1h ago). */
  forwarded(
    chat: Chat,
    from: User,
    text: string,
    origin: OriginInput,
    extra?: Partial<Message>,
  ): MessageUpdate {
    const forward_origin = { ...origin, date: origin.date ?? unixNow() - 3600 } as MessageOrigin;
    const entities = entitiesOf(text);
    return messageUpdate(chat, from, { text, ...(entities ? { entities } : {}), forward_origin, ...extra });
  },

  /** The bot's own membership changed (added to a group, promoted, removed, blocked in private chat). */
  myChatMember(
    chat: Chat,
    from: User,
    oldStatus: MemberStatus,
    newStatus: MemberStatus,
    bot: User = DEFAULT_BOT_USER,
  ): NewUpdate {
    return {
      my_chat_member: {
        chat,
        from,
        date: unixNow(),
        old_chat_member: chatMember(bot, oldStatus),
        new_chat_member: chatMember(bot, newStatus),
      },
    } as NewUpdate;
  },

  /** Another user's membership changed (needs allowed_updates chat_member in real life). */
  chatMember(
    chat: Chat,
    from: User,
    user: User,
    oldStatus: MemberStatus,
    newStatus: MemberStatus,
  ): NewUpdate {
    return {
      chat_member: {
        chat,
        from,
        date: unixNow(),
        old_chat_member: chatMember(user, oldStatus),
        new_chat_member: chatMember(user, newStatus),
      },
    } as NewUpdate;
  },

  /** Service message in the old group: it became a supergroup. */
  /** Service message: a member renamed the group. */
  newChatTitle(group: Chat, from: User, title: string): MessageUpdate {
    return messageUpdate({ ...group, title } as Chat, from, { new_chat_title: title });
  },

  migrateToChat(group: Chat, from: User, newSupergroupId: number): MessageUpdate {
    return messageUpdate(group, from, { migrate_to_chat_id: newSupergroupId });
  },

  /** Service message in the new supergroup, sent by Telegram right after `migrateToChat`. */
  migrateFromChat(supergroup: Chat, from: User, oldGroupId: number): MessageUpdate {
    return messageUpdate(supergroup, from, { migrate_from_chat_id: oldGroupId });
  },

  newChatMembers(chat: Chat, from: User, members: User[]): MessageUpdate {
    return messageUpdate(chat, from, { new_chat_members: members });
  },

  leftChatMember(chat: Chat, from: User, member: User): MessageUpdate {
    return messageUpdate(chat, from, { left_chat_member: member });
  },

  /** The user edited an earlier message (pass the original update's message). */
  edited(original: Message, newText: string): NewUpdate {
    const entities = entitiesOf(newText);
    const { entities: _old, ...rest } = original;
    return {
      edited_message: { ...rest, text: newText, ...(entities ? { entities } : {}), edit_date: unixNow() },
    } as NewUpdate;
  },
};
