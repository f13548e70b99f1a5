import { and, desc, eq, inArray, isNotNull, like, ne, sql } from "drizzle-orm";
import { type Db, preparedPerConnection, type Tx } from "../db/client.js";
import {
  auditEvents,
  boundChats,
  type ChatPurpose,
  noticesSent,
  notifications,
  organizations,
  people,
  type Role,
} from "../db/schema.js";
import { audit, madeByThisUpdate } from "./audit.js";
import { movedLeaseKey } from "./notices.js";
import { reachableWithRole, telegramIdsWithRole } from "./people.js";

export type BoundChat = typeof boundChats.$inferSelect & { organizationName: string | null };

function selectBoundChats(db: Tx) {
  return db
    .select({
      chatId: boundChats.chatId,
      purpose: boundChats.purpose,
      organizationId: boundChats.organizationId,
      title: boundChats.title,
      boundBy: boundChats.boundBy,
      boundAt: boundChats.boundAt,
      threadId: boundChats.threadId,
      organizationName: organizations.name,
    })
    .from(boundChats)
    .leftJoin(organizations, eq(organizations.id, boundChats.organizationId));
}

export function findBoundChat(db: Tx, chatId: number): BoundChat | undefined {
  return selectBoundChats(db).where(eq(boundChats.chatId, chatId)).get();
}

/** Every card and alert asks where an organization and the curators are. */
const chatQueries = preparedPerConnection((db) => ({
  ofOrganization: db
    .select({ chatId: boundChats.chatId })
    .from(boundChats)
    .where(eq(boundChats.organizationId, sql.placeholder("organizationId")))
    .prepare(),
  byPurpose: db
    .select({ chatId: boundChats.chatId })
    .from(boundChats)
    .where(eq(boundChats.purpose, sql.placeholder("purpose")))
    // Older versions let a second curators' chat be bound beside the first: the newest one serves.
    .orderBy(desc(boundChats.boundAt))
    .prepare(),
  topic: db
    .select({ threadId: boundChats.threadId })
    .from(boundChats)
    .where(eq(boundChats.chatId, sql.placeholder("chatId")))
    .prepare(),
}));

/** The forum topic a chat was bound in, where what the bot sends there of itself goes; none for the whole chat. */
export function boundTopic(db: Tx, chatId: number): number | undefined {
  return chatQueries(db).topic.get({ chatId })?.threadId ?? undefined;
}

/**
 * The topic a chat was bound in is gone (deleted, closed to the bot, topics switched off): the chat
 * is served in its general topic from now on. False when it was so already (another call found out).
 */
export function forgetBoundTopic(db: Db, input: { chatId: number; threadId: number; now: Date }): boolean {
  return db.transaction((tx) => {
    const forgotten = tx
      .update(boundChats)
      .set({ threadId: null })
      .where(and(eq(boundChats.chatId, input.chatId), eq(boundChats.threadId, input.threadId)))
      .run();
    if (forgotten.changes === 0) return false;
    audit(tx, input.now, {
      actorId: null,
      entity: "chat",
      entityId: input.chatId,
      action: "topic_lost",
      details: { threadId: input.threadId },
    });
    return true;
  });
}

export function chatOfOrganization(db: Tx, organizationId: number): number | undefined {
  return chatQueries(db).ofOrganization.get({ organizationId })?.chatId;
}

export type BindResult =
  | {
      ok: true;
      /** Chats that served the same purpose before (the organization's or the curators'), now unbound. */
      replaced: { chatId: number; title: string }[];
      /** What this chat was bound to before, if anything. */
      previous: BoundChat | undefined;
    }
  | { ok: false; reason: "organization_not_found" | "organization_inactive" };

/**
 * Binds a group chat to an organization (its work chat) or as the curators' chat. A chat serves one
 * purpose, an organization has one work chat and the curators have one chat: binding again moves it.
 */
