/** What the bot says about monthly reports and violations (Orenburg p.19–20, Georgievsk p.23). */

import type { Regulation, StepId } from "../domain/regulation/index.js";
import { formatDeadline, formatWorkingDuration } from "../domain/time-format.js";
import type {
  CarriedViolation,
  CuratorFigures,
  Figures,
  Headline,
  MonthlyReport,
  ReportPost,
  StepFigure,
  Unanswered,
} from "../reports/figures.js";
import { percent } from "../reports/figures.js";
import { monthLabel, monthName, type ReportMonth } from "../reports/month.js";
import type { Violation } from "../reports/violations.js";
import { closedText, stepLabel } from "./texts.js";

const MESSAGE_LIMIT = 4096;
/** Room left for the "…and N more" line when a list is cut. */
const RESERVE = 120;

const share = (part: number, whole: number): string => {
  const p = percent(part, whole);
  return p === null ? "" : ` (${p}%)`;
};

const late = (minutes: number | null, fullDay: number): string =>
  minutes === null ? "—" : formatWorkingDuration(minutes, fullDay) || "меньше минуты";

/**
 * A step as the reports name it, in the text and in the workbook alike: the card's name, but where
 * the preset has a step of publishing an approved answer (Orenburg p.12), the answer's own deadline
 * (p.8) is the whole answer's.
 */
function stepName(regulation: Pick<Regulation, "steps">, step: StepId): string {
  if (regulation.steps.publication !== undefined && step === "answer") return "ответ на сообщение";
  return stepLabel(regulation, step);
}

function stepLine(report: MonthlyReport, figure: StepFigure): string {
  return `• ${stepName(report.regulation, figure.step)}: ${figure.onTime} из ${figure.total} в срок${share(figure.onTime, figure.total)}`;
}

/**
 * An organization's answers in time are of its answer deadlines of the month, not of the answers
 * it posted: one due and not posted, or posted late, is a deadline missed. Its posts are those of
 * the month it was the lead of at the period's end, so that the lines add up to «Поступило»: one it
 * returned is in «возвращено», not among them.
 */
function organizationLine(name: string, f: Figures): string {
  const { total, onTime } = f.answerDeadlines;
  const deadlines =
    total > 0
      ? `сроков ответа соблюдено ${onTime} из ${total}${share(onTime, total)}`
      : "сроков ответа не было";
  const returned = f.returned > 0 ? `, возвращено ${f.returned}` : "";
  return (
    `• ${name}: основной исполнитель по ${f.received} из поступивших${returned}, ` +
    `ответов ${f.answered}, ${deadlines}, нарушений ${f.violations}`
  );
}

/** Omitted when every post had its answer (or was closed) by the period's end. */
function unansweredLine(report: MonthlyReport, u: Unanswered): string[] {
  if (u.count === 0) return [];
  const when = report.asOf ? formatDeadline(report.asOf, report.timezone) : "конец месяца";
  const significant = u.significant > 0 ? ` (социально значимых: ${u.significant})` : "";
  const unrouted = u.unrouted > 0 ? `, из них не направлено органам: ${u.unrouted}` : "";
  return [`Без ответа на ${when}: ${u.count}${significant}${unrouted}`];
}

/**
 * The posts closed without an answer; where the bot sends threats on (Orenburg p.17), how many of them
 * it did send, as recorded (Georgievsk p.22 only closes them).
 */
function closedLines(report: MonthlyReport, o: Figures): string[] {
  if (!report.regulation.toxic.forwardThreats)
    return [`Оскорбительных: ${o.toxic}, с угрозами: ${o.threats} — закрыты без ответа`];
  return [
    `Оскорбительных: ${o.toxic} — закрыты без ответа`,
    `С угрозами: ${o.threats}, передано в компетентные органы: ${o.threatsForwarded}`,
  ];
}

function curatorsLine(c: CuratorFigures): string[] {
  if (c.total === 0) return [];
  return [
    "",
    `Кураторы: этапов в срок ${c.onTime} из ${c.total}${share(c.onTime, c.total)}, нарушений ${c.violations}`,
  ];
}

