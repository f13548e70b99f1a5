import {
  chmodSync,
  chownSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { createOrganization } from "../../src/app/organizations.js";
import { upsertPerson } from "../../src/app/people.js";
import { backupDatabase } from "../../src/backup.js";
import { applyMigrations, openDatabase } from "../../src/db/client.js";
import { incidents, organizations } from "../../src/db/schema.js";
import { RESTORE_GAP, restoreDatabase, restoreReport } from "../../src/restore.js";

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

describe("restore", () => {
  const register = (db: ReturnType<typeof openDatabase>["db"], n: number) => {
    const now = new Date();
    const curator = upsertPerson(db, { id: 500, first_name: "Ольга" }, now);
    return db
      .insert(incidents)
      .values({
        link: `https://vk.com/wall-1_${n}`,
        linkKey: `vk:wall-1_${n}`,
        network: "vk",
        detectedAt: now,
        state: "registered",
        registeredBy: curator,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: incidents.id })
      .get().id;
  };

  const numbers = (db: ReturnType<typeof openDatabase>["db"]) =>
    db
      .select({ id: incidents.id })
      .from(incidents)
      .all()
      .map((r) => r.id);

  async function lostAfterBackup() {
    const dir = mkdtempSync(join(tmpdir(), "osm-restore-"));
    const path = join(dir, "bot.db");
    const live = openDatabase(path);
    applyMigrations(live.db);
    for (let n = 1; n <= 3; n++) register(live.db, n);
    await backupDatabase(path, join(dir, "copy.db"));
    for (let n = 4; n <= 5; n++) register(live.db, n); // lost with the restore; their cards are out
    return { dir, path, live };
  }

  it("puts the backup in place; new posts are numbered after those lost, so an old card's button finds nothing", async () => {
    const { dir, path, live } = await lostAfterBackup();
    live.close();
    const result = restoreDatabase(join(dir, "copy.db"), path);
    expect(result.replacedRead).toBe(true);

    const restored = openDatabase(path);
    expect(numbers(restored.db)).toEqual([1, 2, 3]);
    expect(register(restored.db, 6)).toBe(6);
    restored.close();
  });

  it("tells the operator which posts are lost and when the backup was last written, local time too", async () => {
    const { dir, path, live } = await lostAfterBackup();
    live.close();
    const result = restoreDatabase(join(dir, "copy.db"), path);
    const report = restoreReport({ ...result, backupAt: new Date("2026-12-06T15:40:00Z") }, "Europe/Moscow");
    expect(report).toEqual([
      "The backup's last write: 2026-12-06 15:40 UTC (06.12.2026 18:40 Europe/Moscow); everything done after it is lost.",
      "Posts № 4–5 were registered after this backup and are lost: register them again (the monitoring software can resend them, see README).",
      "Incident numbers go on after 5, where the replaced database stood.",
      "At its next start the bot tells the admins and the curators what was lost.",
    ]);
  });

  it("drops the replaced database's -wal, whose changes would otherwise be replayed onto the copy", async () => {
    const { dir, path, live } = await lostAfterBackup();
    // The bot died: its last changes are still in bot.db-wal. The files as a crash leaves them:
    const crashed = join(dir, "crashed", "bot.db");
    mkdirSync(dirname(crashed));
    for (const suffix of ["", "-wal", "-shm"]) copyFileSync(`${path}${suffix}`, `${crashed}${suffix}`);
    live.close();
    restoreDatabase(join(dir, "copy.db"), crashed);

    const restored = openDatabase(crashed);
    expect(numbers(restored.db)).toEqual([1, 2, 3]);
    restored.close();
  });

  it("when the replaced database cannot be read, skips the numbering ahead and says so", async () => {
    const { dir, path, live } = await lostAfterBackup();
    live.close();
    writeFileSync(path, "not a database");
    const result = restoreDatabase(join(dir, "copy.db"), path);
    expect(result).toMatchObject({ replacedRead: false, numbering: { incidents: 3 + RESTORE_GAP } });

    const restored = openDatabase(path);
    expect(register(restored.db, 6)).toBe(4 + RESTORE_GAP);
    restored.close();
  });

  it("refuses while the bot still has the database open, which goes on numbering as before", async () => {
    const { dir, path, live } = await lostAfterBackup();
    expect(() => restoreDatabase(join(dir, "copy.db"), path)).toThrow(
      `${path} is in use by another process (is the bot still running?): stop it and restore again`,
    );
    expect(register(live.db, 6)).toBe(6);
    live.close();

    const kept = openDatabase(path);
    expect(numbers(kept.db)).toEqual([1, 2, 3, 4, 5, 6]);
    kept.close();
  });

  it("the restored database keeps the replaced one's mode", async () => {
    const { dir, path, live } = await lostAfterBackup();
    live.close();
    chmodSync(path, 0o600);
    chmodSync(join(dir, "copy.db"), 0o644);
    restoreDatabase(join(dir, "copy.db"), path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  // The service runs as its own user (README's `User=osm-bot`); the admin restores as root.
  it.skipIf(process.getuid?.() !== 0)(
    "run as root, the restored database keeps the replaced one's owner, or with none its folder's",
    async () => {
      const service = 65534;
      const { dir, path, live } = await lostAfterBackup();
      live.close();
      chownSync(path, service, service);
      expect(restoreDatabase(join(dir, "copy.db"), path).ownerNotKept).toBeUndefined();
      expect([statSync(path).uid, statSync(path).gid]).toEqual([service, service]);

      rmSync(path);
      chownSync(dir, service, service);
      restoreDatabase(join(dir, "copy.db"), path);
      expect([statSync(path).uid, statSync(path).gid]).toEqual([service, service]);
    },
  );

  it("refuses a damaged backup and leaves the database as it was", async () => {
    const { dir, path, live } = await lostAfterBackup();
    live.close();
    writeFileSync(join(dir, "copy.db"), "not a database");
    expect(() => restoreDatabase(join(dir, "copy.db"), path)).toThrow();
    const kept = openDatabase(path);
    expect(numbers(kept.db)).toEqual([1, 2, 3, 4, 5]);
    kept.close();
  });
});
