import { describe, expect, it } from "vitest";
import { commandsFor } from "../../src/bot/commands.js";
import { t } from "../../src/bot/texts.js";
import type { Role } from "../../src/domain/access.js";

describe("each role's command menu", () => {
  it("offers every command its /help lists", () => {
    for (const role of ["admin", "curator", "executor", "head"] as const satisfies Role[]) {
      const menu = new Set(commandsFor([role]).map((c) => `/${c.command}`));
      const head = { gets: [], ofOrganization: false, summary: true };
      const helped = [...t.help([role], head).matchAll(/^(\/[a-z_]+) /gm)].map((m) => m[1] as string);
      expect(
        // /bind and /unbind are the groups' menu's; /cancel, which each dialogue takes, is in none.
        helped.filter((command) => !menu.has(command) && !["/bind", "/unbind", "/cancel"].includes(command)),
      ).toEqual([]);
    }
  });

  it("/help names each command once, as the person's first role has it", () => {
    const commands = [...t.help(["curator", "executor", "head"]).matchAll(/^(\/[a-z_]+) — (.*)$/gm)];
    const names = commands.map((m) => m[1]);
    expect(names).toEqual([...new Set(names)]);
    expect(commands.find((m) => m[1] === "/list")?.[2]).toBe("открытые сообщения");
  });

  it("a head of one organization is offered its own posts, and without «Сводка» only its violations' report", () => {
    const help = t.help(["head"], { gets: [], ofOrganization: true, summary: false });
    expect(help).toContain("/list — сообщения вашего органа");
    expect(help).toContain("/report нарушения [месяц] — нарушения регламента вашего органа");
    expect(help).not.toContain("/report [месяц] — отчёт за месяц");
  });
});
