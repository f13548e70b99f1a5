import { sql } from "drizzle-orm";
import {
  type AnySQLiteColumn,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

export const ROLES = ["admin", "curator", "executor", "head"] as const;
export type Role = (typeof ROLES)[number];
export const PERSON_ROLES = ["admin", "curator", "head"] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

const createdAt = () => integer("created_at", { mode: "timestamp_ms" }).notNull();

/** Everybody who has access to the bot. Telegram ids fit in 52 bits, so a JS number is exact. */
export const people = sqliteTable("people", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  telegramId: integer("telegram_id").notNull().unique(),
  firstName: text("first_name").notNull(),
  lastName: text("last_name"),
  username: text("username"),
  /** Set when Telegram says the person blocked the bot; cleared when they write again. */
  blockedAt: integer("blocked_at", { mode: "timestamp_ms" }),
  /**
   * The last day of the person's leave, local `yyyy-MM-dd` (sorts as the days do): till it is over the
   * bot pings them privately no more. Null when not on leave; a day past is over by itself.
   */
  leaveUntil: text("leave_until"),
  /**
   * The first day of a leave planned ahead, local `yyyy-MM-dd`: till then the person is pinged as
   * ever. Null for a leave on from the day it was set.
   */
  leaveFrom: text("leave_from"),
  /**
   * The name reports and cards give, «Фамилия Имя Отчество», set by the person (/name) or an admin;
   * null: the Telegram name stands in (read anew as the person registers; he changes it at will).
   */
  officialName: text("official_name"),
  createdAt: createdAt(),
});

export const organizations = sqliteTable(
  "organizations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    /** The name folded for comparison (SQLite's lower() knows only ASCII, names are Cyrillic). */
    nameKey: text("name_key").notNull(),
    shortName: text("short_name"),
    shortNameKey: text("short_name_key"),
    parentId: integer("parent_id").references((): AnySQLiteColumn => organizations.id),
    contact: text("contact"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("organizations_name_key_unique").on(t.nameKey),
    index("organizations_short_name_key").on(t.shortNameKey),
  ],
);

/** Person-wide roles: admin, curator, head. Executors are members of organizations instead. */
export const roleGrants = sqliteTable(
  "role_grants",
  {
    personId: integer("person_id")
      .notNull()
      .references(() => people.id),
    role: text("role", { enum: PERSON_ROLES }).notNull(),
    grantedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.role] })],
);

/** An executor's membership in an organization; one person may belong to several. */
export const memberships = sqliteTable(
  "memberships",
  {
    personId: integer("person_id")
      .notNull()
      .references(() => people.id),
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id),
    grantedAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.personId, t.organizationId] }),
    index("memberships_organization").on(t.organizationId),
  ],
);

export const CHAT_PURPOSES = ["organization", "curators"] as const;
export type ChatPurpose = (typeof CHAT_PURPOSES)[number];

/** Group chats bound to a purpose: an organization's work chat or the curators' chat. */
export const boundChats = sqliteTable(
  "bound_chats",
  {
    chatId: integer("chat_id").primaryKey(),
    purpose: text("purpose", { enum: CHAT_PURPOSES }).notNull(),
    organizationId: integer("organization_id").references(() => organizations.id),
    title: text("title").notNull(),
    boundBy: integer("bound_by").references(() => people.id),
    boundAt: createdAt(),
    /** The forum topic it was bound in: what the bot sends there of itself goes to that topic. */
    threadId: integer("thread_id"),
  },
  (t) => [uniqueIndex("bound_chats_organization_unique").on(t.organizationId)],
);

/** One-time invites. Only a hash of the token is stored, so a database leak reveals no usable link. */
export const invites = sqliteTable(
  "invites",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tokenHash: text("token_hash").notNull().unique(),
    role: text("role", { enum: ROLES }).notNull(),
    organizationId: integer("organization_id").references(() => organizations.id),
    createdBy: integer("created_by")
      .notNull()
      .references(() => people.id),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    usedBy: integer("used_by").references(() => people.id),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("invites_open").on(t.createdBy, t.expiresAt)],
);

