/**
 * A local fake of the Telegram Bot API (node:http on 127.0.0.1) for tests.
 * Point grammY at it with `new Bot(fake.token, { client: { apiRoot: fake.apiRoot }, botInfo: fake.botInfo })`.
 * It records every call, keeps chat state (messages, edits, deletions, members, files) and delivers pushed
 * updates through long polling, answering with the shapes and error texts of the real server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  BotCommand,
  Chat,
  ChatMember,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  Message,
  MessageEntity,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";
import { EntityParseError, formatText } from "./tg-format.js";
import {
  chatMember,
  DEFAULT_BOT_USER,
  type MemberStatus,
  type NewUpdate,
  nextMessageId,
  noteMessageId,
  photoSizes,
  unixNow,
  updates as updateFactories,
} from "./updates.js";

// ---- public types --------------------------------------------------------------------------------------

export interface ApiErrorSpec {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export interface ApiResponse {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: ApiErrorSpec["parameters"];
}

export interface UploadedFile {
  /** Parameter the file was attached to, e.g. "document" or "media[1].media". */
  field: string;
  filename: string;
  size: number;
  contentType: string;
  data: Buffer;
}

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  files: UploadedFile[];
  /** Date.now() when the request arrived. */
  at: number;
  response: ApiResponse;
  /** HTTP status sent (0 when the connection was dropped or the client went away). */
  httpStatus: number;
}

export type MediaKind =
  | "photo"
  | "video"
  | "document"
  | "audio"
  | "voice"
  | "animation"
  | "sticker"
  | "video_note";

/** A message as the fake currently knows it (after edits). `message` is the Telegram-shaped object. */
export interface StoredMessage {
  readonly stored: true;
  chat_id: number;
  message_id: number;
  date: number;
  edit_date?: number;
  /** Sent by the bot (via the API) rather than by a user (via a pushed update). */
  from_bot: boolean;
  /** API method that created it ("sendMessage", "copyMessage", ...) or "update" for users' messages. */
  method: string;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  /** As sent by the bot (may also be a reply keyboard / remove / force_reply). */
  reply_markup?: Record<string, unknown>;
  media?: { type: MediaKind; file_id: string; file_name?: string; mime_type?: string };
  media_group_id?: string;
  message: Message;
}

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_size: number;
  file_path: string;
  file_name: string;
  mime_type: string;
  kind: MediaKind;
  data: Buffer;
}

export interface FakeBotApiOptions {
  token?: string;
  botUser?: Partial<User>;
  /** Clock for message dates (e.g. the app's ManualClock); default: system time via updates.ts clock. */
  clock?: { now(): Date };
  /** Reject unknown file_ids in send* methods like Telegram does (default true). */
  strictFileIds?: boolean;
  /**
   * Enforce Telegram's flood limits on sending methods, answering 429 with retry_after like the real
   * server: about 1 message a second per chat, 20 a minute per group, 30 a second overall.
   */
  enforceLimits?: boolean;
  /**
   * A slow Telegram: a call of one of these methods takes effect and is recorded at once, but its
   * answer reaches the bot only this many ms later, so a bot killed meanwhile never learns it succeeded.
   */
  answerDelayMs?: Record<string, number>;
}

const SENDING = /^(send|copy|forward)/;

type Scripted =
  | { kind: "error"; error: ApiErrorSpec }
  | { kind: "drop" }
  | { kind: "http"; status: number; body: string }
  | { kind: "delay"; ms: number };
type ScriptEntry = { action: Scripted; times: number; match?: (params: Record<string, unknown>) => boolean };

/**
 * A chat's messages in order, indexed by id: a chat holding a thousand cards (the benchmarks') is
 * searched and edited without scanning it, so the fake's cost does not count as the bot's.
 */
class MessageLog {
  #list: StoredMessage[] = [];
  readonly #position = new Map<number, number>();
  #maxId = 0;

  get all(): readonly StoredMessage[] {
    return this.#list;
  }

  /** The highest id the chat has had (ids are never reused, even after a deletion). */
  get maxId(): number {
    return this.#maxId;
  }

  find(id: number): StoredMessage | undefined {
    const at = this.#position.get(id);
    return at === undefined ? undefined : this.#list[at];
  }

  /** Appends the message, or replaces the one with its id in place. */
  put(message: StoredMessage): void {
    const at = this.#position.get(message.message_id);
    if (at !== undefined) this.#list[at] = message;
    else {
      this.#position.set(message.message_id, this.#list.length);
      this.#list.push(message);
    }
    this.#maxId = Math.max(this.#maxId, message.message_id);
  }

