import { createHash, randomBytes } from "node:crypto";
import { and, asc, desc, eq, gt, isNotNull, isNull, type SQL } from "drizzle-orm";
import type { Db, Tx } from "../db/client.js";
import { invites, organizations, people, type Role } from "../db/schema.js";
import { can } from "../domain/access.js";
import { alreadyMadeByThisUpdate, audit } from "./audit.js";
import {
  addMembership,
  grantRole,
  loadPerson,
  type PersonSummary,
  type TelegramProfile,
  upsertPerson,
} from "./people.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** 128 random bits, URL-safe: fits Telegram's deep-link limit (64 chars of A-Za-z0-9_-). */
function newToken(): string {
  return randomBytes(16).toString("base64url");
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface CreatedInvite {
  id: number;
  token: string;
  role: Role;
  organizationId: number | null;
  expiresAt: Date;
}

export function createInvite(
  db: Db,
  input: { actorId: number; role: Role; organizationId: number | null; ttlDays: number; now: Date },
): CreatedInvite {
  // An executor joins an organization; a head may head one (Orenburg p.19); admins and curators serve all.
  const organization = input.role === "executor" ? "required" : input.role === "head" ? "optional" : "none";
  if (
    (organization === "required" && input.organizationId === null) ||
    (organization === "none" && input.organizationId !== null)
  ) {
    throw new Error("an executor invite needs an organization, an admin's or a curator's must not have one");
  }
  const token = newToken();
  const expiresAt = new Date(input.now.getTime() + input.ttlDays * DAY_MS);
  return db.transaction((tx) => {
    const row = tx
      .insert(invites)
      .values({
        tokenHash: hashToken(token),
        role: input.role,
        organizationId: input.organizationId,
        createdBy: input.actorId,
        createdAt: input.now,
        expiresAt,
      })
      .returning({ id: invites.id })
      .get();
    audit(tx, input.now, {
      actorId: input.actorId,
      entity: "invite",
      entityId: row.id,
      action: "created",
      toState: "open",
      details: { role: input.role, organizationId: input.organizationId, expiresAt: expiresAt.toISOString() },
    });
    return { id: row.id, token, role: input.role, organizationId: input.organizationId, expiresAt };
  });
}

export type RevokeResult = "revoked" | "not_found" | "already_closed";

export function revokeInvite(db: Db, inviteId: number, actorId: number, now: Date): RevokeResult {
  return db.transaction((tx) => {
    const row = tx.select().from(invites).where(eq(invites.id, inviteId)).get();
    if (!row) return "not_found";
    if (row.usedAt || row.revokedAt || row.expiresAt <= now) return "already_closed";
    tx.update(invites).set({ revokedAt: now }).where(eq(invites.id, inviteId)).run();
    audit(tx, now, {
      actorId,
      entity: "invite",
      entityId: inviteId,
      action: "revoked",
      fromState: "open",
      toState: "revoked",
    });
    return "revoked";
  });
}

export interface OpenInvite {
  id: number;
  role: Role;
  organizationName: string | null;
  /** The organization is switched off: the link opens nothing until it is switched on again. */
  organizationInactive: boolean;
  expiresAt: Date;
}

/**
 * The invites that would still open: not used, revoked or expired, made by someone still an admin
 * (an executor's or a head's of an organization switched off opens once it is switched on again).
 */
export function listOpenInvites(db: Db, now: Date): OpenInvite[] {
  return db
    .select({
      id: invites.id,
      role: invites.role,
      organizationName: organizations.name,
      organizationActive: organizations.active,
      expiresAt: invites.expiresAt,
      createdBy: invites.createdBy,
    })
    .from(invites)
    .leftJoin(organizations, eq(organizations.id, invites.organizationId))
    .where(and(isNull(invites.usedAt), isNull(invites.revokedAt), gt(invites.expiresAt, now)))
    .orderBy(desc(invites.id))
    .all()
    .filter((invite) => creatorStillMay(db, invite.createdBy))
    .map(({ createdBy: _createdBy, organizationActive, ...invite }) => ({
      ...invite,
      organizationInactive: organizationActive === false,
    }));
}

/** An invite is the admin's word: once they are no longer an admin, their links open nothing. */
function creatorStillMay(db: Tx, createdBy: number): boolean {
  return can(loadPerson(db, createdBy), "manageInvites");
}

export type RedeemResult =
  | {
      ok: true;
      inviteId: number;
      personId: number;
      role: Role;
      organizationId: number | null;
      organizationName: string | null;
      alreadyHad: boolean;
    }
  | { ok: false; reason: "unknown" | "expired" | "revoked" | "organization_inactive" }
  /** `byThisPerson`: the link was used by whoever opens it now (a second tap on it). */
  | { ok: false; reason: "used"; inviteId: number; byThisPerson: boolean };

/**
 * Uses a one-time invite: registers the person and grants the role, all in one transaction. A head
 * invite for an organization makes a head of that organization (see defaultHeadSettings). The invite
 * of an admin who has since lost the role counts as revoked.
 */
export function redeemInvite(db: Db, token: string, profile: TelegramProfile, now: Date): RedeemResult {
  return db.transaction(
    (tx): RedeemResult => {
      const invite = tx
        .select()
        .from(invites)
        .where(eq(invites.tokenHash, hashToken(token)))
        .get();
      if (!invite) return { ok: false, reason: "unknown" };
      const organization =
        invite.organizationId === null
          ? undefined
          : tx.select().from(organizations).where(eq(organizations.id, invite.organizationId)).get();
      if (invite.usedAt) {
        // The «/start» handled again after a crash used it: the welcome is told as at first.
        const used = { entity: "invite", entityId: invite.id, action: "used" } as const;
        if (invite.usedBy === null || !alreadyMadeByThisUpdate(tx, used)) {
          const user = tx
            .select({ telegramId: people.telegramId })
            .from(people)
            .where(eq(people.id, invite.usedBy ?? -1))
            .get();
          const byThisPerson = user?.telegramId === profile.id;
          return { ok: false, reason: "used", inviteId: invite.id, byThisPerson };
        }
        return {
          ok: true,
          inviteId: invite.id,
          personId: invite.usedBy,
          role: invite.role,
          organizationId: invite.organizationId,
          organizationName: organization?.name ?? null,
          alreadyHad: false,
        };
      }
      if (invite.revokedAt) return { ok: false, reason: "revoked" };
      if (invite.expiresAt <= now) return { ok: false, reason: "expired" };
      if (!creatorStillMay(tx, invite.createdBy)) return { ok: false, reason: "revoked" };
      if (organization && !organization.active) return { ok: false, reason: "organization_inactive" };

      const personId = upsertPerson(tx, profile, now);
      const granted =
        invite.role === "executor" && organization
          ? addMembership(tx, personId, organization.id, invite.createdBy, now)
          : invite.role !== "executor" &&
            grantRole(tx, personId, invite.role, invite.createdBy, now, organization?.id ?? null);
      tx.update(invites).set({ usedAt: now, usedBy: personId }).where(eq(invites.id, invite.id)).run();
      audit(tx, now, {
        actorId: personId,
        entity: "invite",
        entityId: invite.id,
        action: "used",
        fromState: "open",
        toState: "used",
      });
      return {
        ok: true,
        inviteId: invite.id,
        personId,
        role: invite.role,
        organizationId: invite.organizationId,
        organizationName: organization?.name ?? null,
        alreadyHad: !granted,
      };
    },
    { behavior: "immediate" },
  );
}

/** A used invite: what it was for, who made it, who used it and when. */
export interface UsedInvite {
  role: Role;
  organizationName: string | null;
  usedAt: Date;
  user: PersonSummary;
  inviter: PersonSummary;
  /** The inviter may still invite (and take access away): the one to tell of its use. */
  inviterMay: boolean;
}

/** The invite, once used (see UsedInvite). */
export function usedInvite(db: Tx, inviteId: number): UsedInvite | undefined {
  return usedInvites(db, eq(invites.id, inviteId))[0];
}

/** The invites the person used, oldest first: who invited them, when, for what (their card in /people). */
export function invitesUsedBy(db: Tx, personId: number): UsedInvite[] {
  return usedInvites(db, eq(invites.usedBy, personId));
}

function usedInvites(db: Tx, which: SQL): UsedInvite[] {
  const rows = db
    .select({
      role: invites.role,
      organizationName: organizations.name,
      usedAt: invites.usedAt,
      usedBy: invites.usedBy,
      createdBy: invites.createdBy,
    })
    .from(invites)
    .leftJoin(organizations, eq(organizations.id, invites.organizationId))
    .where(and(which, isNotNull(invites.usedAt)))
    .orderBy(asc(invites.usedAt))
    .all();
  return rows.flatMap(({ usedAt, usedBy, createdBy, ...invite }) => {
    const user = loadPerson(db, usedBy ?? -1);
    const inviter = loadPerson(db, createdBy);
    if (!usedAt || !user || !inviter) return [];
    return [{ ...invite, usedAt, user, inviter, inviterMay: can(inviter, "manageInvites") }];
  });
}
