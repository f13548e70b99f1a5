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
