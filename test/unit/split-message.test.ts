import { describe, expect, it } from "vitest";
import { splitMessage, splitPieces } from "../../src/bot/delivery.js";
import { clip, tailFrom } from "../../src/domain/clip.js";

describe("splitting a long text into messages", () => {
  it("cuts at a line break, else after a space, never inside a word", () => {
    const words = "слово ".repeat(20).trim();
    const parts = splitMessage(words, 40);
    expect(parts.every((part) => part.length <= 40)).toBe(true);
    expect(parts.join("")).toBe(words);
    expect(parts.every((part) => /^слово( слово)* ?$/.test(part))).toBe(true);
  });

  it("never cuts an emoji in two", () => {
    const text = `${"а".repeat(39)}🙏${"б".repeat(10)}`;
    const parts = splitMessage(text, 40);
    expect(parts).toEqual(["а".repeat(39), `🙏${"б".repeat(10)}`]);
  });

  it("keeps pieces in one message when they fit, else starts each in its own", () => {
    expect(splitPieces(["Согласовано.\n\nСогласованный текст:", "Текст."], 100)).toEqual([
      "Согласовано.\n\nСогласованный текст:\nТекст.",
    ]);
    const text = "т".repeat(90);
    expect(splitPieces(["Согласовано.\n\nСогласованный текст:", text], 100)).toEqual([
      "Согласовано.\n\nСогласованный текст:",
      text,
    ]);
  });

  it("clips a text with «…» within its limit, never cutting an emoji in two", () => {
    expect(clip("коротко", 10)).toBe("коротко");
    expect(clip("а".repeat(12), 10)).toBe(`${"а".repeat(9)}…`);
    expect(clip(`${"а".repeat(8)}🙏б`, 10)).toBe(`${"а".repeat(8)}…`);
    expect(clip(`${"а".repeat(7)}🙏бв`, 10)).toBe(`${"а".repeat(7)}🙏…`);
    // A tail taken from between an emoji's halves starts after it.
    expect(tailFrom("а🙏б", 2)).toBe(3);
    expect(tailFrom("а🙏б", 1)).toBe(1);
  });
});
