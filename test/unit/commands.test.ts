import { describe, expect, it } from "vitest";
import { commandsFor } from "../../src/bot/commands.js";
import { t } from "../../src/bot/texts.js";
import type { Role } from "../../src/domain/access.js";

describe("each role's command menu", () => {
  it("offers every command its /help lists", () => {
    for (const role of ["admin", "curator", "executor", "head"] as const satisfies Role[]) {
      const menu = new Set(commandsFor([role]).map((c) => `/${c.command}`));
      const helped = [...t.help([role], []).matchAll(/^(\/[a-z_]+) /gm)].map((m) => m[1] as string);
      expect(
        helped.filter((command) => !menu.has(command) && command !== "/bind" && command !== "/unbind"),
      ).toEqual([]);
    }
  });
});