export function bindChat(
  db: Db,
  input: {
    chatId: number;
    title: string;
    purpose: ChatPurpose;
    organizationId: number | null;
    /** The forum topic it is bound in (the bot writes there), or none: the whole chat. */
    threadId?: number | null;
    actorId: number | null;
    now: Date;
  },
): BindResult {
  return db.transaction((tx): BindResult => {
    if (input.organizationId !== null) {
      const organization = tx
        .select()
        .from(organizations)
        .where(eq(organizations.id, input.organizationId))
        .get();
      if (!organization) return { ok: false, reason: "organization_not_found" };
      if (!organization.active) return { ok: false, reason: "organization_inactive" };
    }
    const previous = findBoundChat(tx, input.chatId);
    const samePurpose =
      input.organizationId === null
        ? eq(boundChats.purpose, "curators")
        : eq(boundChats.organizationId, input.organizationId);
    const replaced = tx
      .select()
      .from(boundChats)
      .where(and(samePurpose, ne(boundChats.chatId, input.chatId)))
      .all();
    for (const old of replaced)
      dropBinding(tx, old, {
        actorId: input.actorId,
        now: input.now,
        reason: "replaced",
        replacedBy: input.chatId,
      });
    tx.insert(boundChats)
      .values({
        chatId: input.chatId,
        purpose: input.purpose,
        organizationId: input.organizationId,
        title: input.title,
        boundBy: input.actorId,
        boundAt: input.now,
        threadId: input.threadId ?? null,
      })
      .onConflictDoUpdate({
        target: boundChats.chatId,
        set: {
          purpose: input.purpose,
          organizationId: input.organizationId,
          title: input.title,
          boundBy: input.actorId,
          boundAt: input.now,
          threadId: input.threadId ?? null,
        },
      })
      .run();
    audit(tx, input.now, {
      actorId: input.actorId,
      entity: "chat",
      entityId: input.chatId,
      action: "bound",
      fromState: previous ? describe(previous) : "unbound",
      toState: describe(input),
      details: {
        title: input.title,
        replacedChatIds: replaced.map((old) => old.chatId),
        ...(input.threadId != null ? { threadId: input.threadId } : {}),
      },
    });
    return {
      ok: true,
      replaced: replaced.map((old) => ({ chatId: old.chatId, title: old.title })),
      previous,
    };
  });
}

function describe(chat: { purpose: ChatPurpose; organizationId: number | null }): string {
  return chat.purpose === "organization" ? `organization:${chat.organizationId}` : chat.purpose;
}

/**
 * What a group served before, newest first, as its bindings' audit events say (see describe): an
 * organization's id, or null for the curators' chat. The cards left there are that one's.
 */
export function formerBindings(db: Tx, chatId: number): (number | null)[] {
  const events = db
    .select({ fromState: auditEvents.fromState })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.entity, "chat"),
        eq(auditEvents.entityId, String(chatId)),
        inArray(auditEvents.action, ["bound", "unbound"]),
      ),
    )
    .orderBy(desc(auditEvents.id))
    .all();
  return events.flatMap(({ fromState }) => {
    if (fromState === "curators") return [null];
    const organizationId = /^organization:(\d+)$/.exec(fromState ?? "")?.[1];
    return organizationId === undefined ? [] : [Number(organizationId)];
  });
}

/**
 * Why a chat was unbound: by an admin, the bot removed from it, another chat bound in its place, or
 * its organization merged into another (app/organization-merge.ts).
 */
type UnbindReason = "admin" | "bot_removed" | "replaced" | "merged";

/** Takes a chat's binding away, with the audit event of why and what it served; call inside the change's transaction. */
export function dropBinding(
  tx: Tx,
  chat: Pick<BoundChat, "chatId" | "purpose" | "organizationId" | "title"> & {
    organizationName?: string | null;
  },
  input: { actorId: number | null; now: Date; reason: UnbindReason; replacedBy?: number },
): void {
  tx.delete(boundChats).where(eq(boundChats.chatId, chat.chatId)).run();
  audit(tx, input.now, {
    actorId: input.actorId,
    entity: "chat",
    entityId: chat.chatId,
    action: "unbound",
    fromState: describe(chat),
    toState: "unbound",
    details: {
      reason: input.reason,
      title: chat.title,
      purpose: chat.purpose,
      organizationId: chat.organizationId,
      organizationName: chat.organizationName ?? null,
      ...(input.replacedBy !== undefined ? { replacedBy: input.replacedBy } : {}),
    },
  });
}

