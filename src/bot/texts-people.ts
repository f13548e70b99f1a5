/** What the bot says about people and their access (the admin's /people), and to a new head. */

import type { HeldIncidents, PersonOrganization } from "../app/people.js";
import { HEAD_PURPOSES, type HeadPurpose, type PersonRole } from "../db/schema.js";
import type { Role } from "../domain/access.js";
import { formatDay, type Leave, type LeaveRefusal } from "../domain/leave.js";
import type { OfficialNameRefusal } from "../domain/official-name.js";
import type { Regulation } from "../domain/regulation/index.js";
import { numbers, plural, ROLE_NAMES, t } from "./texts.js";

/**
 * A leave set, told to the person (`name` null) or to the admin who set it: its days, then what the bot
 * does not do meanwhile (`rest`, after «бот не будет»).
 */
function leaveSet(name: string | null, leave: Leave, rest: string): string {
  const who = name ? `${name} в отпуске` : leave.from ? "отпуск" : "вы в отпуске";
  const days = leave.from ? leaveSpan(leave.from, leave.until) : `до ${formatDay(leave.until)}`;
  const again = name ? "" : leave.from ? " Отменить или изменить — /leave." : " Вернуться раньше — /leave.";
  return `Готово: ${who} ${days} включительно. ${leave.from ? "В эти дни" : "До конца отпуска"} бот не будет ${rest}${again}`;
}

/** What a head on leave no longer hears of (tp.leave.setHead). */
const HEAD_LEAVE_STOPS = {
  urgent: "срочные сообщения о социально значимых постах",
  violations: "эскалации нарушений регламента",
} as const;

/** «с 04.05.2026 по 14.05.2026» (or «с 04.05 по 14.05»), a leave planned ahead. */
const leaveSpan = (from: string, until: string, short = false) =>
  `с ${formatDay(from, short)} по ${formatDay(until, short)}`;
const orgLabel = (o: PersonOrganization) => o.shortName ?? o.name;
const heldList = (held: HeldIncidents[]) =>
  held.map((h) => `«${h.organizationName}» — ${numbers(h.incidentIds)}`).join("; ");
const heldTotal = (held: HeldIncidents[]) => held.reduce((sum, h) => sum + h.incidentIds.length, 0);
const heldCount = (held: HeldIncidents[]) => {
  const n = heldTotal(held);
  return `${n} ${plural(n, "сообщение", "сообщения", "сообщений")}`;
};
/** Each organization carries its own posts on: one post is «его», several — «их». */
const carryOn = (held: HeldIncidents[]) =>
  held.length > 1
    ? "их нужно передать другим исполнителям"
    : `${heldTotal(held) === 1 ? "его" : "их"} нужно передать другому исполнителю`;
/** An organization's open posts when its last executor leaves: the person's, and those nobody has taken. */
export interface LeftPosts {
  organizationName: string;
  held: number[];
  untaken: number[];
}
/** The posts a person held for an organization, by what is left to do: a draft, or only the posting. */
export interface HeldPosts {
  inWork: number[];
  /** Its draft is at the curators. */
  onApproval: number[];
  /** Its answer is approved, waiting to be posted. */
  approved: number[];
}
/** One post is «его», several — «их». */
const itOrThem = (o: LeftPosts) => (o.held.length + o.untaken.length === 1 ? "его" : "их");
/** «Открытые сообщения органа: в работе у сотрудника — № 1; не взято в работу — № 6.» (`was`: said after.) */
const leftPosts = (o: LeftPosts, was: boolean) => {
  const held = was ? `${o.held.length > 1 ? "были" : "было"} в работе у сотрудника` : "в работе у сотрудника";
  const parts = [
    ...(o.held.length > 0 ? [`${held} — ${numbers(o.held)}`] : []),
    ...(o.untaken.length > 0
      ? [`${o.untaken.length > 1 ? "не взяты" : "не взято"} в работу — ${numbers(o.untaken)}`]
      : []),
  ];
  const one = o.held.length + o.untaken.length === 1;
  return `${one ? "Открытое сообщение органа" : "Открытые сообщения органа"}: ${parts.join("; ")}.`;
};
/** The organization's executors left, all of whom block the bot: one of them, or several. */
const blockingExecutors = (blocking: string[]) =>
  blocking.length === 1
    ? `оставшемуся исполнителю (${blocking[0]}) бот писать не может: исполнитель заблокировал бота или удалил аккаунт`
    : `остальным его исполнителям (${blocking.join(", ")}) бот писать не может: ` +
      "они заблокировали бота или удалили аккаунт";

const PURPOSE_NAMES: Record<HeadPurpose, string> = {
  urgent: "Срочные",
  summary: "Сводка",
  violations: "Нарушения",
};
/**
 * What each purpose brings, as the admin and the head read it. «Срочные» names the importance levels
 * the preset reports at once (Georgievsk p.24 adds «Важное»: «…требующим оперативного решения»).
 */