/** Who did what, when, to which entity, from which state: the source of truth for history and reports. */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    actorId: integer("actor_id").references(() => people.id),
    entity: text("entity").notNull(),
    entityId: text("entity_id").notNull(),
    action: text("action").notNull(),
    fromState: text("from_state"),
    toState: text("to_state"),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [index("audit_events_entity").on(t.entity, t.entityId, t.at)],
);

/** Conversation state of @grammyjs/conversations, so a half-finished dialogue survives a restart. */
export const conversationStates = sqliteTable("conversation_states", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

/** Production-calendar years loaded by an admin after the release; they override the bundled ones. */
export const calendarYears = sqliteTable("calendar_years", {
  year: integer("year").primaryKey(),
  data: text("data", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
  loadedBy: integer("loaded_by").references(() => people.id),
  loadedAt: integer("loaded_at", { mode: "timestamp_ms" }).notNull(),
});

/** One-off notices already sent (e.g. "the calendar lacks 2028"), so admins are told once. */
export const noticesSent = sqliteTable("notices_sent", {
  key: text("key").primaryKey(),
  sentAt: integer("sent_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * A restore from a backup (restore.ts writes it into the copy): the bot tells admins and curators at
 * its next start what was lost, and a press on a card of a post lost with it says so.
 */
export const restores = sqliteTable("restores", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  restoredAt: integer("restored_at", { mode: "timestamp_ms" }).notNull(),
  /** The backup's last write: what was done after it is lost. Null for a backup with nothing done. */
  backupAt: integer("backup_at", { mode: "timestamp_ms" }),
  /**
   * The numbers lost with the restore, per table of sqlite_sequence («incidents», «drafts»): given
   * after the backup's last, up to where the numbering goes on, so never given again.
   */
  lost: text("lost", { mode: "json" }).notNull().$type<Record<string, { from: number; to: number }>>(),
  /** False when the replaced database could not be read: the lost range is the skip, not a count. */
  replacedRead: integer("replaced_read", { mode: "boolean" }).notNull(),
  /** Posts kept by the backup that changed after it in the replaced database: their last steps are lost. */
  changed: text("changed", { mode: "json" }).notNull().$type<number[]>(),
  /**
   * The bot's first start on the restored database: the lost window ends there, and the deadlines
   * it made pass are alerted an hour of working time later (app/restores.ts). Null until then.
   */
  startedAt: integer("started_at", { mode: "timestamp_ms" }),
});

export const IMPORTANCES = ["normal", "important", "significant"] as const;
export const INCIDENT_STATES = [
  "registered",
  "assigned",
  "in_work",
  "on_approval",
  "approved",
  "answered",
  "awaiting_final",
  "closed",
] as const;

/**
 * One citizen's post that needs a reaction. The id is the human number (№ 123): AUTOINCREMENT
 * never reuses a number, even of a deleted row.
 */
export const incidents = sqliteTable(
  "incidents",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    link: text("link").notNull(),
    /** The link folded so the same post is recognised however it was copied. */
    linkKey: text("link_key").notNull(),
    network: text("network").notNull(),
    text: text("text"),
    /** The text folded and hashed (domain/post-text.ts): the same words under another link are found by it. */
    textKey: text("text_key"),
    author: text("author"),
    topic: text("topic"),
    place: text("place"),
    importance: text("importance", { enum: IMPORTANCES }).notNull().default("normal"),
    state: text("state", { enum: INCIDENT_STATES }).notNull(),
    /** When the curator found the post: the regulation's clocks start here. */
    detectedAt: integer("detected_at", { mode: "timestamp_ms" }).notNull(),
    /** The post's own publication time, if the curator gave it (Orenburg p.13 counts from it). */
    postedAt: integer("posted_at", { mode: "timestamp_ms" }),
    registeredBy: integer("registered_by")
      .notNull()
      .references(() => people.id),
    routedAt: integer("routed_at", { mode: "timestamp_ms" }),
    /** The executor responsible since «Взять в работу». */
    holderId: integer("holder_id").references(() => people.id),
    /** Orenburg p.6: the answer deadline the curator shortened, in working minutes. */
    shortenedAnswerMinutes: integer("shortened_answer_minutes"),
    repeatOfId: integer("repeat_of_id").references((): AnySQLiteColumn => incidents.id),
    /** `void`: the post was deleted, or registered by mistake; the monthly report leaves it out. */
    closedReason: text("closed_reason", { enum: ["toxic", "threat", "void"] }),
    /** Bumped by every transition: a stale button or a concurrent press loses. */
    version: integer("version").notNull().default(1),
    /**
     * When the deadline sweep must look at this incident next (a reminder point, a deadline, the
     * next working moment); null when nothing is pending. Indexed: a tick costs O(due).
     */
    nextActionAt: integer("next_action_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("incidents_link_key_unique").on(t.linkKey),
    index("incidents_state").on(t.state),
    index("incidents_author").on(t.author),
    index("incidents_text_key").on(t.textKey),
    // The repeat question's window (app/incidents.ts repeatCandidates) and the months' counts.
    index("incidents_detected_at").on(t.detectedAt),
    index("incidents_next_action").on(t.nextActionAt),
  ],
);

/**
 * A post's text, topic, place and author folded as one (any case, ё read as е: db/client.ts `fold`),
 * which /find by words matches in SQL: SQLite's own lower() folds only Latin letters. Kept apart
 * from `incidents`, so the scans of posts do not read it and the search reads nothing else.
 */
export const incidentSearchKeys = sqliteTable("incident_search_keys", {
  incidentId: integer("incident_id")
    .primaryKey()
    .references(() => incidents.id),
  key: text("key").notNull(),
});

export const ASSIGNMENT_ROLES = ["lead", "coexecutor"] as const;
/**
 * A co-executor's part: part_sent waits for a curator to pass it on (Georgievsk p.18); part_passed
 * has reached the lead (at once under Orenburg p.14).
 */
export const ASSIGNMENT_STATES = [
  "queued",
  "assigned",
  "accepted",
  "returned",
  "part_sent",
  "part_passed",
  "withdrawn",
] as const;

/** An organization's part in an incident: the lead executor's or a co-executor's. */
export const assignments = sqliteTable(
  "assignments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id),
    role: text("role", { enum: ASSIGNMENT_ROLES }).notNull(),
    /** Orenburg p.14: the order in which co-executors take part. */
    position: integer("position").notNull().default(0),
    state: text("state", { enum: ASSIGNMENT_STATES }).notNull(),
    receivedAt: integer("received_at", { mode: "timestamp_ms" }).notNull(),
    acceptedBy: integer("accepted_by").references(() => people.id),
    acceptedAt: integer("accepted_at", { mode: "timestamp_ms" }),
    returnReason: text("return_reason"),
    /** When the organization returned the post (Orenburg p.7; Georgievsk p.10): the curator's routing clock restarts. */
    returnedAt: integer("returned_at", { mode: "timestamp_ms" }),
    /** The organization's name when it returned the post: renamed later, the card still names it so. */
    returnedAsName: text("returned_as_name"),
    partText: text("part_text"),
    partSentAt: integer("part_sent_at", { mode: "timestamp_ms" }),
    /** When the part reached the lead: sent, or passed on by a curator (Georgievsk p.18). */
    partPassedAt: integer("part_passed_at", { mode: "timestamp_ms" }),
    /** When a curator last returned the part for rework (Georgievsk p.18), and why. */
    partReturnedAt: integer("part_returned_at", { mode: "timestamp_ms" }),
    partReturnComment: text("part_return_comment"),
    /** When a routing (or closing) took the part away: a co-executor dropped while owing its part no longer holds up the lead's draft. */
    withdrawnAt: integer("withdrawn_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("assignments_incident").on(t.incidentId),
    index("assignments_organization").on(t.organizationId, t.state),
  ],
);

/** Where an incident's card is shown: one message per chat, edited in place. */
export const cards = sqliteTable(
  "cards",
  {
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    chatId: integer("chat_id").notNull(),
    messageId: integer("message_id").notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    /**
     * A digest of the text and buttons the message was last sent or edited with: a sync that would
     * show the same makes no call (null: unknown, edited as ever).
     */
    shown: text("shown"),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.chatId] })],
);

/**
 * A card Telegram did not take for now (a 429 beyond auto-retry's wait, a 5xx, the connection
 * dropped): the minute job syncs the incident's cards again once `retryAt` has passed, so the chat
 * gets the post as it is then rather than at its next change (cards.ts, jobs/owed-cards.ts).
 */
export const owedCards = sqliteTable(
  "owed_cards",
  {
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    chatId: integer("chat_id").notNull(),
    /** Not before: the retry_after Telegram asked for, or the next minute, then 1, 2, 4… minutes. */
    retryAt: integer("retry_at", { mode: "timestamp_ms" }).notNull(),
    /** The syncs that failed in a row. */
    attempts: integer("attempts").notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.chatId] }), index("owed_cards_retry_at").on(t.retryAt)],
);