  remove(ids: ReadonlySet<number>): void {
    this.#list = this.#list.filter((m) => !ids.has(m.message_id));
    this.#position.clear();
    for (const [at, m] of this.#list.entries()) this.#position.set(m.message_id, at);
  }
}

interface ChatState {
  chat: Chat;
  messages: MessageLog;
  members: Map<number, ChatMember>;
  migratedTo?: number;
}

interface Poller {
  limit: number;
  finish: (r: ApiResponse) => void;
  timer: NodeJS.Timeout;
}

type Waiter = { method: string; predicate?: (c: ApiCall) => boolean; resolve: (c: ApiCall) => void };

class ApiError extends Error {
  constructor(readonly spec: ApiErrorSpec) {
    super(spec.description);
  }
}
const bad = (description: string, parameters?: ApiErrorSpec["parameters"]): ApiError =>
  new ApiError({
    error_code: 400,
    description: `Bad Request: ${description}`,
    ...(parameters ? { parameters } : {}),
  });
/** A press's pop-up (answerCallbackQuery's text) holds at most 200 characters. */
const POP_UP_LIMIT = 200;
/** The inline buttons Telegram takes in one message. */
const MAX_INLINE_BUTTONS = 100;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether every string in a request's parameters is whole: no half of a surrogate pair alone. */
function wellFormed(value: unknown): boolean {
  if (typeof value === "string") return !LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.every(wellFormed);
  if (value && typeof value === "object") return Object.values(value).every(wellFormed);
  return true;
}
const forbidden = (description: string): ApiError =>
  new ApiError({ error_code: 403, description: `Forbidden: ${description}` });

const MEDIA_KINDS: MediaKind[] = [
  "photo",
  "video",
  "document",
  "audio",
  "voice",
  "animation",
  "sticker",
  "video_note",
];
const SEND_MEDIA: Record<string, MediaKind> = {
  sendPhoto: "photo",
  sendVideo: "video",
  sendDocument: "document",
  sendAudio: "audio",
  sendVoice: "voice",
  sendAnimation: "animation",
  sendSticker: "sticker",
  sendVideoNote: "video_note",
};
const FILE_PREFIX: Record<MediaKind, string> = {
  photo: "AgACAgIAAxkBAAI",
  video: "BAACAgIAAxkBAAI",
  document: "BQACAgIAAxkBAAI",
  audio: "CQACAgIAAxkBAAI",
  voice: "AwACAgIAAxkBAAI",
  animation: "CgACAgIAAxkBAAI",
  sticker: "CAACAgIAAxkBAAI",
  video_note: "DQACAgIAAxkBAAI",
};
const FILE_DIR: Record<MediaKind, string> = {
  photo: "photos",
  video: "videos",
  document: "documents",
  audio: "music",
  voice: "voice",
  animation: "animations",
  sticker: "stickers",
  video_note: "video_notes",
};
const DEFAULT_MIME: Record<MediaKind, string> = {
  photo: "image/jpeg",
  video: "video/mp4",
  document: "application/octet-stream",
  audio: "audio/mpeg",
  voice: "audio/ogg",
  animation: "video/mp4",
  sticker: "image/webp",
  video_note: "video/mp4",
};
const MIME_BY_EXT: Record<string, string> = {
  txt: "text/plain",
  csv: "text/csv",
  pdf: "application/pdf",
  json: "application/json",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  doc: "application/msword",
  xls: "application/vnd.ms-excel",
  zip: "application/zip",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  mp4: "video/mp4",
  ogg: "audio/ogg",
  mp3: "audio/mpeg",
};
/** Multipart fields that are strings even when they look like JSON numbers/booleans. */
const STRING_FIELDS = new Set([
  "text",
  "caption",
  "parse_mode",
  "title",
  "description",
  "callback_query_id",
  "inline_message_id",
  "url",
  "custom_title",
  "short_description",
  "name",
  "language_code",
]);
const MAX_DOWNLOAD = 20 * 1024 * 1024;

// ---- helpers --------------------------------------------------------------------------------------------

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function decodeField(name: string, value: string): unknown {
  try {
    const parsed: unknown = JSON.parse(value);
    if (STRING_FIELDS.has(name) && (typeof parsed !== "object" || parsed === null)) return value;
    return parsed;
  } catch {
    return value;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * grammY writes part headers as `content-disposition:form-data;name="x";filename=a b.txt`, which Node 20's
 * undici FormData parser rejects. Rewrite each part's header block into the canonical quoted form.
 */
function normalizeMultipart(body: Buffer, boundary: string): Buffer {
  const delimiter = Buffer.from(`--${boundary}`);
  const out: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const d = body.indexOf(delimiter, pos);
    if (d < 0) {
      out.push(body.subarray(pos));
      break;
    }
    const afterDelim = d + delimiter.length;
    out.push(body.subarray(pos, afterDelim));
    if (body.subarray(afterDelim, afterDelim + 2).toString() === "--") {
      out.push(body.subarray(afterDelim));
      break;
    }
    const headerStart = afterDelim + 2; // skip CRLF
    const headerEnd = body.indexOf("\r\n\r\n", headerStart);
    if (headerEnd < 0) {
      out.push(body.subarray(afterDelim));
      break;
    }
    const lines = body.subarray(headerStart, headerEnd).toString("utf8").split("\r\n");
    const fixed = lines.map((line) => {
      const colon = line.indexOf(":");
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === "content-type") return `Content-Type: ${value}`;
      if (key !== "content-disposition") return line;
      const name =
        /(?:^|;)\s*name="([^"]*)"/.exec(value)?.[1] ?? /(?:^|;)\s*name=([^;]*)/.exec(value)?.[1] ?? "";
      const fm = /;\s*filename=(.*)$/.exec(value);
      if (!fm) return `Content-Disposition: form-data; name="${name}"`;
      let filename = (fm[1] ?? "").trim();
      if (filename.startsWith('"') && filename.endsWith('"') && filename.length >= 2)
        filename = filename.slice(1, -1);
      return `Content-Disposition: form-data; name="${name}"; filename="${filename.replace(/"/g, "%22")}"`;
    });
    out.push(Buffer.from(`\r\n${fixed.join("\r\n")}`, "utf8"));
    pos = headerEnd;
  }
  return Buffer.concat(out);
}

async function parseMultipart(
  body: Buffer,
  contentType: string,
): Promise<{ params: Record<string, unknown>; parts: Map<string, UploadedFile> }> {
  const toForm = (b: Buffer) =>
    new Request("http://fake.local/", {
      method: "POST",
      headers: { "content-type": contentType },
      body: b,
      duplex: "half",
    } as RequestInit).formData();
  let form: FormData;
  try {
    form = await toForm(body);
  } catch {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
    form = await toForm(normalizeMultipart(body, boundary?.[1] ?? boundary?.[2] ?? ""));
  }
  const params: Record<string, unknown> = {};
  const parts = new Map<string, UploadedFile>();
  for (const [name, value] of form.entries()) {
    if (typeof value === "string") params[name] = decodeField(name, value);
    else {
      const data = Buffer.from(await value.arrayBuffer());
      parts.set(name, {
        field: name,
        filename: value.name,
        size: data.length,
        contentType: value.type,
        data,
      });
    }
  }
  return { params, parts };
}

/** Finds `attach://id` references in params and names each uploaded part after the parameter using it. */
function attachFiles(params: Record<string, unknown>, parts: Map<string, UploadedFile>): UploadedFile[] {
  const files: UploadedFile[] = [];
  const seen = new Set<string>();
  const walk = (v: unknown, path: string) => {
    if (typeof v === "string" && v.startsWith("attach://")) {
      const part = parts.get(v.slice("attach://".length));
      if (part && !seen.has(part.field)) {
        seen.add(part.field);
        files.push({ ...part, field: path });
      }
    } else if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, `${path}[${i}]`);
    } else if (typeof v === "object" && v !== null) {
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
    }
  };
  walk(params, "");
  for (const part of parts.values()) {
    if (seen.has(part.field)) continue;
    // Plain multipart upload (e.g. curl -F document=@file): the part name is the parameter.
    params[part.field] = `attach://${part.field}`;
    files.push(part);
  }
  return files;
}

function summarize(c: ApiCall): string {
  const p = JSON.stringify(c.params);
  const r = c.response.ok ? "ok" : `${c.response.error_code ?? c.httpStatus} ${c.response.description ?? ""}`;
  return `${c.method}(${p.length > 160 ? `${p.slice(0, 157)}...` : p}) → ${r}`;
}

function isInlineMarkup(m: unknown): m is InlineKeyboardMarkup {
  return (
    typeof m === "object" && m !== null && Array.isArray((m as { inline_keyboard?: unknown }).inline_keyboard)
  );
}

// ---- the fake -------------------------------------------------------------------------------------------

export class FakeBotApi {
  readonly apiRoot: string;
  readonly token: string;
  readonly botUser: User;
  readonly calls: ApiCall[] = [];

  readonly #server: Server;
  readonly #clock: () => number;
  readonly #strictFileIds: boolean;
  readonly #enforceLimits: boolean;
  readonly #answerDelayMs: Record<string, number>;
  readonly #scripts = new Map<string, ScriptEntry[]>();
  readonly #waiters = new Set<Waiter>();
  readonly #pollWaiters = new Set<() => void>();
  readonly #chats = new Map<number, ChatState>();
  readonly #users = new Map<number, User>();
  readonly #files = new Map<string, StoredFile>();
  readonly #filesByPath = new Map<string, StoredFile>();
  readonly #commands = new Map<string, BotCommand[]>();
  readonly #callbackQueries = new Map<string, Record<string, unknown> | null>();
  #queue: Update[] = [];
  #lastUpdateId = 100_000;
  #poller: Poller | undefined;
  #webhook: Record<string, unknown> | undefined;
  #fileCounter = 0;
  #mediaGroupCounter = 13_000_000_000_000_000;
  #closed = false;