function purposeContent(purpose: HeadPurpose, reg: Regulation): string {
  if (purpose === "summary") return "отчёт за месяц";
  if (purpose === "violations") return "нарушения регламента за месяц и долгие просрочки";
  const important = reg.significantRecipients.importance.includes("important") ? " и важные" : "";
  return `социально значимые${important} сообщения и всплески сообщений, сразу`;
}
/** The preset's clause for each purpose and whom it names, if anyone (Orenburg p.19–21, Georgievsk p.23–24). */
function presetRecipient(
  purpose: HeadPurpose,
  reg: Regulation,
): { clause: string | undefined; recipients: string | null } {
  if (purpose === "urgent") {
    const { clause, recipients } = reg.significantRecipients;
    return { clause, recipients: recipients.join(", ") };
  }
  if (purpose === "summary") {
    const { clause, recipient } = reg.monthlySummary;
    return { clause, recipients: recipient ?? null };
  }
  const { clause, recipients } = reg.violationsReport;
  return { clause, recipients: recipients.join(", ") };
}
/** « (п. 20)», or nothing for a report the regulation does not require (Georgievsk's summary). */
const cited = (purpose: HeadPurpose, reg: Regulation) => {
  const { clause } = presetRecipient(purpose, reg);
  return clause ? ` (${clause})` : "";
};
/** «Сводка (п. 20): заместитель министра …»: the purpose named as the regulation names it. */
const purposeLabel = (purpose: HeadPurpose, reg: Regulation) => {
  const { recipients } = presetRecipient(purpose, reg);
  return `${PURPOSE_NAMES[purpose]}${cited(purpose, reg)}${recipients ? `: ${recipients}` : ""}`;
};
const purposeShort = (purpose: HeadPurpose, reg: Regulation) =>
  `${PURPOSE_NAMES[purpose]}${cited(purpose, reg)}`;
/** What a head gets, one line per purpose: the violations of their organization only, if they head one. */
const received = (purpose: HeadPurpose, organization: string | null, reg: Regulation) => {
  const own = purpose === "violations" && organization ? ` — только органа «${organization}»` : "";
  return `${purposeContent(purpose, reg)}${own}${cited(purpose, reg)}`;
};
const receives = (purposes: HeadPurpose[], organization: string | null, reg: Regulation) =>
  purposes.map((purpose) => `• ${received(purpose, organization, reg)}`);

/** «№ 4 — возьмите его себе» / «№ 4, № 7 — возьмите их себе». */
const takeThem = (ids: number[]) => `${numbers(ids)} — возьмите ${ids.length > 1 ? "их" : "его"} себе`;

const EXAMPLE_NAME = "например: Иванов Иван Иванович";

