import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createInvite } from "../../src/app/invites.js";
import { findPerson } from "../../src/app/people.js";
import { auditEvents, organizations, people, roleGrants } from "../../src/db/schema.js";
import { Harness } from "../support/bot-harness.js";

const ADMIN = 1001;
let h: Harness;

beforeEach(async () => {
  h = await Harness.start({ adminIds: [ADMIN] });
});
afterEach(() => h.close());

async function inviteLink(role: string, organization?: string): Promise<string> {
  const admin = h.user(ADMIN, "Анна");
  await admin.send("/invite");
  await admin.press(role);
  if (organization) await admin.press(new RegExp(organization));
  const link = admin.lastText().match(/https:\/\/t\.me\/\S+\?start=([\w-]+)/);
  if (!link?.[1]) throw new Error(`no invite link in: ${admin.lastText()}`);
  return link[1];
}

async function addOrganization(name: string, shortName?: string): Promise<void> {
  const admin = h.user(ADMIN, "Анна");
  await admin.send("/org_add");
  await admin.send(name);
  if (shortName) await admin.send(shortName);
  else await admin.press("Пропустить");
}

describe("a person without access", () => {
  it("gets a polite explanation of how to get access, in Russian", async () => {
    const stranger = h.user(2002, "Пётр");
    await stranger.send("/start");
    expect(stranger.lastText()).toMatch(/Доступ выдаёт администратор: попросите у него ссылку-приглашение/);
    await stranger.send("Здравствуйте, что это?");
    expect(stranger.texts()).toHaveLength(2);
    expect(stranger.lastText()).toMatch(/ссылку-приглашение/);
  });

  it("cannot use admin commands", async () => {
    const stranger = h.user(2002, "Пётр");
    await stranger.send("/invite");
    expect(stranger.lastText()).toBe(
      "У вас нет доступа к боту. Доступ выдаёт администратор по ссылке-приглашению.",
    );
    await stranger.send("/orgs");
    expect(stranger.lastText()).toBe(
      "У вас нет доступа к боту. Доступ выдаёт администратор по ссылке-приглашению.",
    );
  });
});

describe("admins from ADMIN_IDS", () => {
  it("are registered as admins on first contact and see their commands", async () => {
    const admin = h.user(ADMIN, "Анна");
    await admin.send("/start");
    expect(admin.lastText()).toMatch(/Ваша роль: администратор/);
    expect(admin.lastText()).toMatch(/\/invite — пригласить сотрудника/);
    const menu = h.fake.commands({ type: "chat", chat_id: ADMIN });
    expect(menu?.map((c) => c.command)).toEqual([
      "start",
      "help",
      "invite",
      "invites",
      "people",
      "orgs",
      "org_add",
      "chats",
      "calendar",
      "name",
    ]);
  });
});

