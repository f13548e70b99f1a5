/**
 * Questions about the answer half that the transitions do not answer, and the curator's optional
 * quality mark on an approved draft (it changes no state, so it has its own transaction + audit).
 */
import { desc, eq } from "drizzle-orm";
import type { Db, Tx } from "../db/client.js";
import { drafts, people } from "../db/schema.js";
import { displayName, hasRole, type Person } from "../domain/access.js";
import { audit } from "./audit.js";

export interface Decision {
  state: "approved" | "rework";
  by: string;
  at: Date;
}

/** The curator's decision on the latest draft, if it has one (for «Уже согласовано: …»). */
export function latestDecision(db: Tx, incidentId: number): Decision | undefined {
  const row = db
    .select({ draft: drafts, decider: people })
    .from(drafts)
    .leftJoin(people, eq(people.id, drafts.decidedBy))
    .where(eq(drafts.incidentId, incidentId))
    .orderBy(desc(drafts.id))
    .get();
  const { draft, decider } = row ?? {};
  if (!draft || !decider || !draft.decidedAt) return undefined;
  if (draft.state !== "approved" && draft.state !== "rework") return undefined;
  return { state: draft.state, by: displayName(decider), at: draft.decidedAt };
}

/** The Telegram id of a person (e.g. the executor who holds an incident). */
export function telegramIdOf(db: Tx, personId: number): number | undefined {
  return db.select({ telegramId: people.telegramId }).from(people).where(eq(people.id, personId)).get()
    ?.telegramId;
}

export const QUALITY_MARKS = [1, 2, 3, 4, 5] as const;

export type QualityResult = { ok: true } | { ok: false; refusal: "not_approved" | "not_decider" };

/**
 * The quality mark (1–5) the approving curator may give after «Согласовать»: stored on the latest
 * draft while it is the approved one (`draftId`, the one the buttons were offered for, when they
 * name it: a mark pressed late never lands on a newer draft); a second press changes the mark. Only
 * the curator who approved it may mark it, while a curator.
 */
export function markQuality(
  db: Db,
  input: { incidentId: number; actor: Person; now: Date; quality: number; draftId?: number | undefined },
): QualityResult {
  return db.transaction(
    (tx): QualityResult => {
      const latest = tx
        .select()
        .from(drafts)
        .where(eq(drafts.incidentId, input.incidentId))
        .orderBy(desc(drafts.id))
        .get();
      if (latest?.state !== "approved" || (input.draftId !== undefined && latest.id !== input.draftId))
        return { ok: false, refusal: "not_approved" };
      if (latest.decidedBy !== input.actor.id || !hasRole(input.actor, "curator"))
        return { ok: false, refusal: "not_decider" };
      tx.update(drafts).set({ quality: input.quality }).where(eq(drafts.id, latest.id)).run();
      audit(tx, input.now, {
        actorId: input.actor.id,
        entity: "incident",
        entityId: input.incidentId,
        action: "qualityMark",
        details: { draftId: latest.id, quality: input.quality, previous: latest.quality },
      });
      return { ok: true };
    },
    { behavior: "immediate" },
  );
}