/**
 * Where the question «похоже на повторное» about a post from monitoring software was sent (one
 * message per chat; each curator's own without a curators' chat), so that an answer given in one chat
 * takes the buttons off every copy.
 */
export const repeatQuestions = sqliteTable(
  "repeat_questions",
  {
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    chatId: integer("chat_id").notNull(),
    messageId: integer("message_id").notNull(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.chatId] })],
);

export const DRAFT_STATES = ["submitted", "approved", "rework", "superseded"] as const;
export const DRAFT_KINDS = ["answer", "final", "interim", "clarification"] as const;

export interface Attachment {
  type: "photo" | "video" | "document" | "animation";
  fileId: string;
  fileUniqueId: string;
  fileName?: string;
}

/**
 * A draft answer sent for approval, one row per submission: a reworked draft is a new row, so the
 * curator can be shown what changed and the monthly quality figure counts first-pass approvals.
 */
export const drafts = sqliteTable(
  "drafts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    /**
     * "final" is the full answer that follows an interim one; an interim answer and a question to
     * the author are drafted and approved the same way (a text column: no migration for new kinds).
     */
    kind: text("kind", { enum: DRAFT_KINDS }).notNull(),
    /** 1 for the first submission of this kind, 2 after the first rework… */
    round: integer("round").notNull(),
    authorId: integer("author_id")
      .notNull()
      .references(() => people.id),
    text: text("text").notNull(),
    attachments: text("attachments", { mode: "json" }).notNull().$type<Attachment[]>(),
    state: text("state", { enum: DRAFT_STATES }).notNull(),
    submittedAt: integer("submitted_at", { mode: "timestamp_ms" }).notNull(),
    decidedBy: integer("decided_by").references(() => people.id),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
    reworkComment: text("rework_comment"),
    /** Optional mark at approval: 1–5. */
    quality: integer("quality"),
  },
  (t) => [
    index("drafts_incident").on(t.incidentId, t.id),
    // The approved answers to related posts offered for a draft's text, the latest days' (sameAnswers).
    index("drafts_decided").on(t.state, t.decidedAt),
    // A draft whose text is another post's approved answer, seen on every curators' card of a draft
    // waiting for them (approvedWithText): equal texts are of equal length, and the length is a few
    // bytes a draft where the texts themselves would double the drafts' size.
    index("drafts_text_length").on(sql`length(${t.text})`),
  ],
);