describe("invites", () => {
  it("a curator invite is redeemed once and tells the person what they can do", async () => {
    const token = await inviteLink("Куратор");
    const curator = h.user(3003, "Ольга", { username: "olga" });
    await curator.send(`/start ${token}`);
    expect(curator.lastText()).toMatch(/^Готово! Вы зарегистрированы как куратор\./);
    expect(curator.lastText()).toMatch(/регистрировать сообщения/);
    await curator.send("/help");
    expect(curator.lastText()).toMatch(/Ваша роль: куратор/);

    const other = h.user(4004, "Иван");
    await other.send(`/start ${token}`);
    expect(other.lastText()).toMatch(/уже использована/);
    await other.send("/help");
    expect(other.lastText()).toMatch(/ссылку-приглашение/);

    // Opened again by its owner: already registered. By someone else with access of his own: the
    // link is used (and to tell the admin), not «Вы уже зарегистрированы» as if it were his.
    await curator.send(`/start ${token}`);
    expect(curator.lastText()).toBe("Вы уже зарегистрированы. Справка — /help.");
    const admin = h.user(ADMIN, "Анна");
    await admin.send(`/start ${token}`);
    expect(admin.lastText()).toBe(
      "Эта ссылка-приглашение уже использована. Если это были не вы, сообщите администратору и попросите новую.",
    );
  });

  it("an organization switched off after the invite's picker was shown is named so", async () => {
    await addOrganization("Министерство здравоохранения", "Минздрав");
    const admin = h.user(ADMIN, "Анна");
    await admin.send("/invite");
    await admin.press("Исполнитель");
    h.db.update(organizations).set({ active: false }).run();
    expect(await admin.press(/Минздрав/)).toBe(
      "Орган «Минздрав» отключён. Включить его можно в /orgs (в личном чате с ботом).",
    );
    expect(admin.lastText()).not.toMatch(/start=/);
  });

  it("with every organization switched off, the invite's picker says so, not to add one", async () => {
    await addOrganization("Министерство здравоохранения", "Минздрав");
    h.db.update(organizations).set({ active: false }).run();
    const admin = h.user(ADMIN, "Анна");
    await admin.send("/invite");
    await admin.press("Исполнитель");
    expect(admin.lastText()).toBe(
      "Все органы отключены. Включите нужный в /orgs или добавьте новый: /org_add.",
    );
  });

  it("an executor invite is for one organization, chosen from a list", async () => {
    await addOrganization("Министерство здравоохранения", "Минздрав");
    const token = await inviteLink("Исполнитель", "Минздрав");
    expect(h.user(ADMIN, "Анна").lastText()).toMatch(/в орган «Министерство здравоохранения»/);
    const executor = h.user(5005, "Мария");
    await executor.send(`/start ${token}`);
    expect(executor.lastText()).toMatch(/исполнитель органа «Министерство здравоохранения»/);
  });

  it("an expired invite is refused", async () => {
    const token = await inviteLink("Руководитель");
    h.clock.advance(7 * 24 * 60 * 60 * 1000 + 1);
    const head = h.user(6006, "Губернатор");
    await head.send(`/start ${token}`);
    expect(head.lastText()).toMatch(/Срок действия ссылки-приглашения истёк/);
  });

  it("a revoked invite is refused, and an unknown token too", async () => {
    const token = await inviteLink("Куратор");
    const admin = h.user(ADMIN, "Анна");
    expect(await admin.press("Отозвать")).toBe("Приглашение отозвано.");
    expect(await admin.press("Отозвать")).toMatch(/уже использовано, отозвано или истекло/);
    const late = h.user(7007, "Семён");
    await late.send(`/start ${token}`);
    expect(late.lastText()).toMatch(/отозвана администратором/);
    await late.send("/start AAAAAAAAAAAAAAAAAAAAAA");
    expect(late.lastText()).toMatch(/недействительна/);
  });

  it("the invite of an admin who has since lost the role opens nothing", async () => {
    const boris = h.seedPerson(1002, "Борис", ["admin"]);
    await boris.send("/invite");
    await boris.press("Администратор");
    const token = /\?start=([\w-]+)/.exec(boris.lastText())?.[1];
    const id = h.db.select().from(people).where(eq(people.telegramId, 1002)).get()?.id ?? 0;
    h.db.delete(roleGrants).where(eq(roleGrants.personId, id)).run();
    // The other admins' list does not offer his link as open either.
    await h.user(ADMIN, "Анна").send("/invites");
    expect(h.user(ADMIN, "Анна").lastText()).toBe("Действующих приглашений нет. Создать — /invite.");
    await boris.send(`/start ${token}`);
    expect(boris.lastText()).toMatch(/отозвана администратором/);
    await boris.send("/help");
    expect(boris.lastText()).toMatch(/попросите у него ссылку-приглашение/);
  });

  it("lists open invites for the admin", async () => {
    await inviteLink("Куратор");
    const admin = h.user(ADMIN, "Анна");
    await admin.send("/invites");
    expect(admin.lastText()).toMatch(/^Действующие приглашения:\n1\. куратор, до 30\.11\.2026 11:00$/);
  });

  it("an executor's invite of an organization switched off is listed so", async () => {
    await addOrganization("Министерство здравоохранения", "Минздрав");
    await inviteLink("Исполнитель", "Минздрав");
    h.db.update(organizations).set({ active: false }).run();
    const admin = h.user(ADMIN, "Анна");
    await admin.send("/invites");
    expect(admin.lastText()).toBe(
      "Действующие приглашения:\n1. исполнитель — Министерство здравоохранения, до 30.11.2026 11:00 " +
        "(орган отключён: ссылка не откроется, пока его не включат)",
    );
  });

  it("a whole office invited at once: the list comes in messages Telegram takes, every invite numbered with its revoke button", async () => {
    const long =
      `Министерство ${"строительства, жилищно-коммунального хозяйства и дорожного ".repeat(3)}`.slice(0, 200);
    const organizationId = h.seedOrganization(long, "Минстрой");
    const admin = h.user(ADMIN, "Анна");
    await admin.send("/invites"); // none yet
    const actorId = findPerson(h.db, ADMIN)?.id ?? 0;
    for (let i = 0; i < 45; i++)
      createInvite(h.db, { actorId, role: "executor", organizationId, ttlDays: 7, now: h.clock.now() });
    const toAdmin = () => h.fake.callsOf("sendMessage").filter((call) => call.params.chat_id === ADMIN);
    const before = toAdmin().length;
    await admin.send("/invites");
    const sent = toAdmin().slice(before);
    expect(sent.length).toBeGreaterThan(1);
    for (const call of sent) {
      expect(String(call.params.text).length).toBeLessThanOrEqual(4096);
      const rows = (call.params.reply_markup as { inline_keyboard: unknown[][] }).inline_keyboard;
      expect(rows.flat().length).toBeLessThanOrEqual(100);
    }
    const text = sent.map((call) => String(call.params.text)).join("\n");
    expect(text.match(/^\d+\. исполнитель/gm)).toHaveLength(45);
    expect(admin.texts().filter((t) => t.includes("внутренней ошибки"))).toEqual([]);
  });

  it("every change is an audit event", async () => {
    const token = await inviteLink("Куратор");
    await h.user(3003, "Ольга").send(`/start ${token}`);
    const actions = h.db
      .select()
      .from(auditEvents)
      .all()
      .map((e) => `${e.entity}:${e.action}`);
    expect(actions).toEqual([
      "person:registered",
      "person:role_granted",
      "invite:created",
      "person:registered",
      "person:role_granted",
      "invite:used",
    ]);
  });
});
