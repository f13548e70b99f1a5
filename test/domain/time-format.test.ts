import { describe, expect, it } from "vitest";
import { formatDeadline, formatRemaining, formatWorkingDuration } from "../../src/domain/time-format.js";
import { local, MOSCOW, moscow, YEKATERINBURG } from "./calendar/helpers.js";

const at = (text: string) => local(text, MOSCOW);

describe("formatDeadline", () => {
  it("shows local time of the deployment as dd.MM.yyyy HH:mm", () => {
    expect(formatDeadline(at("2025-10-20 09:30"), MOSCOW)).toBe("20.10.2025 09:30");
    expect(formatDeadline(at("2025-10-20 09:30"), YEKATERINBURG)).toBe("20.10.2025 11:30");
  });
});

describe("formatRemaining (working time)", () => {
  it("hours and minutes within a day", () => {
    expect(formatRemaining(moscow, at("2025-10-13 11:20"), at("2025-10-13 10:00"))).toBe(
      "осталось 1 ч 20 мин рабочего времени",
    );
  });

  it("skips lunch and nights: Friday 17:50 to Monday 09:10 is 20 minutes", () => {
    expect(formatRemaining(moscow, at("2025-10-20 09:10"), at("2025-10-17 17:50"))).toBe(
      "осталось 20 мин рабочего времени",
    );
  });

  it("whole working days of 8 h: Monday 10:00 to Wednesday 13:00 is 2 days 3 h", () => {
    expect(formatRemaining(moscow, at("2025-10-15 13:00"), at("2025-10-13 10:00"))).toBe(
      "осталось 2 раб. дн. 3 ч",
    );
  });

  it("overdue is measured in working time: Friday 17:45 seen on Monday 09:30 is 45 min late", () => {
    expect(formatRemaining(moscow, at("2025-10-17 17:45"), at("2025-10-20 09:30"))).toBe(
      "просрочено на 45 мин рабочего времени",
    );
  });

  it("below two working days, hours and minutes: a day and a half hour reads as a calendar day", () => {
    expect(formatRemaining(moscow, at("2025-10-14 11:30"), at("2025-10-13 11:00"))).toBe(
      "осталось 8 ч 30 мин рабочего времени",
    );
    expect(formatRemaining(moscow, at("2025-10-13 10:00"), at("2025-10-14 11:00"))).toBe(
      "просрочено на 9 ч рабочего времени",
    );
    expect(formatRemaining(moscow, at("2025-10-15 10:00"), at("2025-10-13 10:01"))).toBe(
      "осталось 15 ч 59 мин рабочего времени",
    );
  });

  it("a long overdue, in working days", () => {
    expect(formatRemaining(moscow, at("2025-10-13 10:00"), at("2025-10-15 11:00"))).toBe(
      "просрочено на 2 раб. дн. 1 ч",
    );
  });

  it("the last seconds and the very moment", () => {
    expect(
      formatRemaining(moscow, at("2025-10-13 10:00"), new Date(at("2025-10-13 10:00").getTime() - 20_000)),
    ).toBe("осталось меньше минуты рабочего времени");
    expect(formatRemaining(moscow, at("2025-10-13 10:00"), at("2025-10-13 10:00"))).toBe("срок истёк");
    expect(formatRemaining(moscow, at("2025-10-13 18:00"), at("2025-10-13 21:00"))).toBe("срок истёк");
  });
});

describe("formatWorkingDuration", () => {
  it("a day that is not whole hours (lunch of 45 min: 8 h 15 min): the minutes are what is left after the days", () => {
    expect(formatWorkingDuration(1055, 495)).toBe("2 раб. дн. 1 ч 5 мин");
    expect(formatWorkingDuration(990, 495)).toBe("2 раб. дн.");
    expect(formatWorkingDuration(560, 495)).toBe("9 ч 20 мин");
    expect(formatWorkingDuration(65, 495)).toBe("1 ч 5 мин");
  });
});