/** "ноябрь 2026 г.", or for a month still running "декабрь 2026 г. на 02.12.2026 10:20". */
function periodLabel(report: MonthlyReport): string {
  const month = monthName(report.month);
  return report.asOf ? `${month} на ${formatDeadline(report.asOf, report.timezone)}` : month;
}

/** The violations a report counts: those a restore made (lostWithRestore) are listed, not counted. */
function violationCount(violations: readonly Violation[]): string {
  const aside = violations.filter((v) => v.lostWithRestore).length;
  const counted = violations.length - aside;
  return aside === 0 ? String(counted) : `${counted} (и не учтено: ${aside})`;
}

/** Who answers for a violation: the curators for their own steps, else the organization and its executor. */
function answerable(report: MonthlyReport, v: Violation): string {
  const person = v.personId === null ? undefined : report.personNames.get(v.personId);
  if (v.curatorStep) return person ? ` · куратор ${person}` : " · кураторы";
  const org = v.organizationId === null ? "" : ` · ${report.organizationNames.get(v.organizationId) ?? ""}`;
  const holder = tr.violationHolder(report, v);
  return `${org}${holder === null ? "" : ` · ${holder}`}`;
}

/** `then`: the month compared with, named in `label`; none for a month without data. */
function compare(label: string, now: Headline, then: Headline | null): string[] {
  if (!then) return [];
  const diff = now.received - then.received;
  const change = diff === 0 ? "без изменений" : `было ${then.received}, ${diff > 0 ? `+${diff}` : diff}`;
  const nowShare = percent(now.answeredOnTime, now.answered);
  const thenShare = percent(then.answeredOnTime, then.answered);
  const onTime = nowShare === null || thenShare === null ? "" : `, в срок ${nowShare}% (было ${thenShare}%)`;
  return [`${label} (${monthName(then.month)}): поступило ${now.received} (${change})${onTime}`];
}

/** Only the comparisons that have data; no line when neither has. */
function dynamicsLine(report: MonthlyReport, current: Headline): string[] {
  const compared = [
    ...compare("с прошлым месяцем", current, report.previous),
    ...compare("с тем же месяцем прошлого года", current, report.lastYear),
  ];
  return compared.length === 0 ? [] : [`Динамика по сравнению ${compared.join("; ")}`];
}

/** «Частые …»: those of two posts or more; one post is not frequent (the workbook lists them all). */
function ranked(title: string, items: { name: string; count: number }[]): string[] {
  const frequent = items.filter((i) => i.count >= 2);
  return frequent.length === 0
    ? []
    : [`${title}: ${frequent.map((i) => `${i.name} (${i.count})`).join(", ")}`];
}

/** Keeps whole lines while they fit one message, then says how many were left for the spreadsheet. */
function fitLines(head: string[], items: string[], tail: string[] = []): string {
  const lines = [...head];
  let length = [...head, ...tail].join("\n").length;
  let shown = 0;
  for (const item of items) {
    if (length + item.length + 1 > MESSAGE_LIMIT - RESERVE) break;
    lines.push(item);
    length += item.length + 1;
    shown++;
  }
  if (shown < items.length) lines.push(`… и ещё ${items.length - shown} — в таблице`);
  return [...lines, ...tail].join("\n");
}