  private constructor(server: Server, port: number, opts: FakeBotApiOptions) {
    this.#server = server;
    this.token = opts.token ?? "123456789:TEST-fake-token_AAAAAAAAAAAAAAAAAAAAAA";
    this.botUser = { ...DEFAULT_BOT_USER, ...opts.botUser };
    this.apiRoot = `http://127.0.0.1:${port}`;
    const clock = opts.clock;
    this.#clock = clock ? () => Math.floor(clock.now().getTime() / 1000) : unixNow;
    this.#strictFileIds = opts.strictFileIds ?? true;
    this.#enforceLimits = opts.enforceLimits ?? false;
    this.#answerDelayMs = opts.answerDelayMs ?? {};
    server.on("request", (req, res) => {
      this.#handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(
            JSON.stringify({
              ok: false,
              error_code: 500,
              description: `Internal Server Error: ${String(err)}`,
            }),
          );
        }
      });
    });
  }

  static async start(opts: FakeBotApiOptions = {}): Promise<FakeBotApi> {
    const server = createServer({ keepAliveTimeout: 60_000 });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return new FakeBotApi(server, (server.address() as AddressInfo).port, opts);
  }

  /** What getMe returns; pass as `botInfo` to `new Bot(...)` to skip the getMe call. */
  get botInfo(): UserFromGetMe {
    return {
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
      ...this.botUser,
      is_bot: true,
      username: this.botUser.username ?? "osm_test_bot",
    };
  }

  // ---- calls & waiting ----

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  /**
   * Resolves with the first call of `method` (recorded at index >= `since`, default 0, or arriving later)
   * matching `predicate`. Rejects after `timeoutMs` (default 3000) listing the calls seen.
   */
  waitForCall(
    method: string,
    predicate?: (c: ApiCall) => boolean,
    opts: { timeoutMs?: number; since?: number } = {},
  ): Promise<ApiCall> {
    const since = opts.since ?? 0;
    const found = this.calls.slice(since).find((c) => c.method === method && (!predicate || predicate(c)));
    if (found) return Promise.resolve(found);
    const timeoutMs = opts.timeoutMs ?? 3000;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        method,
        ...(predicate ? { predicate } : {}),
        resolve: (c) => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve(c);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        const seen = this.calls
          .slice(since)
          .filter((c) => c.method !== "getUpdates" || c.response.ok === false);
        reject(
          new Error(
            `FakeBotApi: no matching ${method} call within ${timeoutMs}ms. Calls seen since #${since} ` +
              `(getUpdates omitted):\n${seen.map((c) => `  ${summarize(c)}`).join("\n") || "  (none)"}`,
          ),
        );
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** Resolves once a long-polling getUpdates request is being held (the bot is idle and listening). */
  waitForPolling(timeoutMs = 3000): Promise<void> {
    if (this.#poller) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#pollWaiters.delete(done);
        reject(
          new Error(`FakeBotApi: no long-polling getUpdates within ${timeoutMs}ms (is the bot started?)`),
        );
      }, timeoutMs);
      this.#pollWaiters.add(done);
    });
  }

  /** Index to pass as `since` to only wait for calls made from now on. */
  mark(): number {
    return this.calls.length;
  }

  // ---- scripting failures ----

  #revoked = false;

  /** The token is revoked in @BotFather: from now on every call is answered 401 Unauthorized. */
  revokeToken(): void {
    this.#revoked = true;
    // A long poll held now is answered so too, not at its timeout.
    const poller = this.#poller;
    if (!poller) return;
    this.#poller = undefined;
    clearTimeout(poller.timer);
    poller.finish({ ok: false, error_code: 401, description: "Unauthorized" });
  }

  /** The next matching call(s) of `method` fail with this Telegram error (checked in order of scripting). */
  failNext(
    method: string,
    error: ApiErrorSpec,
    opts: { times?: number; match?: (params: Record<string, unknown>) => boolean } = {},
  ): void {
    this.#script(method, { kind: "error", error }, opts.times, opts.match);
  }

  /** The next call(s) of `method` get their connection destroyed without an answer. */
  dropNext(
    method: string,
    opts: { times?: number; match?: (params: Record<string, unknown>) => boolean } = {},
  ): void {
    this.#script(method, { kind: "drop" }, opts.times, opts.match);
  }

  /** The next call(s) of `method` get a non-JSON HTTP error page (default 502 Bad Gateway, like nginx). */
  httpErrorNext(
    method: string,
    opts: {
      status?: number;
      body?: string;
      times?: number;
      match?: (params: Record<string, unknown>) => boolean;
    } = {},
  ): void {
    const status = opts.status ?? 502;
    const body =
      opts.body ??
      `<html>\r\n<head><title>${status} Bad Gateway</title></head>\r\n<body>\r\n<center><h1>${status} Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n`;
    this.#script(method, { kind: "http", status, body }, opts.times, opts.match);
  }

  /** The next matching call(s) of `method` are answered normally but only after `ms` milliseconds. */
  delayNext(
    method: string,
    ms: number,
    opts: { times?: number; match?: (params: Record<string, unknown>) => boolean } = {},
  ): void {
    this.#script(method, { kind: "delay", ms }, opts.times, opts.match);
  }

  #script(method: string, action: Scripted, times = 1, match?: ScriptEntry["match"]): void {
    const list = this.#scripts.get(method) ?? [];
    list.push({ action, times, ...(match ? { match } : {}) });
    this.#scripts.set(method, list);
  }

  #takeScript(method: string, params: Record<string, unknown>): Scripted | undefined {
    const list = this.#scripts.get(method);
    const idx = list?.findIndex((e) => !e.match || e.match(params)) ?? -1;
    const entry = list?.[idx];
    if (!list || !entry) return undefined;
    entry.times -= 1;
    if (entry.times <= 0) list.splice(idx, 1);
    return entry.action;
  }

  // ---- updates ----

  /** Queues an update for getUpdates (assigning an increasing update_id) and applies it to the chat state. */
  pushUpdate(update: NewUpdate & { update_id?: number }): Update {
    const id = Math.max(this.#lastUpdateId + 1, update.update_id ?? 0);
    this.#lastUpdateId = id;
    const full = { ...update, update_id: id } as Update;
    this.#ingest(full);
    this.#queue.push(full);
    this.#wakePoller();
    return full;
  }

  /** Updates not yet confirmed by a getUpdates offset. */
  pendingUpdates(): number {
    return this.#queue.length;
  }

  /** Pushes a callback_query pressing the newest inline button labelled `label` in `chatId`. */
  clickButton(chatId: number, label: string | RegExp, from: User): Update {
    const { message, callbackData } = this.findButton(chatId, label);
    return this.pushUpdate(updateFactories.callback(from, message, callbackData));
  }

  #ingest(u: Update): void {
    const remember = (user: User | undefined) => {
      if (user && user.id !== this.botUser.id) this.#users.set(user.id, user);
    };
    const msg = u.message ?? u.channel_post ?? u.edited_message ?? u.edited_channel_post;
    if (msg) {
      remember(msg.from);
      const state = this.#chatState(msg.chat.id, msg.chat);
      noteMessageId(msg.chat.id, msg.message_id);
      state.messages.put(this.#toStored(msg, false, "update"));
      if (msg.migrate_to_chat_id !== undefined) state.migratedTo = msg.migrate_to_chat_id;
      for (const m of msg.new_chat_members ?? []) {
        remember(m);
        state.members.set(m.id, chatMember(m.id === this.botUser.id ? this.botUser : m, "member"));
      }
      if (msg.left_chat_member)
        state.members.set(msg.left_chat_member.id, chatMember(msg.left_chat_member, "left"));
    }
    if (u.callback_query) {
      remember(u.callback_query.from);
      this.#callbackQueries.set(u.callback_query.id, null);
    }
    for (const upd of [u.my_chat_member, u.chat_member]) {
      if (!upd) continue;
      remember(upd.from);
      this.#chatState(upd.chat.id, upd.chat).members.set(upd.new_chat_member.user.id, upd.new_chat_member);
    }
  }

  // ---- chat state ----

  /** Registers a chat so getChat / sends use its real shape (chats from pushed updates are registered too). */
  addChat(chat: Chat): void {
    this.#chatState(chat.id, chat);
  }

  /**
   * Sets a member's status (the bot's own status too: "left"/"kicked" make sends fail with 403, and
   * "kicked" in a private chat, the user's block, every call there).
   */
  setChatMember(chatId: number, userId: number, status: MemberStatus | ChatMember): void {
    const user = userId === this.botUser.id ? this.botUser : this.#userFor(userId);
    this.#chatState(chatId).members.set(
      userId,
      typeof status === "string" ? chatMember(user, status) : status,
    );
  }

  /** Messages currently in the chat, oldest first. Bot's messages only unless `includeUsers`. */
  messages(chatId: number, opts: { includeUsers?: boolean } = {}): StoredMessage[] {
    const all = this.#chats.get(chatId)?.messages.all ?? [];
    return opts.includeUsers ? [...all] : all.filter((m) => m.from_bot);
  }

  /** The bot's newest message in the chat. */
  lastMessage(chatId: number): StoredMessage | undefined {
    return this.messages(chatId).at(-1);
  }

  /** Inline buttons with callback data of the bot's messages in the chat, newest message first. */
  buttons(chatId: number): { message: StoredMessage; label: string; callbackData?: string; url?: string }[] {
    const out: { message: StoredMessage; label: string; callbackData?: string; url?: string }[] = [];
    for (const message of this.messages(chatId).reverse()) {
      const markup = message.reply_markup;
      if (!isInlineMarkup(markup)) continue;
      for (const b of markup.inline_keyboard.flat()) {
        const btn = b as InlineKeyboardButton & { callback_data?: string; url?: string };
        out.push({
          message,
          label: btn.text,
          ...(btn.callback_data !== undefined ? { callbackData: btn.callback_data } : {}),
          ...(btn.url !== undefined ? { url: btn.url } : {}),
        });
      }
    }
    return out;
  }

  /** Newest bot message in the chat having a callback button with this label; throws listing labels otherwise. */
  findButton(chatId: number, label: string | RegExp): { message: StoredMessage; callbackData: string } {
    const all = this.buttons(chatId);
    const hit = all.find(
      (b) =>
        b.callbackData !== undefined && (typeof label === "string" ? b.label === label : label.test(b.label)),
    );
    if (hit?.callbackData !== undefined) return { message: hit.message, callbackData: hit.callbackData };
    const labels = all.map((b) => `"${b.label}"${b.callbackData === undefined ? " (no callback_data)" : ""}`);
    throw new Error(
      `FakeBotApi: no inline button ${String(label)} in chat ${chatId}. Available: ${labels.join(", ") || "(none)"}`,
    );
  }

  /** Commands set with setMyCommands for a scope / language. */
  commands(
    scope: Record<string, unknown> = { type: "default" },
    languageCode = "",
  ): BotCommand[] | undefined {
    return this.#commands.get(this.#scopeKey(scope, languageCode));
  }

  /** The params of answerCallbackQuery for a query id (null: not answered yet, undefined: unknown id). */
  callbackAnswer(queryId: string): Record<string, unknown> | null | undefined {
    return this.#callbackQueries.get(queryId);
  }

  webhookInfo(): Record<string, unknown> | undefined {
    return this.#webhook;
  }

  #chatState(chatId: number, chat?: Chat): ChatState {
    let state = this.#chats.get(chatId);
    if (!state) {
      state = { chat: chat ?? this.#synthChat(chatId), messages: new MessageLog(), members: new Map() };
      this.#chats.set(chatId, state);
    } else if (chat) state.chat = chat;
    return state;
  }

  #synthChat(id: number): Chat {
    if (id > 0) {
      const u = this.#users.get(id);
      return u
        ? { id, type: "private", first_name: u.first_name, ...(u.username ? { username: u.username } : {}) }
        : { id, type: "private", first_name: `User ${id}` };
    }
    if (id <= -1_000_000_000_000) return { id, type: "supergroup", title: `Supergroup ${id}` };
    return { id, type: "group", title: `Group ${id}` };
  }

  #userFor(id: number): User {
    return this.#users.get(id) ?? { id, is_bot: false, first_name: `User ${id}` };
  }

  #memberOf(state: ChatState, userId: number): ChatMember {
    const known = state.members.get(userId);
    if (known) return known;
    if (userId === this.botUser.id) {
      return chatMember(this.botUser, state.chat.type === "private" ? "member" : "administrator");
    }
    return chatMember(this.#userFor(userId), "member");
  }

  #resolveChat(raw: unknown, param = "chat_id"): ChatState {
    if (typeof raw === "number" && Number.isFinite(raw)) return this.#chatState(raw);
    if (typeof raw === "string" && /^-?\d+$/.test(raw)) return this.#chatState(Number(raw));
    if (typeof raw === "string" && raw.startsWith("@")) {
      const name = raw.slice(1).toLowerCase();
      for (const s of this.#chats.values()) if (s.chat.username?.toLowerCase() === name) return s;
      throw bad("chat not found");
    }
    throw bad(raw === undefined ? `${param} is empty` : "chat not found");
  }

  #assertCanSend(state: ChatState): void {
    if (state.migratedTo !== undefined) {
      throw bad("group chat was upgraded to a supergroup chat", { migrate_to_chat_id: state.migratedTo });
    }
    const status = state.members.get(this.botUser.id)?.status;
    const kind = state.chat.type === "private" ? "" : `${state.chat.type} chat`;
    if (status === "kicked") {
      throw forbidden(
        state.chat.type === "private" ? "bot was blocked by the user" : `bot was kicked from the ${kind}`,
      );
    }
    if (status === "left" && state.chat.type !== "private")
      throw forbidden(`bot is not a member of the ${kind}`);
  }

  /**
   * A user who blocked the bot refuses everything it does in their chat (edits, deletions, chat
   * actions, not only new messages), as Telegram does; reading the chat (get*) still works.
   */
  #assertNotBlocked(method: string, p: Record<string, unknown>): void {
    if (method.startsWith("get") || p.chat_id === undefined) return;
    const state = this.#chats.get(Number(p.chat_id));
    if (state?.chat.type === "private" && state.members.get(this.botUser.id)?.status === "kicked")
      throw forbidden("bot was blocked by the user");
  }

  #findMessage(state: ChatState, id: unknown): StoredMessage | undefined {
    return state.messages.find(Number(id));
  }

  #toStored(msg: Message, fromBot: boolean, method: string): StoredMessage {
    const s: StoredMessage = {
      stored: true,
      chat_id: msg.chat.id,
      message_id: msg.message_id,
      date: msg.date,
      from_bot: fromBot,
      method,
      message: msg,
    };
    if (msg.edit_date !== undefined) s.edit_date = msg.edit_date;
    if (msg.text !== undefined) s.text = msg.text;
    if (msg.entities) s.entities = msg.entities;
    if (msg.caption !== undefined) s.caption = msg.caption;
    if (msg.caption_entities) s.caption_entities = msg.caption_entities;
    if (msg.reply_markup) s.reply_markup = msg.reply_markup as unknown as Record<string, unknown>;
    if (msg.media_group_id !== undefined) s.media_group_id = msg.media_group_id;
    for (const kind of MEDIA_KINDS) {
      const m = (msg as unknown as Record<string, unknown>)[kind];
      if (!m) continue;
      const f = (Array.isArray(m) ? m.at(-1) : m) as {
        file_id: string;
        file_name?: string;
        mime_type?: string;
      };
      s.media = { type: kind, file_id: f.file_id };
      if (f.file_name !== undefined) s.media.file_name = f.file_name;
      if (f.mime_type !== undefined) s.media.mime_type = f.mime_type;
    }
    return s;
  }

  // ---- files ----

  /** Stores a file "uploaded by a user"; put the returned ref into an update (updates.document / photo). */
  addFile(
    content: Buffer | string,
    fileName: string,
    opts: { kind?: MediaKind; mimeType?: string } = {},
  ): { file_id: string; file_unique_id: string; file_size: number } {
    const f = this.#storeFile(Buffer.from(content), fileName, opts.kind ?? "document", opts.mimeType);
    return { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.file_size };
  }

  /** A stored file (uploaded by the bot or added by the test) by file_id. */
  file(fileId: string): StoredFile | undefined {
    return this.#lookupFile(fileId);
  }

  #storeFile(data: Buffer, fileName: string, kind: MediaKind, mimeType?: string): StoredFile {
    const n = ++this.#fileCounter;
    const ext = /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1]?.toLowerCase();
    const tag = `${n.toString(36).padStart(4, "0")}${Buffer.from(fileName).toString("base64url").slice(0, 8)}`;
    const f: StoredFile = {
      file_id: `${FILE_PREFIX[kind]}${tag}AAHfake${n}`,
      file_unique_id: `AgAD${tag}${n}`,
      file_size: data.length,
      file_path: `${FILE_DIR[kind]}/file_${n}${ext ? `.${ext}` : kind === "photo" ? ".jpg" : ""}`,
      file_name: fileName,
      mime_type: mimeType ?? (ext ? MIME_BY_EXT[ext] : undefined) ?? DEFAULT_MIME[kind],
      kind,
      data,
    };
    this.#files.set(f.file_id, f);
    this.#filesByPath.set(f.file_path, f);
    return f;
  }

  #lookupFile(fileId: string): StoredFile | undefined {
    const direct = this.#files.get(fileId);
    if (direct) return direct;
    const derived = /^(.*)~[sm]$/.exec(fileId)?.[1]; // smaller photo sizes from updates.photo
    const base = derived !== undefined ? this.#files.get(derived) : undefined;
    return base
      ? { ...base, file_id: fileId, file_unique_id: `${base.file_unique_id}${fileId.slice(-2)}` }
      : undefined;
  }

  #resolveInputFile(value: unknown, kind: MediaKind, files: UploadedFile[], param: string): StoredFile {
    if (typeof value !== "string" || value === "") throw bad(`there is no ${kind} in the request`);
    if (value.startsWith("attach://")) {
      const part = files.find((f) => f.field === param);
      if (!part) throw bad(`file ${value} not found in the request`);
      return this.#storeFile(part.data, part.filename, kind);
    }
    if (/^https?:\/\//.test(value)) {
      const name = decodeURIComponent(new URL(value).pathname.split("/").pop() || `${kind}`);
      return this.#storeFile(Buffer.alloc(0), name, kind);
    }
    const known = this.#lookupFile(value);
    if (known) return known;
    if (this.#strictFileIds) throw bad("wrong file identifier/HTTP URL specified");
    return this.#storeFile(Buffer.alloc(0), `${kind}.dat`, kind);
  }

  #mediaObject(kind: MediaKind, f: StoredFile): unknown {
    const base = { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.file_size };
    switch (kind) {
      case "photo":
        return photoSizes(base);
      case "video":
      case "animation":
        return {
          ...base,
          width: 1280,
          height: 720,
          duration: 10,
          file_name: f.file_name,
          mime_type: f.mime_type,
        };
      case "video_note":
        return { ...base, length: 240, duration: 10 };
      case "audio":
        return { ...base, duration: 60, file_name: f.file_name, mime_type: f.mime_type };
      case "voice":
        return { ...base, duration: 5, mime_type: f.mime_type };
      case "sticker":
        return { ...base, type: "regular", width: 512, height: 512, is_animated: false, is_video: false };
      default:
        return { ...base, file_name: f.file_name, mime_type: f.mime_type };
    }
  }

  // ---- lifecycle ----

  /** Answers held getUpdates with [], closes the server and all keep-alive connections. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const poller = this.#poller;
    if (poller) {
      this.#poller = undefined;
      clearTimeout(poller.timer);
      poller.finish({ ok: true, result: [] });
    }
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    setImmediate(() => this.#server.closeAllConnections());
    await closed;
  }

  // ---- HTTP ----

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.apiRoot);
    const path = decodeURIComponent(url.pathname);
    const notFound = () => this.#send(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(path);
    if (fileMatch) {
      const file = fileMatch[1] === this.token ? this.#filesByPath.get(fileMatch[2] ?? "") : undefined;
      if (!file || req.method !== "GET") return notFound();
      res.writeHead(200, { "content-type": file.mime_type, "content-length": file.data.length });
      res.end(file.data);
      return;
    }
    const apiMatch = /^\/bot([^/]+)\/([A-Za-z_]+)$/.exec(path);
    if (!apiMatch || apiMatch[1] !== this.token) return notFound();
    const method = apiMatch[2] as string;
    const at = Date.now();
    let params: Record<string, unknown> = {};
    let files: UploadedFile[] = [];
    const record = (response: ApiResponse, httpStatus: number) =>
      this.#record({ method, params, files, at, response, httpStatus });
    const answer = (response: ApiResponse) => {
      const status = response.ok ? 200 : (response.error_code ?? 400);
      record(response, status);
      const delay = this.#answerDelayMs[method];
      if (delay) setTimeout(() => this.#send(res, status, response), delay);
      else this.#send(res, status, response);
    };
    try {
      ({ params, files } = await this.#parseRequest(req, url));
    } catch (err) {
      return answer({
        ok: false,
        error_code: 400,
        description: `Bad Request: can't parse request: ${String(err)}`,
      });
    }

    if (this.#revoked) return answer({ ok: false, error_code: 401, description: "Unauthorized" });
    let script = this.#takeScript(method, params);
    while (script?.kind === "delay") {
      const ms = script.ms;
      await new Promise((r) => setTimeout(r, ms));
      script = this.#takeScript(method, params);
    }
    if (script?.kind === "drop") {
      record({ ok: false, description: "connection dropped by FakeBotApi.dropNext" }, 0);
      req.socket.destroy();
      return;
    }
    if (script?.kind === "http") {
      record({ ok: false, error_code: script.status, description: script.body }, script.status);
      res.writeHead(script.status, { "content-type": "text/html" });
      res.end(script.body);
      return;
    }
    if (script?.kind === "error") {
      const e = script.error;
      return answer({ ok: false, ...e });
    }

    if (method === "getUpdates") return this.#getUpdates(params, res, answer, record);
    const retryAfter = this.#floodWait(method, params);
    if (retryAfter !== undefined) {
      this.floodErrors++;
      return answer({
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${retryAfter}`,
        parameters: { retry_after: retryAfter },
      });
    }
    let response: ApiResponse;
    try {
      response = { ok: true, result: this.#dispatch(method, params, files) };
    } catch (err) {
      if (err instanceof EntityParseError) {
        response = {
          ok: false,
          error_code: 400,
          description: `Bad Request: can't parse entities: ${err.message}`,
        };
      } else if (err instanceof ApiError) response = { ok: false, ...err.spec };
      else throw err;
    }
    answer(response);
  }

  async #parseRequest(
    req: IncomingMessage,
    url: URL,
  ): Promise<{ params: Record<string, unknown>; files: UploadedFile[] }> {
    const params: Record<string, unknown> = {};
    for (const [k, v] of url.searchParams) params[k] = decodeField(k, v);
    if (req.method !== "POST") return { params, files: [] };
    const body = await readBody(req);
    const type = req.headers["content-type"] ?? "";
    if (body.length === 0) return { params, files: [] };
    if (type.startsWith("multipart/form-data")) {
      const parsed = await parseMultipart(body, type);
      Object.assign(params, parsed.params);
      return { params, files: attachFiles(params, parsed.parts) };
    }
    if (type.startsWith("application/x-www-form-urlencoded")) {
      for (const [k, v] of new URLSearchParams(body.toString("utf8"))) params[k] = decodeField(k, v);
      return { params, files: [] };
    }
    const json: unknown = JSON.parse(body.toString("utf8"));
    if (typeof json === "object" && json !== null && !Array.isArray(json)) Object.assign(params, json);
    return { params, files: [] };
  }

  #send(res: ServerResponse, status: number, body: unknown): void {
    if (res.writableEnded || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  }

  #record(call: ApiCall): void {
    this.calls.push(call);
    for (const w of [...this.#waiters]) {
      if (w.method === call.method && (!w.predicate || w.predicate(call))) w.resolve(call);
    }
  }

  #getUpdates(
    params: Record<string, unknown>,
    res: ServerResponse,
    answer: (r: ApiResponse) => void,
    record: (r: ApiResponse, status: number) => void,
  ): void {
    if (this.#webhook) {
      answer({
        ok: false,
        error_code: 409,
        description:
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      });
      return;
    }
    const offset = Number(params.offset ?? 0);
    if (offset > 0) this.#queue = this.#queue.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.#queue = this.#queue.slice(offset);
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100) || 100));
    const timeout = Math.max(0, Number(params.timeout ?? 0) || 0);
    const previous = this.#poller;
    if (previous) {
      this.#poller = undefined;
      clearTimeout(previous.timer);
      previous.finish({
        ok: false,
        error_code: 409,
        description:
          "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      });
    }
    if (this.#queue.length > 0 || timeout === 0 || this.#closed) {
      answer({ ok: true, result: this.#queue.slice(0, limit) });
      return;
    }
    let done = false;
    const poller: Poller = {
      limit,
      finish: (r) => {
        if (done) return;
        done = true;
        answer(r);
      },
      timer: setTimeout(() => {
        if (this.#poller === poller) this.#poller = undefined;
        poller.finish({ ok: true, result: this.#queue.slice(0, limit) });
      }, timeout * 1000),
    };
    this.#poller = poller;
    for (const w of this.#pollWaiters) w();
    this.#pollWaiters.clear();
    res.on("close", () => {
      if (done) return;
      done = true; // client aborted (e.g. bot.stop())
      clearTimeout(poller.timer);
      if (this.#poller === poller) this.#poller = undefined;
      record({ ok: false, description: "request aborted by the client" }, 0);
    });
  }

  #wakePoller(): void {
    const poller = this.#poller;
    if (!poller || this.#queue.length === 0) return;
    this.#poller = undefined;
    clearTimeout(poller.timer);
    // Let updates pushed in the same tick (e.g. a media group) arrive in one batch.
    setImmediate(() => poller.finish({ ok: true, result: this.#queue.slice(0, poller.limit) }));
  }

  // ---- methods ----

  /** How many 429s the flood limits answered (with enforceLimits). */
  floodErrors = 0;
  readonly #sent: { at: number; chatId: number }[] = [];

  /** Seconds to wait if this send breaks a flood limit now; undefined when it may go. */
  #floodWait(method: string, params: Record<string, unknown>): number | undefined {
    if (!this.#enforceLimits || !SENDING.test(method)) return undefined;
    const now = Date.now();
    const chatId = Number(params.chat_id);
    while (this.#sent.length > 0 && (this.#sent[0]?.at ?? now) < now - 60_000) this.#sent.shift();
    const since = (ms: number, chat?: number) =>
      this.#sent.filter((s) => s.at > now - ms && (chat === undefined || s.chatId === chat)).length;
    // A little slack below the published limits, as Telegram itself allows short bursts.
    const tooFast =
      since(950) >= 30 || since(900, chatId) >= 1 || (chatId < 0 && since(59_000, chatId) >= 20);
    if (tooFast) return 1;
    this.#sent.push({ at: now, chatId });
    return undefined;
  }

  #dispatch(method: string, p: Record<string, unknown>, files: UploadedFile[]): unknown {
    // Telegram refuses a request with half a character (a text cut inside an emoji) anywhere in it.
    if (!wellFormed(p)) throw bad("strings must be encoded in UTF-8");
    this.#assertNotBlocked(method, p);
    const media = SEND_MEDIA[method];
    if (media) return this.#sendMedia(method, media, p, files);
    switch (method) {
      case "getMe":
        return this.botInfo;
      case "logOut":
      case "close":
      case "sendChatAction":
        return true;
      case "setWebhook":
        if (typeof p.url !== "string") throw bad("bad webhook: URL must be provided");
        this.#webhook = p.url === "" ? undefined : { ...p };
        if (p.drop_pending_updates === true) this.#queue = [];
        return true;
      case "deleteWebhook":
        this.#webhook = undefined;
        if (p.drop_pending_updates === true) this.#queue = [];
        return true;
      case "getWebhookInfo":
        return {
          url: typeof this.#webhook?.url === "string" ? this.#webhook.url : "",
          has_custom_certificate: false,
          pending_update_count: this.#queue.length,
          ...(this.#webhook?.max_connections !== undefined
            ? { max_connections: this.#webhook.max_connections }
            : {}),
          ...(this.#webhook?.allowed_updates !== undefined
            ? { allowed_updates: this.#webhook.allowed_updates }
            : {}),
        };
      case "setMyCommands": {
        const commands = p.commands;
        if (!Array.isArray(commands)) throw bad("can't parse commands JSON object");
        for (const c of commands as BotCommand[]) {
          if (typeof c.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command))
            throw bad("BOT_COMMAND_INVALID");
          if (typeof c.description !== "string" || c.description.trim() === "") {
            throw bad("command description is empty");
          }
        }
        const key = this.#scopeKey(p.scope, p.language_code);
        if (commands.length === 0) this.#commands.delete(key);
        else this.#commands.set(key, commands as BotCommand[]);
        return true;
      }
      case "deleteMyCommands":
        this.#commands.delete(this.#scopeKey(p.scope, p.language_code));
        return true;
      case "getMyCommands":
        return this.#commands.get(this.#scopeKey(p.scope, p.language_code)) ?? [];
      case "sendMessage":
        return this.#sendMessage(p);
      case "editMessageText":
      case "editMessageCaption":
      case "editMessageReplyMarkup":
        return this.#edit(method, p);
      case "deleteMessage": {
        const state = this.#resolveChat(p.chat_id);
        if (!state.messages.find(Number(p.message_id))) throw bad("message to delete not found");
        state.messages.remove(new Set([Number(p.message_id)]));
        return true;
      }
      case "deleteMessages": {
        const state = this.#resolveChat(p.chat_id);
        const ids = new Set((Array.isArray(p.message_ids) ? p.message_ids : []).map(Number));
        state.messages.remove(ids);
        return true;
      }
      case "answerCallbackQuery": {
        if (typeof p.text === "string" && p.text.length > POP_UP_LIMIT) throw bad("MESSAGE_TOO_LONG");
        const id = String(p.callback_query_id ?? "");
        if (this.#callbackQueries.get(id) !== null) {
          throw bad("query is too old and response timeout expired or query ID is invalid");
        }
        this.#callbackQueries.set(id, { ...p });
        return true;
      }
      case "sendMediaGroup":
        return this.#sendMediaGroup(p, files);
      case "copyMessage":
        return { message_id: this.#copyOrForward(p, p.message_id, false).message_id };
      case "copyMessages":
        return this.#ids(p).map((id) => ({ message_id: this.#copyOrForward(p, id, false).message_id }));
      case "forwardMessage":
        return this.#copyOrForward(p, p.message_id, true);
      case "forwardMessages":
        return this.#ids(p).map((id) => ({ message_id: this.#copyOrForward(p, id, true).message_id }));
      case "getFile": {
        const f = typeof p.file_id === "string" ? this.#lookupFile(p.file_id) : undefined;
        if (!f) throw bad("invalid file_id");
        if (f.file_size > MAX_DOWNLOAD) throw bad("file is too big");
        return {
          file_id: f.file_id,
          file_unique_id: f.file_unique_id,
          file_size: f.file_size,
          file_path: f.file_path,
        };
      }
      case "getChat": {
        const { chat } = this.#resolveChat(p.chat_id);
        return {
          ...chat,
          accent_color_id: Math.abs(chat.id) % 7,
          max_reaction_count: 11,
          accepted_gift_types: {
            unlimited_gifts: false,
            limited_gifts: false,
            unique_gifts: false,
            premium_subscription: false,
            gifts_from_channels: false,
          },
          ...(chat.type === "group" || chat.type === "supergroup"
            ? { permissions: { can_send_messages: true, can_invite_users: true } }
            : {}),
        };
      }
      case "getChatMember": {
        const state = this.#resolveChat(p.chat_id);
        const userId = Number(p.user_id);
        if (!Number.isFinite(userId) || userId <= 0) throw bad("invalid user_id specified");
        return this.#memberOf(state, userId);
      }
      case "getChatAdministrators": {
        const state = this.#resolveChat(p.chat_id);
        if (state.chat.type === "private") throw bad("there are no administrators in the private chat");
        const all = new Map(state.members);
        if (!all.has(this.botUser.id)) all.set(this.botUser.id, this.#memberOf(state, this.botUser.id));
        return [...all.values()].filter((m) => m.status === "creator" || m.status === "administrator");
      }
      case "getChatMemberCount": {
        const state = this.#resolveChat(p.chat_id);
        const present = [...state.members.values()].filter(
          (m) => m.status !== "left" && m.status !== "kicked",
        );
        return Math.max(2, present.length);
      }
      case "leaveChat": {
        const state = this.#resolveChat(p.chat_id);
        if (state.chat.type === "private") throw bad("chat member status can't be changed in private chats");
        state.members.set(this.botUser.id, chatMember(this.botUser, "left"));
        return true;
      }
      default:
        return true;
    }
  }

  #scopeKey(scope: unknown, lang: unknown): string {
    const s = (typeof scope === "object" && scope !== null ? scope : { type: "default" }) as Record<
      string,
      unknown
    >;
    return `${String(s.type ?? "default")}|${String(s.chat_id ?? "")}|${String(s.user_id ?? "")}|${String(lang ?? "")}`;
  }

  #ids(p: Record<string, unknown>): unknown[] {
    if (!Array.isArray(p.message_ids) || p.message_ids.length === 0)
      throw bad("message identifiers are empty");
    return p.message_ids as unknown[];
  }

  #validateMarkup(markup: unknown): void {
    if (!isInlineMarkup(markup)) return;
    // Not in the Bot API docs: seen in Telegram's answers (a keyboard past it is refused whole).
    if (markup.inline_keyboard.flat().length > MAX_INLINE_BUTTONS) throw bad("reply markup is too long");
    for (const row of markup.inline_keyboard) {
      if (!Array.isArray(row))
        throw bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
      for (const b of row as (InlineKeyboardButton & Record<string, unknown>)[]) {
        if (typeof b.text !== "string" || b.text === "")
          throw bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        const data = b.callback_data;
        if (data !== undefined && (typeof data !== "string" || data === "" || Buffer.byteLength(data) > 64)) {
          throw bad("BUTTON_DATA_INVALID");
        }
        const actions = [
          "url",
          "callback_data",
          "web_app",
          "login_url",
          "switch_inline_query",
          "switch_inline_query_current_chat",
          "switch_inline_query_chosen_chat",
          "copy_text",
          "callback_game",
          "pay",
        ];
        if (!actions.some((k) => b[k] !== undefined)) {
          throw bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        }
      }
    }
  }

  /** Builds, stores and returns a new bot message in `state`. */
  #newBotMessage(
    state: ChatState,
    method: string,
    p: Record<string, unknown>,
    content: Record<string, unknown>,
  ): Message {
    const messageId = this.#nextMessageId(state);
    const msg: Record<string, unknown> = {
      message_id: messageId,
      ...(state.chat.type === "channel" ? { sender_chat: state.chat } : { from: this.botUser }),
      chat: state.chat,
      date: this.#clock(),
    };
    if (p.message_thread_id !== undefined) {
      msg.message_thread_id = p.message_thread_id;
      // As Telegram marks a message in a forum's topic (a button pressed under it tells its topic so).
      if ("is_forum" in state.chat && state.chat.is_forum) msg.is_topic_message = true;
    }
    const reply = this.#replyTarget(state, p);
    if (reply) msg.reply_to_message = reply;
    Object.assign(msg, content);
    this.#validateMarkup(p.reply_markup);
    if (isInlineMarkup(p.reply_markup) && p.reply_markup.inline_keyboard.some((r) => r.length > 0)) {
      msg.reply_markup = p.reply_markup;
    }
    const message = msg as unknown as Message;
    const stored = this.#toStored(message, true, method);
    if (p.reply_markup !== undefined && typeof p.reply_markup === "object" && p.reply_markup !== null) {
      stored.reply_markup = p.reply_markup as Record<string, unknown>;
    }
    state.messages.put(stored);
    return message;
  }

  #nextMessageId(state: ChatState): number {
    const localMax = state.messages.maxId;
    let id = nextMessageId(state.chat.id);
    if (id <= localMax) {
      id = localMax + 1;
      noteMessageId(state.chat.id, id);
    }
    return id;
  }

  #replyTarget(state: ChatState, p: Record<string, unknown>): Message | undefined {
    const rp = p.reply_parameters as
      | { message_id?: number; chat_id?: unknown; allow_sending_without_reply?: boolean }
      | undefined;
    const id = rp?.message_id ?? p.reply_to_message_id;
    if (id === undefined) return undefined;
    const target = rp?.chat_id !== undefined ? this.#resolveChat(rp.chat_id) : state;
    const found = this.#findMessage(target, id);
    if (!found) {
      if (rp?.allow_sending_without_reply || p.allow_sending_without_reply) return undefined;
      throw bad("message to be replied not found");
    }
    const { reply_to_message: _nested, ...rest } = found.message;
    return rest as Message;
  }

  #text(
    raw: unknown,
    parseMode: unknown,
    entities: unknown,
    what: "text" | "caption",
  ): { text: string; entities?: MessageEntity[] } {
    const src = typeof raw === "string" ? raw : raw === undefined || raw === null ? "" : String(raw);
    const f = formatText(src, parseMode, entities);
    if (what === "text") {
      if (f.text.trim() === "") throw bad("message text is empty");
      if (f.text.length > 4096) throw bad("message is too long");
    } else if (f.text.length > 1024) throw bad("message caption is too long");
    return f.entities.length > 0 ? { text: f.text, entities: f.entities } : { text: f.text };
  }

  #sendMessage(p: Record<string, unknown>): Message {
    const state = this.#resolveChat(p.chat_id);
    this.#assertCanSend(state);
    const t = this.#text(p.text, p.parse_mode, p.entities, "text");
    return this.#newBotMessage(state, "sendMessage", p, {
      text: t.text,
      ...(t.entities ? { entities: t.entities } : {}),
    });
  }

  #captionContent(p: {
    caption?: unknown;
    parse_mode?: unknown;
    caption_entities?: unknown;
  }): Record<string, unknown> {
    if (p.caption === undefined || p.caption === "") return {};
    const c = this.#text(p.caption, p.parse_mode, p.caption_entities, "caption");
    return c.text === "" ? {} : { caption: c.text, ...(c.entities ? { caption_entities: c.entities } : {}) };
  }

  #sendMedia(method: string, kind: MediaKind, p: Record<string, unknown>, files: UploadedFile[]): Message {
    const state = this.#resolveChat(p.chat_id);
    this.#assertCanSend(state);
    const file = this.#resolveInputFile(p[kind], kind, files, kind);
    return this.#newBotMessage(state, method, p, {
      [kind]: this.#mediaObject(kind, file),
      ...this.#captionContent(p),
    });
  }

  #sendMediaGroup(p: Record<string, unknown>, files: UploadedFile[]): Message[] {
    const state = this.#resolveChat(p.chat_id);
    this.#assertCanSend(state);
    const media = p.media;
    if (!Array.isArray(media) || media.length < 2 || media.length > 10) {
      throw bad("wrong number of media in the media group: must be 2-10");
    }
    const groupId = String(++this.#mediaGroupCounter);
    return (media as Record<string, unknown>[]).map((item, i) => {
      const kind = item.type as MediaKind;
      if (!["photo", "video", "document", "audio"].includes(kind))
        throw bad(`unsupported media type "${String(kind)}"`);
      const file = this.#resolveInputFile(item.media, kind, files, `media[${i}].media`);
      const { reply_markup: _ignored, ...rest } = p;
      return this.#newBotMessage(state, "sendMediaGroup", rest, {
        media_group_id: groupId,
        [kind]: this.#mediaObject(kind, file),
        ...this.#captionContent(item),
      });
    });
  }

  #copyOrForward(p: Record<string, unknown>, messageId: unknown, forward: boolean): Message {
    const from = this.#resolveChat(p.from_chat_id, "from_chat_id");
    const source = this.#findMessage(from, messageId);
    if (!source) throw bad(forward ? "message to forward not found" : "message to copy not found");
    const target = this.#resolveChat(p.chat_id);
    this.#assertCanSend(target);
    const {
      message_id: _id,
      from: sender,
      sender_chat: senderChat,
      chat: _chat,
      date,
      edit_date: _e,
      reply_markup: _m,
      reply_to_message: _r,
      forward_origin: origin,
      media_group_id: _g,
      message_thread_id: _t,
      ...content
    } = source.message;
    if (forward) {
      const forward_origin =
        origin ??
        (from.chat.type === "channel"
          ? { type: "channel", chat: from.chat, message_id: source.message_id, date }
          : senderChat
            ? { type: "chat", sender_chat: senderChat, date }
            : { type: "user", sender_user: sender ?? this.botUser, date });
      const { reply_markup: _rm, ...rest } = p;
      return this.#newBotMessage(target, "forwardMessage", rest, { ...content, forward_origin });
    }
    if (p.caption !== undefined && (content.caption !== undefined || source.media)) {
      delete content.caption;
      delete content.caption_entities;
      Object.assign(content, this.#captionContent(p));
    }
    return this.#newBotMessage(target, "copyMessage", p, content as Record<string, unknown>);
  }

  #edit(method: string, p: Record<string, unknown>): Message | true {
    this.#validateMarkup(p.reply_markup);
    if (p.inline_message_id !== undefined) return true;
    const state = this.#resolveChat(p.chat_id);
    const stored = this.#findMessage(state, p.message_id);
    if (!stored) throw bad("message to edit not found");
    if (!stored.from_bot) throw bad("message can't be edited");
    const newMarkup =
      isInlineMarkup(p.reply_markup) && p.reply_markup.inline_keyboard.some((r) => r.length > 0)
        ? (p.reply_markup as InlineKeyboardMarkup)
        : undefined;
    const oldMarkup = isInlineMarkup(stored.message.reply_markup) ? stored.message.reply_markup : undefined;
    const msg = { ...stored.message } as Record<string, unknown>;
    let unchanged = deepEqual(newMarkup, oldMarkup);
    if (method === "editMessageText") {
      if (stored.text === undefined) throw bad("there is no text in the message to edit");
      const t = this.#text(p.text, p.parse_mode, p.entities, "text");
      unchanged &&= t.text === stored.text && deepEqual(t.entities ?? [], stored.entities ?? []);
      msg.text = t.text;
      if (t.entities) msg.entities = t.entities;
      else delete msg.entities;
    } else if (method === "editMessageCaption") {
      if (!stored.media) throw bad("there is no caption in the message to edit");
      const c = this.#captionContent(p);
      unchanged &&=
        c.caption === stored.caption && deepEqual(c.caption_entities ?? [], stored.caption_entities ?? []);
      delete msg.caption;
      delete msg.caption_entities;
      Object.assign(msg, c);
    }
    if (unchanged) {
      throw bad(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    }
    if (newMarkup) msg.reply_markup = newMarkup;
    else delete msg.reply_markup;
    msg.edit_date = this.#clock();
    const updated = this.#toStored(msg as unknown as Message, true, stored.method);
    state.messages.put(updated);
    return msg as unknown as Message;
  }
}
