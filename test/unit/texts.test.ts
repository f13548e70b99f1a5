import { describe, expect, it } from "vitest";
import { plural, t } from "../../src/bot/texts.js";
import { ta } from "../../src/bot/texts-answers.js";
import { td } from "../../src/bot/texts-drafts.js";
import { tr } from "../../src/bot/texts-incidents.js";
import { bundledCalendar, createWorkingTime } from "../../src/domain/calendar/index.js";
import { loadRegulation, type StepRule, selfCheck } from "../../src/domain/regulation/index.js";

describe("counts agree with their noun", () => {
  it.each([
    [1, "сообщение"],
    [2, "сообщения"],
    [4, "сообщения"],
    [5, "сообщений"],
    [11, "сообщений"],
    [12, "сообщений"],
    [14, "сообщений"],
    [21, "сообщение"],
    [22, "сообщения"],
    [25, "сообщений"],
    [111, "сообщений"],
    [122, "сообщения"],
  ])("%i %s", (n, form) => {
    expect(plural(n, "сообщение", "сообщения", "сообщений")).toBe(form);
  });

  it("surges told at once are one notice: a topic in quotes, a place as it is, each with its posts", () => {
    const line = (subject: "topic" | "place", value: string, ids: number[], grown = false) => ({
      subjects: [{ subject, value }],
      posts: ids.length * (grown ? 2 : 1),
      ids,
      grown,
      answered: grown ? 2 : 0,
    });
    expect(t.surges([line("topic", "Дороги", [1, 7, 14, 22, 28])], 24, "п. 24")).toBe(
      "⚠️ Всплеск сообщений за 24 ч (п. 24 регламента): «Дороги» — 5 (№ 1, № 7, № 14, № 22, № 28).",
    );
    expect(
      t.surges(
        [
          line("topic", "Вывоз мусора", [6, 12, 21, 27, 33]),
          line("place", "ул. Калинина", [21, 27, 33, 40, 41], true),
        ],
        24,
        "п. 24",
      ),
    ).toBe(
      "⚠️ Всплески сообщений за 24 ч (п. 24 регламента): «Вывоз мусора» — 5 (№ 6, № 12, № 21, № 27, № 33); " +
        "ул. Калинина — уже 10, ответ размещён по 2 (новые: № 21, № 27, № 33, № 40, № 41).",
    );
  });
});

describe("an action no longer possible names the post's state as a clause of its own", () => {
  it("after the answer is posted", () => {
    const state = tr.shortState.answered;
    expect(ta.wrongState(5, state)).toBe("Сообщение № 5: ответ размещён. Это действие уже недоступно.");
    expect(tr.accept.wrongState(5, state)).toBe(
      "Сообщение № 5: ответ размещён. Это действие уже недоступно.",
    );
    expect(tr.route.wrongState(5, state)).toBe("Сообщение № 5: ответ размещён. Направить его заново нельзя.");
    expect(td.wrongState(5, state)).toBe("Сообщение № 5: ответ размещён. Проект ответа сейчас не нужен.");
    expect(td.notSubmitted(5, state, true)).toBe(
      "Не отправлено. Сообщение № 5: ответ размещён. Черновик сохранён.",
    );
  });

  it.each(Object.entries(tr.shortState))("in state %s: «%s» stands after a colon", (_, state) => {
    expect(ta.wrongState(7, state)).toBe(`Сообщение № 7: ${state}. Это действие уже недоступно.`);
  });
});

describe("a draft returned for rework is named by its kind", () => {
  it("an answer by default, an interim answer or a question to the author when so", () => {
    expect(ta.rework.done(3, null)).toBe("Проект ответа по сообщению № 3 возвращён на доработку.");
    expect(ta.rework.done(3, "24.11.2026 14:30", "interim")).toBe(
      "Проект промежуточного ответа по сообщению № 3 возвращён на доработку, исполнитель доработает до 24.11.2026 14:30.",
    );
    expect(ta.rework.notice(3, "Уточните дату.", null, "Текст", "clarification")).toBe(
      "Сообщение № 3: проект запроса автору возвращён на доработку.\n" +
        "Комментарий куратора: «Уточните дату».\n" +
        "Доработать — кнопка «Запрос автору» ниже или на карточке: прежний проект можно поправить.\n\n" +
        "Проект запроса автору:\nТекст",
    );
  });

  it("the curator's comment stands in quotes, its closing dot after them; «?», «!» and «…» stay inside", () => {
    const line = (comment: string) => ta.rework.notice(3, comment, null, null).split("\n")[1];
    expect(line("Нужна дата")).toBe("Комментарий куратора: «Нужна дата».");
    expect(line("Нужна дата.")).toBe("Комментарий куратора: «Нужна дата».");
    expect(line("Когда точно заделают?")).toBe("Комментарий куратора: «Когда точно заделают?».");
    expect(line("Уточните...")).toBe("Комментарий куратора: «Уточните...».");
  });
});

describe("a duration ending in «дн.» ends the sentence with one full stop", () => {
  it("in an overdue alert and an escalation", () => {
    const late = "просрочено на 2 раб. дн.";
    expect(t.alert.overdue(5, "прислать проект ответа куратору", "24.11.2026 15:00", "п. 9", late)).toMatch(
      /просрочено на 2 раб\. дн\.$/,
    );
    expect(
      t.alert.escalation(
        5,
        "прислать проект ответа куратору",
        "24.11.2026 15:00",
        "п. 9",
        late,
        null,
        null,
        t.alert.intervene,
      ),
    ).toMatch(/просрочено на 2 раб\. дн\. Требуется вмешательство\.$/);
  });
});

describe("an overdue alert says that the deadline passed once", () => {
  it("less than a minute late it does not add «срок истёк» to «истёк»; later it says by how much", () => {
    expect(t.alert.overdue(1, "направить исполнителю", "24.11.2026 10:30", "п. 6", "срок истёк")).toBe(
      "❗ Сообщение № 1: срок «направить исполнителю» истёк 24.11.2026 10:30 (п. 6 регламента).",
    );
    expect(
      t.alert.overdue(
        1,
        "направить исполнителю",
        "24.11.2026 10:30",
        "п. 6",
        "просрочено на 5 мин рабочего времени",
      ),
    ).toBe(
      "❗ Сообщение № 1: срок «направить исполнителю» истёк 24.11.2026 10:30 (п. 6 регламента) — просрочено на 5 мин рабочего времени.",
    );
  });
});

describe("a preset's inconsistency found at start is told to admins in Russian", () => {
  it("naming the step in the preset file and what it is", () => {
    const reg = loadRegulation("orenburg");
    const broken = {
      ...reg,
      steps: {
        ...reg.steps,
        draft: {
          ...(reg.steps.draft as StepRule),
          before: { step: "answer" as const, duration: 10, unit: "workingHours" as const },
        },
      },
    };
    const calendar = bundledCalendar();
    const wt = createWorkingTime({ timezone: reg.timezone, calendar });
    const [finding] = selfCheck(broken, wt, calendar, new Date("2025-06-01T06:00:00Z"));
    if (finding?.problem.kind !== "beforeLongerThanStep") throw new Error("expected the draft's step found");
    expect(t.calendar.selfCheck(finding.problem)).toBe(
      "Проверка регламента при запуске: срок шага steps.draft («прислать проект ответа куратору») — " +
        "за 600 мин до срока steps.answer, а весь шаг steps.answer длится 540 мин. Проверьте файл регламента.",
    );
  });
});