/**
 * Where a draft was shown to the curators with «Согласовать» and «На доработку» (the message the
 * buttons are under): once the draft is decided, or set aside, the buttons come off (cards.ts).
 */
export const draftMessages = sqliteTable(
  "draft_messages",
  {
    draftId: integer("draft_id")
      .notNull()
      .references(() => drafts.id),
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    chatId: integer("chat_id").notNull(),
    messageId: integer("message_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chatId, t.messageId] }),
    index("draft_messages_incident").on(t.incidentId),
  ],
);

export const PUBLICATION_KINDS = ["answer", "interim", "clarification"] as const;

/** Links of what was posted in the network: the answer, an interim answer, a question to the author. */
export const publications = sqliteTable(
  "publications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    kind: text("kind", { enum: PUBLICATION_KINDS }).notNull(),
    link: text("link").notNull(),
    publishedBy: integer("published_by")
      .notNull()
      .references(() => people.id),
    publishedAt: integer("published_at", { mode: "timestamp_ms" }).notNull(),
    /** Whether the answer deadline was met, fixed when the answer is published. */
    onTime: integer("on_time", { mode: "boolean" }),
  },
  (t) => [index("publications_incident").on(t.incidentId, t.kind)],
);

export const DRAFT_PURPOSES = ["answer", "interim", "clarification"] as const;

/**
 * Half-collected drafts, kept when a dialogue is abandoned so nothing the executor sent is lost: one
 * per purpose, so a half-written answer is not offered as the interim answer or the question. The
 * answer's work goes on as the final answer's after an interim one.
 */