/**
 * Unbinds a chat (by an admin, or because the bot was removed); returns what it was bound to. The
 * update handled again after a crash that had unbound it gets the same answer, from its audit event,
 * so whoever it tells is told still.
 */
export function unbindChat(
  db: Db,
  input: {
    chatId: number;
    actorId: number | null;
    reason: Exclude<UnbindReason, "replaced" | "merged">;
    now: Date;
  },
): Pick<BoundChat, "title" | "purpose" | "organizationId" | "organizationName"> | undefined {
  return db.transaction((tx) => {
    const bound = findBoundChat(tx, input.chatId);
    if (bound) {
      dropBinding(tx, bound, input);
      return bound;
    }
    const made = madeByThisUpdate(tx, { entity: "chat", entityId: input.chatId, action: "unbound" });
    if (!made) return undefined;
    const { title, purpose, organizationName } = made as Record<string, string | null | undefined>;
    if (purpose !== "curators" && purpose !== "organization") return undefined;
    // One unbound by an older version kept no organization's id: only the admins are told then.
    const organizationId = typeof made.organizationId === "number" ? made.organizationId : null;
    return {
      title: title ?? String(input.chatId),
      purpose,
      organizationId,
      organizationName: organizationName ?? null,
    };
  });
}

/**
 * A bound chat renamed in Telegram: the binding takes its new title, so that /chats, the
 * organizations' cards and the admins' notices name the chat as its members see it.
 */
export function renameChat(
  db: Db,
  input: { chatId: number; title: string; actorId: number | null; now: Date },
): boolean {
  return db.transaction((tx) => {
    const bound = findBoundChat(tx, input.chatId);
    if (!bound || bound.title === input.title) return false;
    tx.update(boundChats).set({ title: input.title }).where(eq(boundChats.chatId, input.chatId)).run();
    audit(tx, input.now, {
      actorId: input.actorId,
      entity: "chat",
      entityId: input.chatId,
      action: "renamed",
      details: { from: bound.title, to: input.title },
    });
    return true;
  });
}

/**
 * A group upgraded to a supergroup gets a new id; the binding follows it, and so does what the chat
 * was already sent (see carryLedgersToChat).
 */
export function migrateChat(db: Db, input: { fromChatId: number; toChatId: number; now: Date }): boolean {
  return db.transaction((tx) => {
    const moved = tx
      .update(boundChats)
      .set({ chatId: input.toChatId })
      .where(eq(boundChats.chatId, input.fromChatId))
      .run();
    // Handled again after a crash, the update that moved it says so still.
    if (moved.changes === 0)
      return (
        madeByThisUpdate(tx, { entity: "chat", entityId: input.toChatId, action: "migrated" }) !== undefined
      );
    carryLedgersToChat(tx, input.fromChatId, input.toChatId);
    audit(tx, input.now, {
      actorId: null,
      entity: "chat",
      entityId: input.toChatId,
      action: "migrated",
      details: { fromChatId: input.fromChatId },
    });
    return true;
  });
}

/**
 * The keys of the notices ledger (notices_sent) that name a chat, each with its lease
 * (`<key>:sending`) and a report's parts (`<key>:sent:<n>`): the chat id is the second group.
 * Every builder of such a key is here; one that names a new chat must be added.
 */
const CHAT_IN_NOTICE_KEY = [
  // The morning digests (jobs/digest.ts): `morning:<chat>:<day>`.
  /^(morning:)(-?\d+)(:.*)$/,
  // The reminders of «Размещу лично» (jobs/curator-posting.ts): `curator-posting:<event>:<chat>`.
  /^(curator-posting:\d+:)(-?\d+)(:sending)?$/,
  // The admins told that a chat refuses the bot (bot/refused-chats.ts): `chat-unreachable:<chat>`.
  /^(chat-unreachable:)(-?\d+)(:sending)?$/,
  // One recipient's copy: the monthly reports (jobs/reports.ts), the surges (bot/surge.ts), the
  // heads' notices and lists (app/intake.ts, app/incident-queries.ts): `<notice>:to:<chat>`.
  /^(.*:to:)(-?\d+)(:.*)?$/,
];

