import { describe, expect, it } from "vitest";
import { td } from "../../src/bot/texts-drafts.js";
import {
  type DiffAttachment,
  describeChanges,
  diffAttachments,
  diffText,
} from "../../src/domain/text-diff.js";

const photo = (id: string): DiffAttachment =>
  ({ type: "photo", fileId: id, fileUniqueId: id }) as DiffAttachment;
const doc = (id: string, fileName: string): DiffAttachment => ({
  type: "document",
  fileUniqueId: id,
  fileName,
});
const draft = (text: string, attachments: DiffAttachment[] = []) => ({ text, attachments });

describe("diffText", () => {
  it("finds a changed phrase with a little context around it", () => {
    const diff = diffText(
      "Здравствуйте! Снег во дворе вывезут до пятницы. Спасибо за обращение.",
      "Здравствуйте! Снег во дворе вывезут до четверга. Спасибо за обращение.",
    );
    expect(diff.same).toBe(false);
    expect(diff.rewritten).toBe(false);
    expect(diff.hunks).toEqual([
      { before: "дворе вывезут до", removed: "пятницы.", added: "четверга.", after: "Спасибо за обращение." },
    ]);
  });

  it("treats line breaks and spaces as no change", () => {
    expect(diffText("Снег вывезут\nдо пятницы.", "Снег  вывезут до пятницы.").same).toBe(true);
  });

  it("reports an inserted sentence as added only, and a deleted one as removed only", () => {
    const [inserted] = diffText("Снег вывезут.", "Снег вывезут. Дворник назначен.").hunks;
    expect(inserted).toMatchObject({ removed: "", added: "Дворник назначен." });
    const [deleted] = diffText("Снег вывезут. Дворник назначен.", "Снег вывезут.").hunks;
    expect(deleted).toMatchObject({ removed: "Дворник назначен.", added: "" });
  });

  it("joins changes a word or two apart into one fragment", () => {
    const diff = diffText("один два три четыре пять шесть", "один ДВА три ЧЕТЫРЕ пять шесть");
    expect(diff.hunks).toHaveLength(1);
    expect(diff.hunks[0]).toMatchObject({ removed: "два три четыре", added: "ДВА три ЧЕТЫРЕ" });
  });

  it("calls a text with almost every word new rewritten", () => {
    expect(
      diffText("Снег вывезут до пятницы.", "Управляющая компания заменена, жалоба принята.").rewritten,
    ).toBe(true);
  });
});

describe("diffAttachments", () => {
  it("compares attachments by Telegram's unique id", () => {
    const before = [photo("a"), photo("b")];
    const after = [photo("b"), doc("c", "план.pdf")];
    expect(diffAttachments(before, after)).toEqual({ added: [doc("c", "план.pdf")], removed: [photo("a")] });
  });
});

describe("describeChanges", () => {
  it("shows each change as «Было» and «Стало», the fragment in the same few words around it", () => {
    const text = describeChanges(
      draft("Снег во дворе вывезут до пятницы. Спасибо."),
      draft("Снег во дворе вывезут до четверга. Спасибо."),
      td.diff,
    );
    expect(text).toBe(
      "Изменено в тексте:\nБыло: «…дворе вывезут до пятницы. Спасибо.…»\nСтало: «…дворе вывезут до четверга. Спасибо.…»",
    );
  });

  it("an added sentence: «Было» is the words around it, «Стало» has it among them", () => {
    const text = describeChanges(
      draft("Поликлиника открыта с 25 ноября. Спасибо."),
      draft("Поликлиника открыта с 25 ноября. Телефон регистратуры 22-33-44. Спасибо."),
      td.diff,
    );
    expect(text).toBe(
      "Изменено в тексте:\nБыло: «…с 25 ноября. Спасибо.…»\nСтало: «…с 25 ноября. Телефон регистратуры 22-33-44. Спасибо.…»",
    );
  });

  it("cuts a long fragment without splitting an emoji at either end: Telegram refuses half a character", () => {
    const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    for (const at of [77, 78, 79, 80]) {
      const added = `${"а".repeat(at)}🙏${"б".repeat(200 - at)}`;
      const text = describeChanges(draft("Снег вывезут."), draft(`Снег вывезут. ${added}`), td.diff);
      expect(text).toContain("…");
      expect(lone.test(text)).toBe(false);
      const tail = `${"б".repeat(200 - at)}🙏${"а".repeat(at)}`;
      expect(lone.test(describeChanges(draft("Снег."), draft(`Снег. ${tail}`), td.diff))).toBe(false);
    }
  });

  it("lists attachments added and removed, counting equal ones", () => {
    const text = describeChanges(
      draft("Ответ.", [photo("a")]),
      draft("Ответ.", [photo("b"), photo("c"), doc("d", "акт.pdf")]),
      td.diff,
    );
    expect(text).toBe(
      "Текст не изменился.\nВложения: добавлено — фото ×2, документ «акт.pdf»; убрано — фото.",
    );
  });

  it("says so when nothing changed", () => {
    expect(describeChanges(draft("Ответ."), draft("Ответ."), td.diff)).toBe(td.diff.nothingChanged);
  });

  it("stays within the limit, telling how many changes are not shown", () => {
    const before = Array.from({ length: 400 }, (_, i) => `слово${i}`).join(" ");
    const after = before
      .split(" ")
      .map((word, i) => (i % 10 === 0 ? `${word}-исправлено` : word))
      .join(" ");
    const text = describeChanges(draft(before), draft(after), td.diff);
    expect(text.length).toBeLessThanOrEqual(1000);
    expect(text).toMatch(/…и ещё \d+ изменени(й|я|е)\.$/);
  });

  it("cuts a long changed fragment in the middle", () => {
    const long = "очень ".repeat(100).trim();
    const text = describeChanges(draft("Начало. Конец."), draft(`Начало. ${long} Конец.`), td.diff);
    expect(text.length).toBeLessThan(300);
    expect(text).toContain("Стало: «…Начало. очень");
    expect(text).toContain("…");
  });
});