export const tp = {
  /** The official name reports and cards give: set by the person (/name) or an admin (/people). */
  officialName: {
    askOwn: (official: string | null, telegram: string) =>
      official
        ? `В отчётах вы указаны так: ${official}. Чтобы изменить, пришлите фамилию, имя и отчество, ` +
          `${EXAMPLE_NAME}. «${tp.officialName.button.remove}» — указывать имя из Telegram (${telegram}).`
        : `Сейчас в отчётах и на карточках указано ваше имя из Telegram: ${telegram}. Пришлите фамилию, ` +
          `имя и отчество, ${EXAMPLE_NAME}.`,
    askFor: (name: string, official: string | null) =>
      `Пришлите фамилию, имя и отчество сотрудника ${name}, ${EXAMPLE_NAME}.` +
      (official
        ? ` Сейчас указано: ${official}; «${tp.officialName.button.remove}» — указывать имя из Telegram.`
        : ""),
    /** Asked at the end of the welcome of one who joins by an invite. */
    askNew:
      "Как вас указывать в отчётах? Пришлите фамилию, имя и отчество командой /name, например: " +
      "/name Иванов Иван Иванович. Можно и позже.",
    bad: {
      letters: `В ФИО могут быть только буквы, дефис и апостроф. Пришлите фамилию, имя и отчество, ${EXAMPLE_NAME}.`,
      words: `Нужны фамилия, имя и, если есть, отчество — от двух до четырёх слов, ${EXAMPLE_NAME}.`,
      too_long: "ФИО длиннее 100 знаков. Пришлите фамилию, имя и отчество короче.",
    } satisfies Record<OfficialNameRefusal, string>,
    /** `short`: as cards and lists give it. */
    setOwn: (official: string, short: string) =>
      `Готово: в отчётах вы указаны как ${official} (на карточках — ${short}). Изменить — /name.`,
    setFor: (official: string) => `Готово: в отчётах сотрудник указан как ${official}.`,
    removedOwn: (telegram: string) =>
      `ФИО удалены: в отчётах и на карточках снова имя из Telegram — ${telegram}. Указать — /name.`,
    removedFor: (telegram: string) =>
      `ФИО удалены: сотрудник снова указан по имени из Telegram — ${telegram}.`,
    /** To the person, quietly, when an admin set or removed it. */
    setByAdmin: (official: string) =>
      `Администратор указал ваши ФИО для отчётов: ${official}. Если есть ошибка, исправьте — /name.`,
    removedByAdmin: "Администратор удалил ваши ФИО: в отчётах снова имя из Telegram. Указать — /name.",
    /** The first line of the person's card in /people: the official name, and whom it is in Telegram. */
    title: (official: string | null, telegram: string) =>
      official ? `${official}\nВ Telegram: ${telegram}` : telegram,
    button: { set: "Указать ФИО", change: "Изменить ФИО", remove: "Удалить" },
  },
  /** A person's leave («в отпуске до …»): set by the person (/leave) or an admin (/people). */
  leave: {
    /** A name as cards show it: with «(в отпуске до 14.05)» once the leave has begun. */
    named: (name: string, leave: Leave | null) =>
      leave && leave.from === null ? `${name} (в отпуске до ${formatDay(leave.until, true)})` : name,
    /** A name as /people lists it: a leave planned ahead too, «(отпуск с 04.05 по 14.05)». */
    listed: (name: string, leave: Leave | null) =>
      leave?.from
        ? `${name} (отпуск ${leaveSpan(leave.from, leave.until, true)})`
        : tp.leave.named(name, leave),
    askOwn:
      "Укажите последний день отпуска в формате ДД.ММ.ГГГГ, например 14.05.2026; если отпуск начнётся " +
      "позже — первый и последний дни: 04.05–14.05. В отпуске бот не будет писать вам лично; в рабочем " +
      "чате органа всё как обычно.",
    askFor: (name: string) =>
      `Укажите последний день отпуска сотрудника ${name} в формате ДД.ММ.ГГГГ, например 14.05.2026; ` +
      "если отпуск начнётся позже — первый и последний дни: 04.05–14.05.",
    bad: {
      junk:
        "Не удалось прочитать дату. Напишите последний день отпуска так: 14.05.2026 — " +
        "или первый и последний: 04.05–14.05.",
      past: "Эта дата уже прошла. Укажите последний день отпуска: сегодня или позже.",
      started: "Первый день отпуска уже прошёл. Если отпуск уже идёт, укажите только последний день.",
      reversed:
        "Первый день отпуска позже последнего. Укажите сначала первый день, затем последний: 04.05–14.05.",
      too_far: "Отпуск можно указать не больше чем на год вперёд. Проверьте дату.",
    } satisfies Record<LeaveRefusal, string>,
    setOwn: (leave: Leave) =>
      leave.from
        ? `Готово: отпуск ${leaveSpan(leave.from, leave.until)} включительно. В эти дни бот не будет писать вам лично: ни ` +
          "напоминаний, ни карточек. В первый день отпуска коллегам в рабочем чате сообщим, какие сообщения " +
          "у вас в работе. Отменить или изменить — /leave."
        : `Готово: вы в отпуске до ${formatDay(leave.until)} включительно. Бот не будет писать вам лично до ` +
          "конца отпуска: ни напоминаний, ни карточек. Коллегам в рабочем чате сообщим, какие сообщения у вас " +
          "в работе. Вернуться раньше — /leave.",
    setFor: (name: string, leave: Leave) =>
      leave.from
        ? `Готово: ${name} в отпуске ${leaveSpan(leave.from, leave.until)} включительно. Лично бот ему в эти дни не пишет; ` +
          "в первый день отпуска коллегам в рабочем чате сообщим, какие сообщения у него в работе."
        : `Готово: ${name} в отпуске до ${formatDay(leave.until)} включительно. Лично бот ему до тех пор не ` +
          "пишет; коллегам в рабочем чате сообщим, какие сообщения у него в работе.",
    /**
     * To a head (no organization's executor, no curator) setting his leave, or an admin setting it
     * for him (`name`): what the bot stops sending him (`stops`), the colleagues of his organization
     * who get it meanwhile, and whether he still hears of significant posts, no other head having them.
     */
    setHead: (p: {
      name: string | null;
      leave: Leave;
      stops: ("urgent" | "violations")[];
      colleagues: string[];
      stillUrgent: boolean;
    }) => {
      const them = p.name ? "ему" : "вам";
      const stops = p.stops.map((purpose) => HEAD_LEAVE_STOPS[purpose]).join(" и ");
      return leaveSet(
        p.name,
        p.leave,
        (stops ? `присылать ${them} лично ${stops}.` : `писать ${them} лично.`) +
          (stops && p.colleagues.length > 0 ? ` Их по-прежнему получает: ${p.colleagues.join(", ")}.` : "") +
          (p.stillUrgent
            ? ` О социально значимых сообщениях бот сообщит ${them} и в отпуске: других руководителей, получающих их, нет.`
            : ""),
      );
    },
    /** To a curator (no organization's executor) setting his leave, or an admin setting it for him (`name`). */
    setCurator: (name: string | null, leave: Leave) =>
      leaveSet(
        name,
        leave,
        `писать ${name ? "ему" : "вам"} лично: ни карточек, ни напоминаний, ни сводок кураторов; в чате кураторов всё как обычно.`,
      ),
    statusOwn: (leave: Leave) =>
      leave.from
        ? `Отпуск ${leaveSpan(leave.from, leave.until)} включительно: в эти дни бот не будет писать вам лично. ` +
          "Другие даты — /leave ДД.ММ.ГГГГ ДД.ММ.ГГГГ."
        : `Вы в отпуске до ${formatDay(leave.until)} включительно: бот не пишет вам лично. ` +
          "Другая дата — /leave ДД.ММ.ГГГГ.",
    cancelledOwn: "Отпуск отменён. Бот снова пишет вам лично: напоминания и карточки новых сообщений.",
    cancelledFor: (name: string) => `Отпуск отменён: ${name} снова получает от бота личные сообщения.`,
    notOn: "Отпуск не указан или уже закончился.",
    /** To the person, when an admin set or changed his leave, or cancelled it. */
    setByAdmin: (leave: Leave) =>
      leave.from
        ? `Администратор отметил ваш отпуск ${leaveSpan(leave.from, leave.until)}: в эти дни лично бот не будет писать. ` +
          "Отменить — /leave."
        : `Администратор отметил ваш отпуск до ${formatDay(leave.until)}: лично бот не будет писать до его ` +
          "конца. Отменить — /leave.",
    /** To the person as his first working day after the leave begins, with the posts he holds. */
    welcomeBack: (ids: number[]) => `С возвращением! У вас в работе: ${numbers(ids)}.`,
    cancelledByAdmin:
      "Администратор отменил ваш отпуск: бот снова пишет вам лично — напоминания и карточки новых сообщений.",
    /** On the person's card in /people. */
    card: (leave: Leave) =>
      leave.from
        ? `Отпуск ${leaveSpan(leave.from, leave.until)} включительно: в эти дни лично бот не пишет.`
        : `В отпуске до ${formatDay(leave.until)} включительно: лично бот не пишет.`,
    button: { set: "Указать отпуск", change: "Изменить отпуск", cancel: "Отменить отпуск" },
    /** To the work chat once the leave begins: the posts the person holds, for colleagues to take over. */
    chatNotice: (name: string, until: string, ids: number[]) =>
      `${name} в отпуске до ${formatDay(until)}. В работе у сотрудника: ${takeThem(ids)} ` +
      `кнопкой «${t.button.takeOver}» на карточке.`,
    /** To the curators: the organization's only executor is on leave with posts in work. */
    curatorsNotice: (name: string, organization: string, until: string, ids: number[]) =>
      `${name}, единственный исполнитель органа «${organization}», в отпуске до ${formatDay(until)}. ` +
      `В работе: ${numbers(ids)} — взять некому. Направьте ${ids.length > 1 ? "их" : "его"} другому органу ` +
      `кнопкой «${t.button.reroute}» на карточке или попросите администратора пригласить исполнителя.`,
  },
  /** What a head receives, one line per purpose (for /help). */
  headReceives: receives,
  listTitle: (page: number, pages: number) =>
    `Сотрудники с доступом к боту${pages > 1 ? ` (стр. ${page + 1} из ${pages})` : ""}. ` +
    "Нажмите на имя, чтобы снять роль, исключить из органа, закрыть доступ или выбрать, что получает руководитель:",
  listEmpty: "Сотрудников с доступом пока нет. Пригласить — /invite.",
  /** `headOf`: the organization a head of one heads (the heads of all and of one look alike otherwise). */
  listLine: (
    n: number,
    name: string,
    roles: Role[],
    organizations: PersonOrganization[],
    headOf: string | null = null,
  ) =>
    `${n}. ${name} — ${roles
      .map((role) =>
        role === "executor"
          ? `${ROLE_NAMES[role]} (${organizations.map(orgLabel).join(", ")})`
          : role === "head" && headOf
            ? `${ROLE_NAMES[role]} органа (${headOf})`
            : ROLE_NAMES[role],
      )
      .join(", ")}`,
  card: (input: {
    name: string;
    telegramId: number;
    roles: string[];
    organizations: PersonOrganization[];
    held: HeldIncidents[];
    /** When the bot first found the person's private chat refusing, as `dd.MM.yyyy HH:mm`. */
    blockedSince: string | null;
    /** The person's leave, on or planned. */
    leave: Leave | null;
    configuredAdmin: boolean;
    /** What the person receives as a head (see heads.card); none when not a head. */
    head?: string[];
    /** «Приглашён: …», one line for each invite the person used (see t.invite.card). */
    invited: string[];
  }) =>
    [
      input.name,
      `Telegram id: ${input.telegramId}`,
      input.roles.length > 0 ? `Роли: ${input.roles.join(", ")}` : "Доступа к боту нет.",
      ...(input.organizations.length > 0
        ? [`Органы: ${input.organizations.map((o) => o.name).join("; ")}`]
        : []),
      ...input.invited,
      ...(input.head ?? []),
      ...(input.held.length > 0 ? [`В работе: ${heldList(input.held)}`] : []),
      ...(input.leave ? [tp.leave.card(input.leave)] : []),
      ...(input.blockedSince
        ? [
            `С ${input.blockedSince} бот не может писать сотруднику: бот заблокирован или аккаунт удалён. ` +
              "Личные сообщения и карточки не отправляются, пока сотрудник не разблокирует бота или не напишет ему.",
          ]
        : []),
      ...(input.configuredAdmin
        ? [
            "Роль администратора задана в настройках бота (ADMIN_IDS): здесь её не снять, " +
              "она возвращается при каждом сообщении сотрудника. Чтобы снять, уберите id из ADMIN_IDS, " +
              "перезапустите бота и снимите роль здесь.",
          ]
        : []),
    ].join("\n"),
  button: {
    takeRole: (role: PersonRole) => `Снять роль: ${ROLE_NAMES[role]}`,
    leaveOrganization: (o: PersonOrganization) => `Исключить из: ${orgLabel(o)}`,
    addOrganization: "Добавить в орган…",
    removeAll: "Закрыть доступ полностью",
    back: "К списку",
    toPerson: "К сотруднику",
    cancel: "Отмена",
    confirmRole: "Да, снять роль",
    confirmOrganization: "Да, исключить",
    confirmAll: "Да, закрыть доступ",
  },

  confirm: {
    role: (name: string, role: PersonRole) => `${name}: снять роль «${ROLE_NAMES[role]}»?`,
    organization: (name: string, organization: string) =>
      `${name}: исключить из органа «${organization}»? Сообщения органа ему станут недоступны.`,
    all: (name: string, roles: PersonRole[], organizations: PersonOrganization[]) =>
      [
        `${name}: закрыть доступ к боту полностью?`,
        ...(roles.length > 0 ? [`Будут сняты роли: ${roles.map((r) => ROLE_NAMES[r]).join(", ")}.`] : []),
        ...(organizations.length > 0
          ? [`Исключим из органов: ${organizations.map((o) => `«${o.name}»`).join(", ")}.`]
          : []),
        "Запись о сотруднике и история его действий сохранятся.",
      ].join("\n"),
    held: (held: HeldIncidents[]) =>
      `Сейчас в работе у сотрудника ${heldCount(held)}: ${heldList(held)}. ` +
      `${held.length > 1 ? "Органам" : "Органу"} сообщим, что ${carryOn(held)}.`,
    /** An organization the person is the last executor of, with open posts: one paragraph. */
    nobodyLeft: (o: LeftPosts) =>
      `В органе «${o.organizationName}» не останется исполнителей. ${leftPosts(o, false)} ` +
      `Кураторам сообщим, чтобы направили ${itOrThem(o)} другому органу; или пригласите исполнителя — /invite.`,
    /** The person's only organization and no role: he would be a stranger; a wrong one is fixed by adding the right one first. */
    onlyOrganization:
      "Это его единственный орган: он останется без доступа к боту и не будет получать сообщения. " +
      "Если орган указан неверно, сначала добавьте нужный: «Добавить в орган…».",
    lastCurator:
      "Это единственный куратор: без него направлять сообщения и согласовывать ответы будет некому. " +
      `Пригласите другого куратора — /invite → «${t.invite.roleButton.curator}».`,
    keptAdmin:
      "Роль администратора останется: она задана в настройках бота (ADMIN_IDS). Чтобы снять её, " +
      "уберите id сотрудника из ADMIN_IDS, перезапустите бота и снимите роль здесь, в /people.",
  },

  /** «Добавить в орган…» on the person's card. */
  join: {
    choose: (name: string) => `${name}: в какой орган добавить исполнителем?`,
    done: (name: string, organization: string) =>
      `Готово. ${name} теперь исполнитель органа «${organization}».`,
    already: "Сотрудник уже в этом органе.",
  },

  done: {
    role: (name: string, role: PersonRole) => `Готово. ${name}: снята роль «${ROLE_NAMES[role]}».`,
    organization: (name: string, organization: string) =>
      `Готово. ${name} больше не исполнитель органа «${organization}».`,
    all: (name: string) =>
      `Готово. ${name}: доступ к боту закрыт. Запись о сотруднике и история его действий сохранены.`,
    /**
     * `organizationsTold`: every organization listed heard of its posts; when not, the lines that follow
     * say which could not be told and which were.
     */
    held: (held: HeldIncidents[], organizationsTold: boolean) =>
      `В работе у сотрудника было ${heldCount(held)}: ${heldList(held)}.` +
      (organizationsTold ? ` ${held.length > 1 ? "Органам" : "Органу"} сообщено, что ${carryOn(held)}.` : ""),
    /** The organization left with no executor (`hasChat`: its work chat has nobody to act); the curators told or not. */
    nobodyLeft: (o: LeftPosts, curatorsTold: boolean, hasChat: boolean) =>
      `В органе «${o.organizationName}» не осталось исполнителей` +
      `${hasChat ? " (в рабочем чате некому взять сообщения)" : " и нет рабочего чата"}. ${leftPosts(o, true)} ` +
      (curatorsTold
        ? "Об этом сообщено кураторам."
        : "Кураторам сообщить не удалось (бот не может им писать) — передайте им это сами.") +
      " Пригласите исполнителя — /invite.",
    /** One organization told of its posts, when another could not be. */
    organizationTold: (held: HeldIncidents) =>
      `Органу «${held.organizationName}» сообщено, что ` +
      `${held.incidentIds.length > 1 ? "сообщения" : "сообщение"} ${numbers(held.incidentIds)} ` +
      "нужно передать другому исполнителю.",
    /**
     * `blocking`: the executors left, every one of whom blocks the bot (and no work chat);
     * `curatorsTold`: whether the curators got the notice (their chat, or one of them privately).
     */
    unreachable: (organization: string, blocking: string[], curatorsTold: boolean) =>
      `У органа «${organization}» нет рабочего чата, а ${blockingExecutors(blocking)}. ` +
      (curatorsTold
        ? "Об этом сообщено кураторам."
        : "Кураторам сообщить не удалось (бот не может им писать) — передайте им это сами."),
    /** The organization could be written to, but Telegram took nothing there (the chat or the executors refused). */
    notDelivered: (organization: string, curatorsTold: boolean) =>
      `Органу «${organization}» сообщить не удалось: бот не смог написать ни в его рабочий чат, ни его исполнителям. ` +
      (curatorsTold
        ? "Об этом сообщено кураторам."
        : "Кураторам сообщить тоже не удалось — передайте им это сами."),
    workChat: (chats: string[]) =>
      `Если сотрудник состоит в рабочих чатах (${chats.join(", ")}), удалите его оттуда: бот этого не делает.`,
    nowRoles: (roles: string[]) =>
      roles.length > 0 ? `Роли теперь: ${roles.join(", ")}.` : "Доступа к боту у сотрудника больше нет.",
    told: "Сотруднику сообщено лично.",
    notTold: "Лично сообщить не удалось: сотрудник не открывал бота или заблокировал его.",
  },

  refusal: {
    notFound: "Такого сотрудника нет. Откройте список заново: /people.",
    notHeld: "Это уже сделано: доступ сотрудника изменился. Показываю, как сейчас.",
    lastAdmin:
      `Вы единственный администратор. Сначала пригласите другого (/invite → «${t.invite.roleButton.admin}»), ` +
      "потом снимайте с себя эту роль.",
    configuredAdmin:
      "Роль администратора задана в ADMIN_IDS и вернётся при следующем сообщении сотрудника. " +
      "Уберите id из ADMIN_IDS, перезапустите бота и снимите роль здесь, в /people.",
  },

  /** What the person hears privately. */
  notice: {
    role: (role: PersonRole) => `Администратор снял с вас роль «${ROLE_NAMES[role]}».`,
    organization: (organization: string) =>
      `Администратор исключил вас из органа «${organization}»: его сообщения вам больше не доступны.`,
    joined: (organization: string) =>
      `Администратор добавил вас в орган «${organization}»: теперь вы получаете его сообщения.`,
    all: "Администратор закрыл ваш доступ к боту. Если это ошибка, обратитесь к администратору.",
    allButAdmin:
      "Администратор снял с вас все роли и исключил из органов. Роль администратора остаётся: " +
      "она задана в настройках бота.",
    nowRoles: (roles: string[]) =>
      roles.length > 0
        ? `Ваши роли теперь: ${roles.join(", ")}. Справка — /help.`
        : "Доступа к боту у вас больше нет. Если это ошибка, обратитесь к администратору.",
  },

  /** What each head receives (Orenburg p.19–21, Georgievsk p.23–24), in «Сотрудники» and invites. */
  heads: {
    /** The head's lines on their card in «Сотрудники». */
    card: (purposes: HeadPurpose[], organization: string | null, reg: Regulation) => [
      "Что получает как руководитель (кнопки ниже включают и выключают):",
      ...HEAD_PURPOSES.map(
        (purpose) =>
          `${purposes.includes(purpose) ? "✅" : "⬜"} ${purposeLabel(purpose, reg)} — ${purposeContent(purpose, reg)}`,
      ),
      ...(organization
        ? [`Руководитель органа «${organization}»: нарушения и просрочки — только этого органа.`]
        : []),
      ...(purposes.length === 0 ? ["Сейчас бот ничего не присылает этому руководителю."] : []),
    ],
    /** One tap switches the purpose: the mark shows whether it is on now. */
    button: (purpose: HeadPurpose, on: boolean, reg: Regulation) =>
      `${on ? "✅" : "⬜"} ${purposeShort(purpose, reg)}`,
    switched: (purpose: HeadPurpose, on: boolean) =>
      `${on ? "Включено" : "Выключено"}: ${PURPOSE_NAMES[purpose]}`,
    /** A stale button or a second press: nothing to change. */
    already: (purpose: HeadPurpose, on: boolean) =>
      `Уже ${on ? "включено" : "выключено"}: ${PURPOSE_NAMES[purpose]}`,
    notHead: "Сотрудник больше не руководитель. Показываю, как сейчас.",
    /** Told to the head privately when the admin switches one of his purposes: what changed, what he gets now. */
    changed: (input: {
      purpose: HeadPurpose;
      enabled: boolean;
      purposes: HeadPurpose[];
      organization: string | null;
      regulation: Regulation;
    }) => {
      const { purpose, enabled, purposes, organization, regulation } = input;
      const what = received(purpose, organization, regulation);
      return [
        enabled
          ? `Администратор изменил рассылку: бот будет присылать вам также ${what}.`
          : `Администратор изменил рассылку: бот больше не будет присылать вам ${what}.`,
        ...(purposes.length > 0
          ? ["Теперь бот присылает вам:", ...receives(purposes, organization, regulation)]
          : ["Теперь бот ничего вам не присылает."]),
      ].join("\n");
    },

    /** A head of an organization whose organization broke no deadline in the month (`month`: «ноябрь 2026 г.»). */
    /** `soFar`: the month still runs, as of that moment — only the deadlines passed so far count. */
    noViolations: (month: string, organization: string, soFar?: string) =>
      soFar
        ? `Нарушения регламента за ${month} на ${soFar}, ${organization}: 0\nИстёкшие сроки соблюдены.`
        : `Нарушения регламента за ${month}, ${organization}: 0\nВсе сроки этого месяца соблюдены.`,

    /** The invite of a head of an organization. */
    inviteButton: "Руководитель органа",
    chooseOrganization:
      "Выберите орган для руководителя. Он будет получать нарушения регламента этого органа и долгие просрочки его сообщений.",
    /** Said under the link: what the invited head will receive. */
    invited: (purposes: HeadPurpose[], organization: string | null, reg: Regulation) =>
      [
        organization
          ? `Руководитель органа «${organization}» будет получать:`
          : "Руководитель будет получать:",
        ...receives(purposes, organization, reg),
        "Изменить это можно в /people, когда руководитель откроет ссылку.",
      ].join("\n"),
    /** The head who opened the invite. */
    welcome: (input: {
      alreadyHad: boolean;
      purposes: HeadPurpose[];
      organization: string | null;
      regulation: Regulation;
      /** A head already, invited as a head of another scope: the invite's organization (null: all). */
      invitedOtherwise?: { organization: string | null } | undefined;
    }) => {
      const of = input.organization ? ` органа «${input.organization}»` : "";
      const first = input.alreadyHad
        ? `У вас уже есть роль «${ROLE_NAMES.head}»${of}.`
        : `Готово! Вы зарегистрированы как ${ROLE_NAMES.head}${of}.`;
      const invited = input.invitedOtherwise;
      const unchanged = invited
        ? [
            `Приглашение было для руководителя ${invited.organization ? `органа «${invited.organization}»` : "(все органы)"}; ` +
              "ваши настройки оно не изменило.",
          ]
        : [];
      const what =
        input.purposes.length > 0
          ? ["Бот будет присылать вам:", ...receives(input.purposes, input.organization, input.regulation)]
          : ["Сейчас бот ничего вам не присылает."];
      return [
        first,
        ...unchanged,
        ...what,
        "Что присылать, настраивает администратор.",
        "",
        "Справка — /help.",
      ].join("\n");
    },
  },

  /**
   * A curator added later: the posts waiting for the curators (`routing`: to route, `approval`: drafts
   * to decide on), their cards below (the first `shown` of them) or in the curators' chat (`chat`).
   */
  newCurator: (w: { routing: number; approval: number; shown: number; chat?: string }) => {
    const what = [
      ...(w.routing > 0 ? [`направить исполнителям — ${w.routing}`] : []),
      ...(w.approval > 0 ? [`решить по проекту ответа — ${w.approval}`] : []),
    ];
    const total = w.routing + w.approval;
    const where =
      w.chat !== undefined
        ? `Карточки — в чате кураторов «${w.chat}»; если вас там нет, попросите администратора добавить вас.`
        : w.shown < total
          ? `Карточки первых ${w.shown} — ниже, остальные — в /list.`
          : total > 1
            ? "Карточки — ниже."
            : "Карточка — ниже.";
    return `Сообщения уже ждут кураторов: ${what.join(", ")}. ${where}`;
  },

  /** A head added later: the significant posts still open, each as heads hear of it. */
  newHead: {
    title: (count: number) =>
      `Сейчас открыто сообщений, о которых вам сообщается сразу: ${count}. О новых — тоже сразу.`,
    /** As a card says it. */
    deadline: (at: string, step: string, clause: string) => `${t.card.deadline}: ${at} — ${step} (${clause})`,
  },

  /**
   * What the organization hears: posts the person held need someone to carry them on. A draft at the
   * curators (`onApproval`) or an answer approved (`approved`) needs no next draft: any executor posts it.
   */
  organizationNotice: (name: string, organization: string, { inWork, onApproval, approved }: HeldPosts) => {
    const head = `${name} больше не исполнитель органа «${organization}». Сообщения, которые были у этого сотрудника в работе`;
    const passOn = "нужно передать другому исполнителю органа";
    const nextDraft = "кто пришлёт следующий проект ответа, станет ответственным";
    if (onApproval.length + approved.length === 0)
      return `${head}, ${passOn}: ${numbers(inWork)}. Карточки — кнопками ниже: ${nextDraft}.`;
    const each = [
      ...(inWork.length > 0 ? [`${numbers(inWork)} — ${passOn}: ${nextDraft}`] : []),
      ...(onApproval.length > 0
        ? [
            `${numbers(onApproval)} — ${onApproval.length > 1 ? "проекты" : "проект"} у кураторов: ` +
              "после согласования разместит любой исполнитель органа",
          ]
        : []),
      ...(approved.length > 0
        ? [
            `${numbers(approved)} — ${approved.length > 1 ? "ответы согласованы" : "ответ согласован"}: ` +
              "разместить может любой исполнитель органа",
          ]
        : []),
    ];
    return `${head}: ${each.join("; ")}. Карточки — кнопками ниже.`;
  },
  /** To the curators, one message: the organization's open posts nobody is left to take (its last executor left). */
  nobodyLeftNotice: (name: string, o: LeftPosts, hasChat: boolean) =>
    `${name} больше не исполнитель органа «${o.organizationName}», а ` +
    (hasChat
      ? "других исполнителей у органа нет (в рабочем чате некому взять сообщения). "
      : "других исполнителей и рабочего чата у органа нет. ") +
    `${leftPosts(o, true)} Направьте ${itOrThem(o)} другому органу кнопкой «${t.button.reroute}» на карточке ` +
    `(${o.held.length + o.untaken.length === 1 ? "карточка — кнопкой ниже" : "карточки — кнопками ниже"}) ` +
    "или попросите администратора пригласить исполнителя.",
  /** To the curators: an organization without a work chat, whose posts reached nobody, has its first executor. */
  executorFirst: (organization: string, name: string, ids: number[]) =>
    `В органе «${organization}» появился исполнитель: ${name}. ` +
    `${ids.length > 1 ? "Сообщения органа, которые некому было получить," : "Сообщение органа, которое некому было получить,"} теперь есть кому взять в работу: ${numbers(ids)}.`,
  /** To the curators: the organization whose posts nobody was left to take has an executor again. */
  executorBack: (organization: string, name: string, ids: number[]) =>
    `В органе «${organization}» снова есть исполнитель: ${name}. ` +
    `${ids.length > 1 ? "Открытые сообщения органа" : "Открытое сообщение органа"} теперь есть кому взять в работу: ${numbers(ids)}.`,
  /** To the curators: the organization's executors left all block the bot and it has no work chat. */
  curatorsNotice: (name: string, organization: string, ids: number[], blocking: string[]) => {
    const head =
      `${name} больше не исполнитель органа «${organization}». ` +
      `Рабочего чата у органа нет, а ${blockingExecutors(blocking)}. `;
    return blocking.length === 1
      ? `${head}Сообщения, которые были у этого сотрудника в работе, не переданы: ${numbers(ids)}. ` +
          `Свяжитесь с исполнителем органа или направьте сообщения другому органу кнопкой «${t.button.reroute}» на карточке (карточки — кнопками ниже).`
      : `${head}Сообщения, которые были у этого сотрудника в работе, им не переданы: ${numbers(ids)}. ` +
          `Свяжитесь с исполнителями органа или направьте сообщения другому органу кнопкой «${t.button.reroute}» на карточке (карточки — кнопками ниже).`;
  },
} as const;
