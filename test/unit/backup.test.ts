import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createOrganization } from "../../src/app/organizations.js";
import { backupDatabase } from "../../src/backup.js";
import { applyMigrations, openDatabase } from "../../src/db/client.js";
import { organizations } from "../../src/db/schema.js";

describe("online backup", () => {
  it("copies a database that is open and being written to; the copy opens and has the data", async () => {
    const dir = mkdtempSync(join(tmpdir(), "osm-backup-"));
    const live = openDatabase(join(dir, "bot.db"));
    applyMigrations(live.db);
    createOrganization(live.db, {
      name: "Министерство культуры",
      shortName: null,
      actorId: null,
      now: new Date(),
    });

    await backupDatabase(join(dir, "bot.db"), join(dir, "backups", "copy.db"));
    createOrganization(live.db, {
      name: "Министерство спорта",
      shortName: null,
      actorId: null,
      now: new Date(),
    });
    live.close();

    const restored = openDatabase(join(dir, "backups", "copy.db"));
    applyMigrations(restored.db);
    expect(
      restored.db
        .select()
        .from(organizations)
        .all()
        .map((o) => o.name),
    ).toEqual(["Министерство культуры"]);
    restored.close();
  });

  it("fails clearly when there is no database at the path", async () => {
    await expect(backupDatabase("/nonexistent/bot.db", join(tmpdir(), "x.db"))).rejects.toThrow(
      /unable to open database file|does not exist/,
    );
  });
});