export const draftWork = sqliteTable(
  "draft_work",
  {
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id),
    /** Work saved before purposes were kept counts as the answer's: which dialogue saved it is unknown. */
    purpose: text("purpose", { enum: DRAFT_PURPOSES }).notNull().default("answer"),
    text: text("text"),
    attachments: text("attachments", { mode: "json" }).notNull().$type<Attachment[]>(),
    /** The final answer's work begun from the answer's earlier draft: resumed, the curators still see what changed. */
    fromPrevious: integer("from_previous", { mode: "boolean" }).notNull().default(false),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.personId, t.purpose] })],
);

/**
 * Every reminder and alert sent, keyed so it is sent exactly once — across restarts, overlapping
 * ticks and several processes: the row is claimed (INSERT OR IGNORE) before the message goes out.
 */
export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id),
    step: text("step").notNull(),
    /** The co-executor organization whose own step it is; 0 for the incident's (the lead's) steps. */
    organizationId: integer("organization_id").notNull().default(0),
    kind: text("kind", { enum: ["reminder", "overdue", "escalation"] }).notNull(),
    /** The deadline the alert is about: a new deadline (after rework, re-routing) alerts anew. */
    deadlineAt: integer("deadline_at", { mode: "timestamp_ms" }).notNull(),
    /** The reminder point (or the deadline itself for "overdue") this alert answers. */
    dueAt: integer("due_at", { mode: "timestamp_ms" }).notNull(),
    chatId: integer("chat_id").notNull(),
    claimedAt: integer("claimed_at", { mode: "timestamp_ms" }).notNull(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
    /** Set when the chat refused (bot blocked or removed) and the alert went to the curators instead. */
    failure: text("failure"),
    /** Sent without sound, the chat having heard one with sound just before (see the sweep's deliver). */
    silent: integer("silent", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    uniqueIndex("notifications_once_per_part").on(
      t.incidentId,
      t.step,
      t.organizationId,
      t.kind,
      t.deadlineAt,
      t.dueAt,
      t.chatId,
    ),
    // When a chat was last told (lastSentAlert): the escalation sweep asks it of each chat.
    index("notifications_chat").on(t.chatId, t.kind, t.sentAt),
    // The reminders folded into digests that never went out, scanned every minute (reopenLapsedFolds):
    // only the few settled unsent are indexed.
    index("notifications_settled").on(t.failure, t.kind, t.claimedAt).where(sql`${t.failure} is not null`),
  ],
);

/**
 * Every update the bot received, until it is fully handled. Long polling confirms an update to
 * Telegram as soon as the next batch is fetched, which may be before its handling has finished; a
 * crash in between would lose it. Pending rows are handled again at start; a done row makes a
 * re-delivered update a no-op.
 */
export const inbox = sqliteTable(
  "inbox",
  {
    updateId: integer("update_id").primaryKey(),
    update: text("update", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
    receivedAt: integer("received_at", { mode: "timestamp_ms" }).notNull(),
    doneAt: integer("done_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("inbox_pending").on(t.doneAt)],
);

/**
 * What a head receives: «urgent» — significant posts and surges at once (Orenburg p.21, Georgievsk
 * p.24); «summary» — the monthly summary (Orenburg p.20); «violations» — the violations report and the
 * escalations of long-overdue steps (Orenburg p.19, Georgievsk p.23).
 */
export const HEAD_PURPOSES = ["urgent", "summary", "violations"] as const;
export type HeadPurpose = (typeof HEAD_PURPOSES)[number];

/**
 * Each head's purposes, and the organization a head of an organization heads (Orenburg p.19:
 * «руководителям органов исполнительной власти»): such a head gets the violations and escalations of
 * that organization only. One row per person with the head role, written when the role is granted.
 */
export const headSettings = sqliteTable("head_settings", {
  personId: integer("person_id")
    .primaryKey()
    .references(() => people.id),
  urgent: integer("urgent", { mode: "boolean" }).notNull().default(true),
  summary: integer("summary", { mode: "boolean" }).notNull().default(true),
  violations: integer("violations", { mode: "boolean" }).notNull().default(true),
  organizationId: integer("organization_id").references(() => organizations.id),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});