export const tr = {
  usage: "Укажите месяц так: /report 10.2026\nНарушения регламента: /report нарушения 10.2026",
  /** `current`: the month running, offered when the month asked for had nothing. */
  noData: (m: ReportMonth, current?: ReportMonth) =>
    `За ${monthName(m)} данных нет: сообщений и событий по ним не было.` +
    (current ? ` Отчёт за текущий месяц (пока неполный): /report ${monthLabel(current)}` : ""),
  /** Reports name people and every organization's violations: not for an organization's work chat. */
  /** After the last month's report asked for without a month, near the current one's end. */
  currentMonth: (kind: "summary" | "violations", current: ReportMonth) =>
    `За текущий месяц: ${tr.reportCommand[kind](current)}`,
  onlyHere: "Отчёты присылаются в личном чате с ботом или в чате кураторов.",
  futureMonth: (m: ReportMonth, example: ReportMonth) =>
    `Месяц ${monthLabel(m)} ещё не начался, отчёта за него нет. Укажите текущий или прошедший месяц, например: /report ${monthLabel(example)}`,
  chartCaption: (report: MonthlyReport) => `Доля ответов в срок за ${periodLabel(report)} и за 12 месяцев`,
  /** Under a report's spreadsheet: what it is. */
  workbookCaption: (kind: "otchet" | "narusheniya", report: MonthlyReport) =>
    kind === "otchet"
      ? `Таблица к отчёту за ${periodLabel(report)}`
      : `Таблица нарушений регламента за ${periodLabel(report)}`,
  /** A month still running, reported so far. */
  soFar: "Месяц ещё не закончился: нарушения — только по срокам, которые уже истекли.",
  /** Posts received before the settings were recorded, judged by those in force now (MonthlyReport.settingsStandInBefore). */
  standIn: (report: MonthlyReport): string[] =>
    report.settingsStandInBefore
      ? [
          `Сроки по сообщениям, поступившим до ${formatDeadline(report.settingsStandInBefore, report.timezone).slice(0, 10)}, пересчитаны по действующему регламенту.`,
        ]
      : [],
  fileName: (kind: "otchet" | "narusheniya", key: string) => `${kind}-${key}.xlsx`,
  refusal: "Отчёты доступны кураторам и руководителям.",
  /** Under the summary's text to a head of one organization: the workbook names every organization's people. */
  summaryTextOnly:
    "Таблица отчёта (исполнители и нарушения всех органов) направляется кураторам и руководителям всех органов. " +
    "Нарушения регламента вашего органа: /report нарушения.",
  summaryNotYours:
    "Сводка по всем органам вам не направляется. Нарушения регламента вашего органа: /report нарушения.",
  renderFailed: (m: ReportMonth, attempts: number) =>
    `Ежемесячный отчёт за ${monthName(m)} не удалось подготовить (попыток: ${attempts}). Бот будет пробовать снова; причина — в журнале бота.`,

  /** An automatic report as the admins hear of it, and the command that gets it by hand. */
  reportName: {
    summary: (m: ReportMonth) => `Отчёт за ${monthName(m)}`,
    violations: (m: ReportMonth) => `Нарушения регламента за ${monthName(m)}`,
    ofOrganization: (m: ReportMonth, name: string) => `Нарушения регламента за ${monthName(m)}, ${name}`,
  },
  reportCommand: {
    summary: (m: ReportMonth) => `/report ${monthLabel(m)}`,
    violations: (m: ReportMonth) => `/report нарушения ${monthLabel(m)}`,
    /** An organization's share: a curator asks for the report privately and passes its lines on. */
    share: (m: ReportMonth) =>
      `/report нарушения ${monthLabel(m)} — её отправляет куратор в личном чате с ботом и пересылает органу его строки`,
  },
  recipientChat: (title: string) => `чат «${title}»`,
  unknownChat: (chatId: number) => `чат ${chatId}`,
  /** A recipient that refuses for good: told to the admins once per report. */
  reportRefused: (name: string, who: string, command: string) =>
    `Не доставлено: «${name}» — ${who}: бот заблокирован или удалён из чата. Повторно бот это не отправит. ` +
    `Попросите разблокировать бота или верните его в чат; затем отчёт можно запросить командой ${command}.`,
  /** A report Telegram would not take as rendered (a caption or a file too big): told once, no chat to blame. */
  reportRejected: (name: string) =>
    `«${name}» не удалось доставить целиком: Telegram не принял отчёт из-за ошибки в нём самом, а не в чате. ` +
    "Повторно бот его не отправит. Подробности — в журнале бота; передайте их разработчику.",
  /** The same, to whoever asked for the report by hand (/report). */
  failedToAsker:
    "Не удалось отправить отчёт целиком: Telegram сейчас не принимает сообщения. " +
    "Запросите отчёт ещё раз через несколько минут.",
  rejectedToAsker:
    "Не удалось отправить отчёт: Telegram не принял его из-за ошибки в самом отчёте. " +
    "Повторный запрос не поможет. Сообщите администраторам: причина записана в журнал бота, " +
    "её нужно передать разработчику.",

  /**
   * `whole`: every organization's line, for a recipient who gets no workbook (a head of one
   * organization), the text split over several messages when sent; otherwise the lists are cut to
   * one message, the rest left to the workbook.
   */
  summary(report: MonthlyReport, whole = false): string {
    const o = report.overall;
    const fullDay = report.fullDayMinutes;
    const current = report.trend.at(-1) ?? {
      month: report.month,
      received: o.received,
      answered: o.answered,
      answeredOnTime: o.answeredOnTime,
    };
    const quality =
      o.qualityAverage === null
        ? ""
        : `; средняя оценка качества: ${o.qualityAverage.toFixed(1).replace(".", ",")}`;
    const head = [
      `Отчёт за ${periodLabel(report)}: сообщения из открытых источников`,
      ...(report.asOf ? [tr.soFar] : []),
      ...tr.standIn(report),
      "",
      `Поступило: ${o.received} (социально значимых: ${o.significant}, повторных: ${o.repeats})`,
      ...closedLines(report, o),
      ...unansweredLine(report, report.unanswered),
      `Ответов размещено: ${o.answered}, в срок: ${o.answeredOnTime}${share(o.answeredOnTime, o.answered)}`,
      `Промежуточных ответов: ${o.interim}; окончательных после них: ${o.finals}, в срок: ${o.finalsOnTime}`,
      `Сроков ответа нарушено: ${o.overdue.count}` +
        (o.overdue.notDone > 0 ? `, из них ответ не дан: ${o.overdue.notDone}` : "") +
        (o.overdue.count > 0
          ? ` — опоздание в рабочем времени: медиана ${late(o.overdue.medianMinutes, fullDay)}, наибольшее — ${late(o.overdue.worstMinutes, fullDay)}`
          : ""),
      `Возвращено исполнителями: ${o.returned}; на доработку: ${o.reworked}`,
      `Согласовано с первого раза: ${o.approvedFirstRound} из ${o.approved}${share(o.approvedFirstRound, o.approved)}${quality}`,
      `Нарушений регламента: ${o.violations}`,
      ...(report.setAside > 0 ? [tr.setAside(report.setAside)] : []),
      "",
      "Сроки по этапам:",
      ...(o.steps.length > 0
        ? o.steps.map((figure) => stepLine(report, figure))
        : ["• этапов со сроком в этом месяце не было"]),
      "",
      ...dynamicsLine(report, current),
      ...ranked("Частые темы", o.topTopics),
      ...ranked("Частые места", o.topPlaces),
      "",
      "По органам:",
    ];
    const organizations = report.organizations.map((org) => organizationLine(org.name, org));
    // With the organizations' lines, those no organization had add up to «Поступило».
    const { received: unrouted, closed } = report.curators;
    if (closed > 0) organizations.push(`• закрыто без ответа (оскорбления, угрозы): ${closed}`);
    if (unrouted > 0) organizations.push(`• не направлено органам: ${unrouted} из поступивших`);
    const curators = curatorsLine(report.curators);
    const none = organizations.length === 0 && curators.length === 0 ? ["• нет данных"] : [];
    const items = [...organizations, ...none];
    return whole ? [...head, ...items, ...curators].join("\n") : fitLines(head, items, curators);
  },

  violations(report: MonthlyReport, violations: Violation[] = report.violations, title?: string): string {
    const head = [
      title ?? `Нарушения регламента за ${periodLabel(report)}: ${violationCount(violations)}`,
      ...(report.asOf ? [tr.soFar] : []),
      ...(violations.length === 0
        ? [report.asOf ? "Истёкшие сроки соблюдены." : "Все сроки этого месяца соблюдены."]
        : []),
    ];
    const lines = violations.map((v) => tr.violationLine(report, v));
    return fitLines(head, lines);
  },

  violationsForOrganization(report: MonthlyReport, name: string, violations: Violation[]): string {
    return tr.violations(
      report,
      violations,
      `Нарушения регламента за ${periodLabel(report)}, ${name}: ${violationCount(violations)}`,
    );
  },

  stepName,

  /** A violation whose deadline a restore made pass (Violation.lostWithRestore): listed, not counted. */
  lostWithRestore: "срок истёк во время восстановления базы из резервной копии — не учтено",

  /** The Сводка's count of them. */
  setAsideLabel: "Не учтено нарушений: срок истёк во время восстановления базы из резервной копии",
  setAside: (count: number) => `${tr.setAsideLabel}: ${count}`,

  /** A step not done that stopped being owed after its deadline (the post routed elsewhere, answered, closed…). */
  withdrawn: (at: string) => `не выполнено, снято с исполнения ${at}`,

  /** A late step not done: ended after its deadline, or still owed at the period's end. */
  notDone(report: MonthlyReport, v: Violation): string {
    if (v.endedAt) return tr.withdrawn(formatDeadline(v.endedAt, report.timezone));
    return report.asOf ? "пока не выполнено" : "не выполнено к концу месяца";
  },

  /**
   * The workbook's «Статус» of a violation; one an earlier month counted says how late it turned
   * out and that it was counted there.
   */
  violationStatus(report: MonthlyReport, v: Violation | CarriedViolation): string {
    const status = v.completedAt ? "выполнено с опозданием" : tr.notDone(report, v);
    if (v.lostWithRestore) return `${status}; ${tr.lostWithRestore}`;
    if (!("countedIn" in v)) return status;
    const carried = v.completedAt ? `${status} ${late(v.lateMinutes, report.fullDayMinutes)}` : status;
    return `${carried} (учтено в отчёте за ${monthName(v.countedIn)})`;
  },

  /** A post's note on «Сообщения»: why it was closed without an answer, and if left out of the figures. */
  postNote(report: MonthlyReport, post: ReportPost): string | null {
    if (!post.closedReason) return null;
    if (post.closedReason !== "void") {
      const at = post.threatForwardedAt;
      return closedText(
        post.closedReason,
        report.regulation,
        at ? formatDeadline(at, report.timezone) : undefined,
      );
    }
    const why =
      post.duplicateOf === null
        ? closedText("void", report.regulation)
        : `закрыто без ответа: дубль сообщения № ${post.duplicateOf}`;
    return `${why} — не входит в «Поступило»`;
  },

  /**
   * Who held an organization's late step when its time ran out; a post not taken into work by then
   * says so, and who took it after. Null when nobody is named (the curators' steps have their own).
   */
  violationHolder(report: MonthlyReport, v: Violation): string | null {
    if (v.personId !== null) return report.personNames.get(v.personId) ?? "";
    if (!v.notTaken) return null;
    const later = v.notTaken.by === null ? undefined : report.personNames.get(v.notTaken.by);
    return later ? `не взято в работу (затем ${later})` : "не взято в работу";
  },

  violationLine(report: MonthlyReport, v: Violation): string {
    const done = v.completedAt
      ? `выполнено ${formatDeadline(v.completedAt, report.timezone)}`
      : tr.notDone(report, v);
    return (
      `№ ${v.incidentId}${answerable(report, v)} — ${stepName(report.regulation, v.step)} (${v.clause}): срок ${formatDeadline(v.deadline, report.timezone)}, ` +
      `${done}, опоздание ${late(v.lateMinutes, report.fullDayMinutes)}` +
      (v.lostWithRestore ? `; ${tr.lostWithRestore}` : "") +
      (v.awaitingAuthorSince
        ? `; ждём ответа автора на запрос с ${formatDeadline(v.awaitingAuthorSince, report.timezone)}`
        : "")
    );
  },
};
