/**
 * A person's official name («Фамилия Имя Отчество»), which reports and cards give instead of the
 * Telegram name: set or removed by the person (/name) or an admin (/people).
 */

import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { people } from "../db/schema.js";
import { can } from "../domain/access.js";
import { audit } from "./audit.js";
import { loadPerson, type PersonSummary } from "./people.js";

export type OfficialNameResult =
  | { ok: true; person: PersonSummary; changed: boolean }
  | { ok: false; refusal: "forbidden" | "not_found" };

/**
 * Sets the official name (see parseOfficialName), or removes it (null): the person's own, or anyone's
 * by an admin. The same name again changes nothing.
 */
export function setOfficialName(
  db: Db,
  input: { actorId: number; personId: number; name: string | null; now: Date },
): OfficialNameResult {
  return db.transaction(
    (tx): OfficialNameResult => {
      const actor = loadPerson(tx, input.actorId);
      if (input.actorId !== input.personId && !can(actor, "managePeople"))
        return { ok: false, refusal: "forbidden" };
      const person = loadPerson(tx, input.personId);
      if (!person) return { ok: false, refusal: "not_found" };
      const before = person.officialName;
      if (before === input.name) return { ok: true, person, changed: false };
      tx.update(people).set({ officialName: input.name }).where(eq(people.id, person.id)).run();
      audit(tx, input.now, {
        actorId: input.actorId,
        entity: "person",
        entityId: person.id,
        action: "official_name_set",
        details: { before, after: input.name },
      });
      return { ok: true, person: { ...person, officialName: input.name }, changed: true };
    },
    { behavior: "immediate" },
  );
}