/**
 * The chat moved to a new id (migrateChat) takes along what it was already sent, so that nothing goes
 * to it twice: its lines of the notices ledger (today's digest, a surge, a month's report; see
 * CHAT_IN_NOTICE_KEY) and of the alerts' ledger (notifications: the reminders, overdue alerts and
 * escalations it had, and the digest's «missed» list built from them). A line the new id has already
 * is kept as it is.
 */
function carryLedgersToChat(tx: Tx, fromChatId: number, toChatId: number): void {
  tx.run(sql`UPDATE OR IGNORE ${notifications} SET chat_id = ${toChatId} WHERE chat_id = ${fromChatId}`);
  const lines = tx
    .select()
    .from(noticesSent)
    .where(like(noticesSent.key, `%${fromChatId}%`))
    .all();
  for (const line of lines) {
    const key = CHAT_IN_NOTICE_KEY.map((shape) => shape.exec(line.key)).find(
      (match) => match !== null && Number(match[2]) === fromChatId,
    );
    if (!key) continue;
    const moved = `${key[1]}${toChatId}${key[3] ?? ""}`;
    tx.insert(noticesSent).values({ key: moved, sentAt: line.sentAt }).onConflictDoNothing().run();
    tx.delete(noticesSent).where(eq(noticesSent.key, line.key)).run();
    // A send under way (followed to the new id) is ended by its sender under the old key: the moved
    // lease ends with it rather than lapsing into a second send (see notices.ts).
    if (line.key.endsWith(":sending")) {
      const lease = movedLeaseKey(line.key.slice(0, -":sending".length), moved.slice(0, -":sending".length));
      tx.insert(noticesSent).values({ key: lease, sentAt: line.sentAt }).onConflictDoNothing().run();
    }
  }
}

export function listBoundChats(db: Db): BoundChat[] {
  return selectBoundChats(db).orderBy(boundChats.title).all();
}

/** The chat bound for a purpose that has one chat per deployment (the curators' chat). */
export function findBoundChatByPurpose(db: Tx, purpose: "curators"): number | undefined {
  return chatQueries(db).byPurpose.get({ purpose })?.chatId;
}

/**
 * The titles of the chats where a role's cards come: an executor's, his organizations' work chats; a
 * curator's, the curators' chat. None while they are unbound (the cards come privately), nor for
 * another role.
 */
export function workChatTitles(db: Tx, role: Role, organizationIds: readonly number[]): string[] {
  const chatIds =
    role === "curator"
      ? [findBoundChatByPurpose(db, "curators")]
      : role === "executor"
        ? organizationIds.map((id) => chatOfOrganization(db, id))
        : [];
  return chatIds.flatMap((chatId) => {
    const chat = chatId === undefined ? undefined : findBoundChat(db, chatId);
    return chat ? [chat.title] : [];
  });
}

/** The chat where a newcomer of a role (an executor, of `organizationId`) gets cards, as workChatTitles. */
export function workChatTitle(db: Tx, role: Role, organizationId: number | null): string | undefined {
  return workChatTitles(db, role, organizationId === null ? [] : [organizationId])[0];
}

/** Where the curators are told: their bound chat, or each curator privately when none is bound. */
export function curatorChats(db: Tx): number[] {
  const chat = findBoundChatByPurpose(db, "curators");
  return chat !== undefined ? [chat] : telegramIdsWithRole(db, "curator");
}

/**
 * Where the bot writes to the curators unasked (alerts, notices): as curatorChats, but without the
 * curators who block the bot, whom Telegram would refuse every time.
 */
export function reachableCuratorChats(db: Tx): number[] {
  const chat = findBoundChatByPurpose(db, "curators");
  return chat !== undefined ? [chat] : reachableWithRole(db, "curator");
}

/**
 * A person who writes to the bot or unblocks it can be reached again: the mark a refused delivery
 * left is cleared, so private cards and notices go to them anew. True when there was a mark. Runs on
 * every update of a private chat, hence the prepared statement that changes nothing most of the time.
 */
export function markReachable(db: Db, telegramId: number): boolean {
  return unblock(db).run({ telegramId }).changes > 0;
}

const unblock = preparedPerConnection((db) =>
  db
    .update(people)
    .set({ blockedAt: null })
    .where(and(eq(people.telegramId, sql.placeholder("telegramId")), isNotNull(people.blockedAt)))
    .prepare(),
);
