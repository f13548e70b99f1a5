/** Every word the bot says, in one place so the wording can be reviewed. Plain, polite, short. */

import type { ImportedField } from "../app/organizations.js";
import type { YearCoverage } from "../app/sla.js";
import type { ChatPurpose } from "../db/schema.js";
import type { Role } from "../domain/access.js";
import type {
  CalendarDayList,
  CalendarProblem,
  CalendarProblemPlace,
  CalendarYear,
  CalendarYearChanges,
} from "../domain/calendar/index.js";
import type { DraftKind, Importance, IncidentState } from "../domain/incident.js";
import { type ImportFileProblem, MAX_IMPORT_ROWS } from "../domain/organization-import.js";
import type { Regulation, SelfCheckProblem, StepId } from "../domain/regulation/index.js";

/** Posts' numbers: «№ 3, № 5». */
export const numbers = (ids: number[]) => ids.map((id) => `№ ${id}`).join(", ");

/** What happens while a chat refuses the bot, by what it serves (see the sweep's fallBackToCurators). */
/** Ends a sentence: a text ending in an abbreviation's dot («2 раб. дн.») gets no second one. */
const endSentence = (text: string) => (text.endsWith(".") ? text : `${text}.`);

/**
 * A person's words in quotes that end a sentence, with one full stop: a closing dot of theirs goes
 * after the quotes («…(ЖКХ)».); their «?», «!» or «…» stays inside, the dot still after («…?».).
 */
export const quotedEnd = (text: string) => `«${text.trim().replace(/(?<!\.)\.$/, "")}».`;

const UNREACHABLE_CHAT: Record<ChatPurpose | "unbound", string> = {
  organization: "Напоминания по нему идут кураторам. Верните бота в чат или привяжите новый: /bind.",
  curators:
    "Карточки сообщений и уведомления в этот чат не доходят; напоминания о сроках бот шлёт кураторам лично. " +
    "Верните бота в чат или привяжите новый: /bind.",
  unbound:
    "Чат не привязан ни к органу, ни к кураторам. Если он нужен для работы, верните бота в чат и привяжите его: /bind.",
};

/** Steps whose deadlines passed while a list's line has another still ahead, named as the alerts name them. */
function stepsMissed(steps: string[]): string {
  const named = [...new Set(steps)].map((step) => `«${step}»`);
  return `${named.length === 1 ? "пропущен срок" : "пропущены сроки"} ${named.join(", ")}`;
}

/**
 * What a digest line says besides its step: `importance`, the card's word for a socially
 * significant post; `organization`, whose deadline it is (the curators' «Просрочено у органов»);
 * `whose`: `notTaken`, none of the organization's executors has taken the post (or its part) yet,
 * `curators`, the step is the curators' (the draft's decision), nothing the organization owes;
 * `missed`, the steps missed besides (see stepsMissed).
 */
export interface DigestNotes {
  importance?: string;
  organization?: string;
  whose?: "notTaken" | "curators";
  missed?: string[];
  /** The question to the author the post waits on: when it was posted (see awaitingAuthor). */
  askedAt?: string | undefined;
}

/** Posts overdue with someone (an organization's short name; the curators), counted by what is late, the most first. */
/** One line of a surges' notice (see t.surges). */
export interface SurgeLine {
  subjects: readonly { subject: "topic" | "place"; value: string }[];
  /** The posts of the window. */
  posts: number;
  /** The posts listed: all of a surge's start, those new to the recipient of its growth. */
  ids: number[];
  /** Grown to twice the posts told before (see surgeMilestone). */
  grown: boolean;
  /** How many of the window's posts have their answer posted, for a growth. */
  answered: number;
}

export interface OverdueCount {
  name: string;
  kinds: [what: string, posts: number][];
}

/** «24 (проект ответа)», or with several kinds «27 (проект ответа: 24, ответ автору: 3)». */
function overdueCount({ kinds }: OverdueCount): string {
  const total = kinds.reduce((sum, [, posts]) => sum + posts, 0);
  const [only] = kinds;
  const what =
    kinds.length === 1 && only ? only[0] : kinds.map(([kind, posts]) => `${kind}: ${posts}`).join(", ");
  return `${total} (${what})`;
}

function digestHead(id: number, { importance, organization, whose }: DigestNotes): string {
  const who = whose === "notTaken" ? "никто не взял в работу; " : whose === "curators" ? "у кураторов: " : "";
  return `№ ${id}${importance ? ` (${importance})` : ""}${organization ? ` · ${organization}` : ""} — ${who}`;
}

function digestMissed({ missed = [], askedAt }: DigestNotes): string {
  return `${missed.length > 0 ? `; ${stepsMissed(missed)}` : ""}${askedAt ? `; ${awaitingAuthor(askedAt)}` : ""}`;
}

/** A post whose question to the author is out with no step since: the office waits for the citizen. */
function awaitingAuthor(askedAt: string): string {
  return `ждём ответа автора на запрос с ${askedAt}`;
}

/** The curators' own step escalated to them: what to do now, in place of «Требуется вмешательство». */
const ACT_NOW: Partial<Record<StepId | "posting" | "accept", string>> = {
  routing: "Направьте его исполнителю сейчас.",
  decision: "Примите решение по проекту сейчас.",
  coexecutorPassOn: "Передайте информацию соисполнителя основному исполнителю сейчас.",
  posting: "Разместите ответ сейчас.",
  // The executors' own steps, said to the organization whose step it is (its work chat, its executors).
  accept: "Возьмите его в работу сейчас.",
  draft: "Пришлите проект ответа куратору сейчас.",
  rework: "Пришлите доработанный проект сейчас.",
  publication: "Разместите согласованный ответ сейчас.",
  answer: "Разместите ответ сейчас.",
  coexecutorPart: "Пришлите информацию соисполнителя сейчас.",
  coexecutorRework: "Пришлите доработанную информацию соисполнителя сейчас.",
  finalAfterInterim: "Подготовьте окончательный ответ сейчас.",
};

/** Who holds an answer escalated to the heads of no organization (jobs/sweep.ts curatorsHold). */
const WITH_CURATORS = {
  decision: "проект ответа у кураторов на согласовании",
  posting: "ответ размещает куратор лично",
  routedLate: "срок истёк до того, как сообщение получил основной исполнитель",
};

/** Where a significant post's late answer stands now, as its heads hear it (t.alert.significantLate). */
export type SignificantLateNow = "notRouted" | "notTaken" | "inWork" | "on_approval" | "approved";

const SIGNIFICANT_LATE_NOW = {
  notRouted: () => "ещё не направлено исполнителю, это за кураторами",
  notTaken: () => "никто не взял в работу",
  inWork: (holder: string | null) =>
    `в работе${holder ? ` у исполнителя (${holder})` : ""}, проекта ответа ещё нет`,
  on_approval: () => "проект ответа у кураторов на согласовании",
  approved: () => "ответ согласован, но ещё не размещён",
} satisfies Record<SignificantLateNow, (holder: string | null) => string>;

/** The curators held the answer when it ran out, but have decided or given up their claim since. */
const WAS_WITH_CURATORS = {
  decision: "срок истёк, пока проект был у кураторов",
  posting: "срок истёк, пока ответ собирался разместить куратор",
};

/** Of the curators' own step escalated to them, the organization whose work waits for their move. */
const WAITS_FOR_CURATORS: Partial<Record<StepId | "posting", (organization: string) => string>> = {
  decision: (organization) => `Проект ответа органа «${organization}» ждёт решения кураторов.`,
  coexecutorPassOn: (organization) =>
    `Основной исполнитель («${organization}») ждёт от кураторов информацию соисполнителя.`,
};

const HELD_NOTES: ReadonlySet<string> = new Set([
  ...Object.values(WITH_CURATORS),
  ...Object.values(WAS_WITH_CURATORS),
]);

/** A count with its noun: «4 сотрудника». */
const counted = (n: number, one: string, few: string, many: string) => `${n} ${plural(n, one, few, many)}`;

/** The Russian noun form for a count: 1 сообщение, 2 сообщения, 5 сообщений (and 21, 22, 25, 111…). */
export function plural(n: number, one: string, few: string, many: string): string {
  const tens = n % 100;
  const units = n % 10;
  if (tens >= 11 && tens <= 14) return many;
  if (units === 1) return one;
  return units >= 2 && units <= 4 ? few : many;
}

export const ROLE_NAMES: Record<Role, string> = {
  admin: "администратор",
  curator: "куратор",
  executor: "исполнитель",
  head: "руководитель",
};

const ROLE_ABILITIES: Record<Role, string> = {
  admin: "управлять органами, сотрудниками, приглашениями и рабочими чатами",
  curator: "регистрировать сообщения, направлять их исполнителям и согласовывать ответы",
  executor: "принимать сообщения своего органа в работу и готовить ответы",
  head: "получать срочные доклады о социально значимых сообщениях и ежемесячные отчёты",
};

/** «рабочий чат «…»», or an executor of several organizations' «рабочие чаты «…», «…»». */
const workChatsNamed = (chats: readonly string[]) =>
  `${chats.length > 1 ? "рабочие чаты" : "рабочий чат"} ${chats.map((chat) => `«${chat}»`).join(", ")}`;

/** The buttons a curator's or an executor's work goes by, named as on the cards. */
const workButtons = (role: "curator" | "executor") =>
  role === "curator"
    ? `«${t.button.route}», «${t.button.approve}»`
    : `«${t.button.accept}», затем «${t.button.draft}»`;

/**
 * How a curator's or an executor's work goes: where the cards come (`chats`, the chats' titles, see
 * workChatTitles; none while unbound) and what is pressed on them, named as the buttons are. A
 * `newcomer` is also asked to get into the chat.
 */
function workOf(role: Role, chats: readonly string[], newcomer = false): string | undefined {
  const join =
    newcomer && chats.length > 0
      ? " Если вас ещё нет в этом чате, попросите администратора добавить вас."
      : "";
  if (role === "curator")
    return (
      (chats.length > 0
        ? `Карточки новых сообщений и проекты ответов приходят в чат кураторов «${chats[0]}».${join}`
        : "Чата кураторов пока нет: карточки сообщений приходят вам лично.") +
      ` Направляют сообщения и согласовывают ответы кнопками на карточках: ${workButtons(role)}.`
    );
  if (role === "executor")
    return (
      (chats.length > 0
        ? `Карточки сообщений приходят в ${workChatsNamed(chats)} и вам лично.${join}`
        : "Рабочего чата у органа пока нет: карточки сообщений приходят вам лично.") +
      ` На карточке нажмите ${workButtons(role)}: бот попросит текст ответа, ` +
      "и проект уйдёт кураторам на согласование."
    );
  return undefined;
}

/** An invite as its admin knows it: «куратор», «исполнитель» в орган «…», «руководитель» органа «…». */
const invitedAs = (role: Role, organizationName: string | null) =>
  `«${ROLE_NAMES[role]}»${organizationName ? `${role === "head" ? " органа" : " в орган"} «${organizationName}»` : ""}`;

/** Every role but the admin's has /leave (see commands.ts). */
const LEAVE_COMMAND = "/leave [ДД.ММ.ГГГГ или ДД.ММ–ДД.ММ] — отпуск: в эти дни бот не пишет вам лично";

const ROLE_COMMANDS: Record<Role, string[]> = {
  admin: [
    "/invite — пригласить сотрудника",
    "/invites — действующие приглашения",
    "/people — сотрудники: снять роль, исключить из органа, закрыть доступ",
    "/orgs — органы и организации",
    "/org_add — добавить орган (название можно написать сразу после команды)",
    "Файл CSV или JSON — загрузить список органов",
    "/bind — в групповом чате: привязать чат к органу или сделать его чатом кураторов",
    "/unbind — в групповом чате: отвязать чат",
    "/chats — привязанные чаты",
    "/calendar — производственный календарь; файл JSON — загрузить новый год",
  ],
  curator: [
    "/new — зарегистрировать сообщение (или перешлите пост / пришлите ссылку)",
    "/list — открытые сообщения",
    "/find — найти по номеру, ссылке или словам",
    "/report [месяц] — отчёт за месяц; /report нарушения [месяц] — нарушения регламента",
    LEAVE_COMMAND,
  ],
  executor: ["/list — сообщения вашего органа", "/find — найти по номеру, ссылке или словам", LEAVE_COMMAND],
  head: [
    "/list — открытые сообщения",
    "/find — найти по номеру, ссылке или словам",
    "/report [месяц] — отчёт за месяц; /report нарушения [месяц] — нарушения регламента",
    LEAVE_COMMAND,
  ],
};

/** A head of one organization: its posts, and the office's summary only if it is sent to them. */
/** A surge's line: «Дороги» — 5 (№ 1, …), «ул. Калинина — уже 10, ответ размещён по 2 (новые: № 21)». */
function surgeLine({ subjects, posts, ids, grown, answered }: SurgeLine): string {
  const about = subjects.map(({ subject, value }) => (subject === "topic" ? `«${value}»` : value));
  const listed = ids.length === 0 ? "" : grown ? ` (новые: ${numbers(ids)})` : ` (${numbers(ids)})`;
  return (
    `${about.join(", ")} — ${grown ? `уже ${posts}` : posts}` +
    `${answered > 0 ? `, ответ размещён по ${answered}` : ""}${listed}`
  );
}

function headOfOrganizationCommands(summary: boolean): string[] {
  return [
    "/list — сообщения вашего органа",
    "/find — найти по номеру, ссылке или словам",
    summary
      ? "/report [месяц] — отчёт за месяц; /report нарушения [месяц] — нарушения регламента вашего органа"
      : "/report нарушения [месяц] — нарушения регламента вашего органа",
    LEAVE_COMMAND,
  ];
}

/**
 * What an office still lacks before posts can go round (an admin's /start), each shown until it is
 * done: `unstaffed`, the organizations nobody could get a post of (no executor, no work chat).
 */
export type SetupStep =
  | { kind: "organizations" }
  | { kind: "curators" }
  | { kind: "unstaffed"; names: string[] }
  | { kind: "curatorsChat" };

/** The organizations an unstaffed step names; the rest are counted. */
const UNSTAFFED_NAMED = 5;

function setupStep(step: SetupStep): string {
  switch (step.kind) {
    case "organizations":
      return "Добавьте органы: /org_add или пришлите файл CSV/JSON со списком.";
    case "curators":
      return "Пригласите куратора: /invite.";
    case "unstaffed": {
      const named = step.names.slice(0, UNSTAFFED_NAMED).map((name) => `«${name}»`);
      const more = step.names.length - named.length;
      const list = more > 0 ? `${named.join(", ")} и ещё ${more}` : named.join(", ");
      return step.names.length === 1
        ? `Пригласите исполнителя (/invite) или привяжите рабочий чат (/bind) органа ${list}: его сообщения пока некому получить.`
        : `Пригласите исполнителей (/invite) или привяжите рабочие чаты (/bind) органов, чьи сообщения пока некому получить: ${list}.`;
    }
    case "curatorsChat":
      return (
        "По желанию: добавьте бота в чат кураторов, сделайте его администратором и отправьте там /bind. " +
        "Без такого чата карточки приходят каждому куратору лично."
      );
  }
}

export const t = {
  dialogOpen: "Этот вопрос уже задан выше: ответьте на него или отмените — /cancel.",
  dialogExpired:
    "Вопрос бота ждал ответа дольше 30 минут и закрыт, поэтому ваш текст не принят как ответ на него. " +
    "Если вы отвечали на вопрос, нажмите кнопку на карточке ещё раз.",
  unknownPerson:
    "Здравствуйте! Это служебный бот для работы с сообщениями граждан из открытых источников.\n\n" +
    "Доступ выдаёт администратор: попросите у него ссылку-приглашение и откройте её.",
  /** To someone with no access (never had it, or it was closed) who presses a button or tries a command. */
  noAccess: "У вас нет доступа к боту. Доступ выдаёт администратор по ссылке-приглашению.",
  /**
   * `head`, when a head: what they receive, as the admin set it (one line each); a head of one
   * organization sees its posts and, without «Сводка», only its violations' report. `chats`: where
   * each role's cards come (see workOf).
   */
  help(
    roles: Role[],
    head?: { gets: string[]; ofOrganization: boolean; summary: boolean },
    chats: Partial<Record<Role, string[]>> = {},
  ): string {
    if (roles.length === 0) return t.unknownPerson;
    const lines = [
      `${roles.length > 1 ? "Ваши роли" : "Ваша роль"}: ${roles.map((r) => ROLE_NAMES[r]).join(", ")}.`,
      "",
    ];
    for (const role of roles) {
      if (role === "head" && head)
        lines.push(
          ...(head.gets.length > 0
            ? ["Как руководитель вы получаете:", ...head.gets]
            : ["Как руководитель вы сейчас ничего не получаете: что присылать, настраивает администратор."]),
        );
      else lines.push(`Как ${ROLE_NAMES[role]} вы можете ${ROLE_ABILITIES[role]}.`);
      const work = workOf(role, chats[role] ?? []);
      if (work) lines.push(work);
    }
    const ofRole = (role: Role) =>
      role === "head" && head?.ofOrganization
        ? headOfOrganizationCommands(head.summary)
        : ROLE_COMMANDS[role];
    // Each command once, as the first of the person's roles has it (a curator's /list is all posts).
    const seen = new Set<string>();
    const commands = roles.flatMap(ofRole).filter((line) => {
      const command = line.split(" ")[0] ?? line;
      if (seen.has(command)) return false;
      seen.add(command);
      return true;
    });
    if (commands.length > 0) lines.push("", "Команды:", ...commands);
    lines.push(
      "",
      "/name [Фамилия Имя Отчество] — как указывать вас в отчётах и на карточках",
      "/cancel — прервать начатое действие, когда бот ждёт вашего ответа",
      "/help — эта справка",
    );
    return lines.join("\n");
  },
  /** `chat`: the title of the chat where the role's cards come (see workOf), none while unbound. */
  welcome(role: Role, organizationName: string | null, alreadyHad: boolean, chat?: string): string {
    const where = organizationName ? ` органа «${organizationName}»` : "";
    const head = alreadyHad
      ? `У вас уже есть роль «${ROLE_NAMES[role]}»${where}.`
      : `Готово! Вы зарегистрированы как ${ROLE_NAMES[role]}${where}.`;
    const work = workOf(role, chat === undefined ? [] : [chat], true);
    return `${head}\nТеперь вы можете ${ROLE_ABILITIES[role]}.${work ? `\n\n${work}` : ""}\n\nСправка — /help.`;
  },
  inviteRejected: {
    unknown: "Эта ссылка-приглашение недействительна. Попросите администратора прислать новую.",
    used: "Эта ссылка-приглашение уже использована. Если это были не вы, сообщите администратору и попросите новую.",
    expired: "Срок действия ссылки-приглашения истёк. Попросите администратора прислать новую.",
    revoked: "Эта ссылка-приглашение отозвана администратором. Попросите новую.",
    organization_inactive: "Орган, в который вас приглашали, отключён. Обратитесь к администратору.",
  },
  alreadyRegistered: "Вы уже зарегистрированы. Справка — /help.",
  /** To an admin's /start while the office is not set up: the steps left. */
  setup: (steps: SetupStep[], preset: { title: string; timezone: string; hours: string }) =>
    [
      "Чтобы начать работу:",
      ...steps.map((step, i) => `${i + 1}. ${setupStep(step)}`),
      "",
      `Регламент: ${preset.title}, часовой пояс ${preset.timezone}, рабочее время ${preset.hours}.`,
    ].join("\n"),
  refusal: "Это действие вам недоступно.",
  refusalInGroup: (action: string) => `Команда ${action} доступна только администратору бота.`,
  onlyPrivate: "Эта команда работает в личном чате с ботом.",
  onlyGroup: "Эта команда работает в групповом чате: добавьте бота в рабочий чат и отправьте её там.",
  staleButton:
    "Эта кнопка устарела. Откройте сообщение заново (/find и его номер, например: /find 12) или повторите команду.",
  error: "Не получилось выполнить действие из-за внутренней ошибки. Попробуйте ещё раз через минуту.",
  /** Telegram's flood limit outlasted the retries (429 with a long retry_after): no fault of ours or theirs. */
  errorFlood: (minutes: number) =>
    "Telegram временно ограничил отправку сообщений ботом, поэтому действие могло не завершиться. " +
    `Через ${minutes} мин проверьте карточку сообщения и при необходимости повторите.`,
  /**
   * What the person can do instead, by the roles they hold: registering posts, or the cards. `typed`:
   * a plain text, which a head may have meant for the staff: it is said that nobody gets it.
   */
  notUnderstood: (roles: Role[], typed = false) =>
    [
      typed
        ? `Бот не передаёт сообщения сотрудникам: напишите ${roles.includes("curator") ? "коллеге" : "куратору"} напрямую.`
        : "Не удалось разобрать.",
      ...(roles.includes("curator")
        ? ["Чтобы зарегистрировать сообщение, пришлите ссылку на пост или перешлите его (или /new)."]
        : roles.includes("executor")
          ? [
              "С сообщениями работают кнопками на карточках. Открыть карточку — /find и номер (например, /find 12), список — /list.",
            ]
          : []),
      typed ? "Что умеет бот — /help." : "Список команд — /help.",
    ].join(" "),
  editNotSeen:
    "Исправления в уже отправленных сообщениях бот не видит: пришлите исправленный текст новым сообщением.",
  nothingToCancel: "Сейчас нечего отменять.",
  /** A dialogue's button pressed in a group by someone whose dialogue it is not, or after it ended. */
  othersDialog:
    "Этот вопрос уже закрыт или его открыл другой сотрудник. Чтобы действовать самому, нажмите кнопку на карточке сообщения.",
  /** A reply in a group to the bot's question asked of `name`, by someone else. */
  askedSomeoneElse: (name: string) =>
    `Извините, этот вопрос бот задал не вам: ответить на него может только ${name}.`,
  /** A message replying to someone else's in a group, while the bot's question waits for the answer. */
  answerAsReply:
    "Бот не принял это за ответ на свой вопрос: это ответ на другое сообщение. Ответьте на вопрос бота " +
    "или напишите, не отвечая ни на чьё сообщение.",
  /**
   * A message replying to a message of the bot other than the open dialogue's question (another
   * post's card, an earlier question), while that question waits; `id`: its post, where known.
   */
  answerTheQuestion: (id?: number) =>
    `Бот не принял это за ответ: сейчас он ждёт ответа на свой вопрос${id === undefined ? "" : ` по сообщению № ${id}`}. ` +
    "Ответьте на этот вопрос или напишите, не отвечая ни на чьё сообщение.",
  /**
   * A dialogue's question in a group chat, addressed to whom it is asked of: «Иван Петров, почему вы
   * возвращаете…». The question's first word loses its capital, unless it is an abbreviation.
   */
  askedOf: (name: string, question: string) =>
    `${name}, ${/^\p{Lu}\p{Ll}/u.test(question) ? question.charAt(0).toLowerCase() + question.slice(1) : question}`,

  invite: {
    chooseRole: "Кого пригласить?",
    /** The role buttons, capitalised like every other button. */
    roleButton: {
      admin: "Администратор",
      curator: "Куратор",
      executor: "Исполнитель",
      head: "Руководитель",
    } satisfies Record<Role, string>,
    chooseOrganization: "Выберите орган для исполнителя:",
    noOrganizations: "Сначала добавьте хотя бы один орган: /org_add или загрузите файл со списком.",
    allInactive: "Все органы отключены. Включите нужный в /orgs или добавьте новый: /org_add.",
    /** `chat`: the title of the chat where the role's cards come (see workOf), for the admin to add the person to. */
    created: (role: Role, organizationName: string | null, link: string, expires: string, chat?: string) =>
      `Приглашение для роли «${ROLE_NAMES[role]}»${organizationName ? ` в орган «${organizationName}»` : ""}.\n\n` +
      `Перешлите эту ссылку сотруднику. Она одноразовая и действует до ${expires}:\n${link}` +
      (chat ? `\n\nДобавьте сотрудника в чат «${chat}»: туда приходят карточки сообщений.` : ""),
    revokeButton: "Отозвать",
    revoked: "Приглашение отозвано.",
    alreadyClosed: "Это приглашение уже использовано, отозвано или истекло.",
    listEmpty: "Действующих приглашений нет. Создать — /invite.",
    listTitle: "Действующие приглашения:",
    listItem: (role: Role, organizationName: string | null, expires: string, inactive = false) =>
      `${ROLE_NAMES[role]}${organizationName ? ` — ${organizationName}` : ""}, до ${expires}` +
      (inactive ? " (орган отключён: ссылка не откроется, пока его не включат)" : ""),
    /** To the admin who made the invite, once someone used it: who and when, with a button to close it. */
    used: (role: Role, organizationName: string | null, name: string, at: string) =>
      `Приглашение ${invitedAs(role, organizationName)} принял ${name} — ${at}. ` +
      "Если вы приглашали не его, закройте ему доступ кнопкой ниже.",
    /** …and when someone else opens the used link: the one who got the access may not be the one invited. */
    reopened: (role: Role, organizationName: string | null, name: string, at: string, opener: string) =>
      `Ссылку-приглашение ${invitedAs(role, organizationName)} уже использовал ${name} — ${at}; ` +
      `её открыл ещё ${opener}. Если доступ получил не тот, кого вы приглашали, закройте его кнопкой ниже ` +
      "и создайте новое приглашение: /invite.",
    closeAccess: (name: string) => `Закрыть доступ: ${name}`,
    /** On the person's card in /people: who invited them, when, by which link. */
    card: (by: string, at: string, role: Role, organizationName: string | null) =>
      `Приглашён: ${by}, ${at}, по ссылке ${invitedAs(role, organizationName)}`,
  },

  org: {
    listTitle: (page: number, pages: number) =>
      `Органы и организации${pages > 1 ? ` (стр. ${page + 1} из ${pages})` : ""}:`,
    listEmpty: "Органов пока нет. Добавьте первый: /org_add, или пришлите файл CSV/JSON со списком.",
    card: (
      name: string,
      shortName: string | null,
      active: boolean,
      chatTitle: string | null,
      members: number,
    ) =>
      [
        `«${name}»${shortName ? ` (${shortName})` : ""}`,
        active ? "Действует" : "Отключён",
        chatTitle ? `Рабочий чат: ${chatTitle}` : "Рабочий чат не привязан",
        `Исполнителей: ${members}`,
      ].join("\n"),
    askName: "Пришлите полное название органа (например: «Министерство здравоохранения»). Отмена — /cancel.",
    askShortName: "Пришлите краткое название (например: «Минздрав») или нажмите «Пропустить».",
    askNewName: (name: string) => `Пришлите новое название для «${name}». Отмена — /cancel.`,
    askNewShortName: (name: string, shortName: string | null) =>
      `Пришлите краткое название для органа «${name}» (например: «Минздрав»): его показывают кнопки и карточки. ` +
      (shortName ? `Сейчас — «${shortName}»; убрать его можно кнопкой ниже. ` : "") +
      "Отмена — /cancel.",
    removeShortName: "Убрать краткое название",
    newShortNameTaken:
      "Это название уже носит другой орган, и на кнопках их не различить. Пришлите другое или /cancel.",
    shortNameSet: (name: string, shortName: string | null) =>
      shortName
        ? `Готово: краткое название органа «${name}» — «${shortName}».`
        : `Готово: у органа «${name}» больше нет краткого названия, кнопки и карточки показывают полное.`,
    skip: "Пропустить",
    badName: "Название должно быть текстом от 2 до 200 символов. Пришлите ещё раз или /cancel.",
    nameTaken: "Орган с таким названием уже есть. Пришлите другое название или /cancel.",
    nameTakenFinal: "Орган с таким названием уже есть, ничего не изменено. Список — /orgs.",
    shortNameTaken:
      "Это название уже носит другой орган, и на кнопках их не различить. Пришлите другое краткое название, " +
      "нажмите «Пропустить» или /cancel.",
    shortNameTakenFinal: "Краткое название уже занято другим органом, ничего не изменено. Список — /orgs.",
    inactiveHidden: "Отключённые органы не показаны; список — /orgs.",
    created: (name: string) => `Орган «${name}» добавлен. Пригласить исполнителя — /invite.`,
    renamed: (name: string) => `Готово: орган теперь называется «${name}».`,
    /** After a rename: the short name was chosen for the old one. */
    shortNameAfterRename: (shortName: string) => `Краткое название сейчас «${shortName}» — изменить?`,
    buttonChangeShortName: "Изменить",
    buttonKeepShortName: "Оставить",
    shortNameKept: (shortName: string) => `Краткое название осталось прежним: «${shortName}».`,
    deactivated: (name: string) => `Орган «${name}» отключён: новые сообщения ему не направляются.`,
    activated: (name: string) => `Орган «${name}» снова действует.`,
    notFound: "Такого органа нет. Откройте список заново: /orgs.",
    /** A picker's organization switched off since it was shown (a pop-up: the short name). */
    switchedOff: (name: string) =>
      `Орган «${name}» отключён. Включить его можно в /orgs (в личном чате с ботом).`,
    cancelled: "Отменено.",
    /** A forward, a link or a file sent where a name was asked: the question ends, the message is handled as without it. */
    leftForMessage:
      "Вопрос о названии закрыт: пересланное сообщение, ссылка или файл — не название. Ничего не изменено.",
    buttonRename: "Переименовать",
    buttonShortName: "Краткое название",
    buttonDeactivate: "Отключить",
    buttonActivate: "Включить",
    buttonBack: "К списку",
    /** One incident still routed to an organization switched off: its number, role and state. */
    openWorkLine: (id: number, lead: boolean, state: string) =>
      `№ ${id} — ${lead ? "основной исполнитель" : "соисполнитель"}, ${state}`,
    leftOpen: (name: string, ids: number[], curatorsTold: boolean) =>
      `У органа «${name}» остались открытые сообщения (${ids.length}): ${ids.map((id) => `№ ${id}`).join(", ")}. ` +
      "Они по-прежнему направлены ему. " +
      (curatorsTold
        ? "Кураторы получили список, чтобы направить их заново."
        : "Сообщить кураторам не удалось: передайте им список, чтобы они направили эти сообщения заново."),
    leftOpenForCurators: (name: string, lines: string[]) =>
      `Орган «${name}» отключён администратором, но ему ещё направлены открытые сообщения (${lines.length}):\n` +
      `${lines.join("\n")}\n\n` +
      "Проверьте их и, где нужно, направьте другому органу кнопкой «Переназначить» на карточке. " +
      "Карточку откроет кнопка с номером.",
    buttonMerge: "Объединить с…",
    /** The picker of the organization that absorbs `name` (reorganized, say). */
    mergePick: (name: string) =>
      `С каким органом объединить «${name}»? Выберите орган, к которому перейдут его сотрудники и открытые сообщения.`,
    mergeConfirm: (
      from: string,
      into: string,
      counts: { executors: number; heads: number; openPosts: number; inWork: number },
    ) =>
      `Объединить «${from}» с «${into}»?\n\n` +
      `Будут перенесены: ${counted(counts.executors, "сотрудник", "сотрудника", "сотрудников")}, ` +
      `${counted(counts.heads, "руководитель органа", "руководителя органа", "руководителей органа")}, ` +
      `${counted(counts.openPosts, "открытое сообщение", "открытых сообщения", "открытых сообщений")}` +
      `${counts.inWork > 0 ? ` (${counts.inWork} в работе)` : ""}; «${from}» будет отключён. ` +
      "Ответственные, сроки и проекты ответов сохранятся. История сохранит прежнее название.",
    /** «Объединить с…» pressed with no other active organization. */
    mergeNothing: "Объединить не с чем: других действующих органов нет.",
    buttonMergeConfirm: "Объединить",
    buttonMergeCancel: "Отмена",
    merged: (from: string, into: string, chat: string | null) =>
      `Готово: «${from}» объединён с «${into}» и отключён.` +
      (chat ? ` Чат «${chat}» больше не рабочий: ему об этом сообщено.` : ""),
    /** A second press, or the organization switched off meanwhile: nothing merged. */
    mergeNotActive: (name: string) => `Орган «${name}» уже отключён: ничего не изменено.`,
    /** To the merged organization's work chat, unbound. */
    chatMerged: (into: string, chat: string | null) =>
      chat
        ? `Орган объединён с «${into}»: карточки теперь приходят в чат «${chat}».`
        : `Орган объединён с «${into}»: этот чат больше не рабочий, карточки приходят исполнителям «${into}» в личный чат с ботом.`,
    /** To the absorbing organization: the posts it got, each a line of openWorkLine. */
    absorbed: (from: string, lines: string[]) =>
      `К органу присоединён «${from}»: его сотрудники теперь в вашем органе.` +
      (lines.length > 0
        ? ` Вам перешли его открытые сообщения (${lines.length}):\n${lines.join("\n")}\n\n` +
          "Ответственные и сроки прежние. Карточку откроет кнопка с номером."
        : ""),
    executorMoved: (from: string, into: string) =>
      `Орган «${from}» объединён с «${into}»: теперь вы исполнитель органа «${into}». Ваши сообщения остаются у вас.`,
    /** To the curators, once: what moved, each post a button below. */
    mergedForCurators: (from: string, into: string, ids: number[], executors: number) => {
      const posts = ids.length > 0 ? `открытые сообщения (${ids.map((id) => `№ ${id}`).join(", ")})` : "";
      const people = executors > 0 ? `сотрудники (${executors})` : "";
      const moved = [posts, people].filter(Boolean).join(" и ");
      return (
        `Орган «${from}» объединён с «${into}» и отключён` +
        (moved ? `: его ${moved} перешли к «${into}».` : ".") +
        (ids.length > 0 ? " Ответственные и сроки прежние." : "")
      );
    },
    headMoved: (from: string, into: string) =>
      `Орган «${from}» объединён с «${into}»: теперь вы получаете сведения по органу «${into}».`,
    switchedOffWhileRouting: (names: string[]) =>
      names.length === 1
        ? `Пока вы выбирали, администратор отключил орган «${names[0]}»: направить ему сообщение нельзя. Выберите заново.`
        : `Пока вы выбирали, администратор отключил органы ${names.map((n) => `«${n}»`).join(", ")}: направить им сообщение нельзя. Выберите заново.`,
  },

  importReport: {
    fileError: (reason: string) =>
      `Файл не загружен, ничего не изменено: ${reason}.\n\n` +
      "Ожидается CSV (с заголовком: название; краткое название; родитель; контакт) или JSON — массив объектов " +
      "{name, short_name, parent, contact}.",
    tooBig: "Файл слишком большой: до 1 МБ. Разделите список на части.",
    wrongType:
      "Загрузить можно только файл .csv или .json: список органов или производственный календарь (/calendar).",
    title: (fileName: string) => `Загрузка «${fileName}»:`,
    created: (names: string[]) => `Создано: ${names.length}${names.length ? ` — ${names.join(", ")}` : ""}`,
    updated: (rows: { name: string; fields: ImportedField[] }[]) =>
      `Обновлено: ${rows.length}` +
      (rows.length
        ? ` — ${rows.map((r) => `${r.name} (${r.fields.map((f) => IMPORTED_FIELDS[f]).join(", ")})`).join("; ")}`
        : ""),
    unchanged: (n: number) => `Без изменений: ${n}`,
    rejectedTitle: (n: number) => `Отклонено: ${n}`,
    rejected: (line: number, name: string | null, problem: string) =>
      `строка ${line}${name ? ` («${name}»)` : ""}: ${IMPORT_PROBLEMS[problem] ?? problem}`,
  },

  state: {
    registered: "зарегистрировано, ждёт направления",
    assigned: "направлено исполнителю",
    in_work: "в работе",
    on_approval: "на согласовании",
    approved: "согласовано, ждёт размещения",
    answered: "ответ размещён",
    awaiting_final: "дан промежуточный ответ, ждёт окончательного",
    closed: "закрыто",
  } satisfies Record<IncidentState, string>,
  importance: {
    normal: "обычное",
    important: "важное",
    significant: "социально значимое",
  } satisfies Record<Importance, string>,
  step: {
    routing: "направить исполнителю",
    return: "возврат не по компетенции",
    draft: "прислать проект ответа куратору",
    decision: "согласовать или вернуть на доработку",
    rework: "доработать ответ",
    // Told apart from the answer's own deadline (Orenburg p.8) wherever both run: reminders of
    // both may come in one message.
    publication: "разместить согласованный ответ",
    answer: "разместить ответ",
    coexecutorPart: "прислать информацию соисполнителя",
    coexecutorPassOn: "передать основному исполнителю информацию соисполнителя",
    coexecutorRework: "доработать информацию соисполнителя",
    finalAfterInterim: "дать окончательный ответ",
  } satisfies Record<StepId, string>,
  /** The rework and the posting of an interim answer or a question to the author: read through `stepLabel`. */
  stepOfDraft: {
    rework: { interim: "доработать промежуточный ответ", clarification: "доработать запрос автору" },
    publication: { interim: "разместить промежуточный ответ", clarification: "разместить запрос автору" },
  } as Partial<Record<StepId, Partial<Record<DraftKind, string>>>>,
  /** A step met by its draft reaching the curator, not by a publication: read through `stepLabel`. */
  stepByDraft: {
    // Georgievsk p.15: «проект окончательного ответа … направляется ответственному специалисту».
    finalAfterInterim: "прислать проект окончательного ответа куратору",
  } as Partial<Record<StepId, string>>,
  stepsMissed,
  card: {
    /** A deadline that passed while the database was being restored from a backup: the step is to be redone. */
    lostWithRestore: (until: string) => `срок истёк при восстановлении базы — сделайте этот шаг до ${until}`,
    title: (id: number, network: string) => `Сообщение № ${id} · ${network}`,
    author: "Автор",
    topic: "Тема",
    place: "Место",
    importance: "Важность",
    state: "Состояние",
    lead: "Исполнитель",
    holder: "Ответственный",
    /** A co-executor's holder on its own cards, where the lead's is not shown. */
    partHolder: (organization: string) => `Ответственный (${organization})`,
    /** The state of a co-executor's own part, on its cards (several parts: each named). */
    partStateOf: (organization: string) => `Состояние (${organization})`,
    /** A post (or a part) in work whose holder left the organization: nobody holds it now. */
    heldByNobody: "в работе, ответственного нет",
    /**
     * An approved answer the lead organization has no executor to post (none, or all block the bot):
     * the curators' to see to. `curatorMayPublish`: they may post it themselves (Georgievsk p.12).
     */
    nobodyToPost: (organization: string, curatorMayPublish: boolean) =>
      `В органе «${organization}» нет исполнителей — разместить ответ некому: ` +
      (curatorMayPublish
        ? `разместите его сами («${t.button.publishSelf}») или попросите администратора пригласить исполнителя (/invite).`
        : "попросите администратора пригласить исполнителя (/invite)."),
    partState: {
      assigned: "направлено, ещё не взято в работу",
      accepted: "в работе",
      rework: "информация на доработке",
      forApproval: "информация отправлена, у куратора на согласовании",
      passed: "информация передана основному исполнителю",
    },
    coexecutors: "Соисполнители",
    /**
     * A co-executor on the curators' and the lead's cards, with where its part stands: who holds it,
     * or that nobody does yet; on the lead's, its deadline gone by (the lead waits for the part).
     */
    coexecutor: (organization: string, notes: string[]) =>
      notes.length > 0 ? `${organization} (${notes.join("; ")})` : organization,
    notTaken: "ещё не взято в работу",
    partLate: (at: string) => `срок информации истёк ${at}`,
    deadline: "Срок",
    answerDeadline: "Ответ разместить до",
    /** The window to return the post (a right, not a duty): below the deadlines, not a «Срок:» line. */
    returnWindow: (at: string, clause: string, left: string) =>
      `Вернуть не по компетенции можно до ${at} (${clause}), ${left}.`,
    /** What the curator is to name about the post (Orenburg p.6), and the button that does it. */
    missingDetails: (fields: ("topic" | "place")[], clause: string, button: string) =>
      `Укажите ${fields.map((f) => (f === "topic" ? "тему" : "место")).join(" и ")} (${clause}): «${button}».`,
    /** In place of a deadline once the final answer's clock is met by its draft (Georgievsk p.15). */
    finalDraftSent: (at: string, onTime: boolean, clause: string) =>
      `Проект окончательного ответа направлен ${at} — ${onTime ? "в срок" : "с опозданием"} (${clause})`,
    closed: {
      toxic: (clause: string) => `закрыто без ответа: оскорбительное (${clause})`,
      void: "закрыто без ответа: пост удалён или зарегистрирован ошибочно",
      threat: (clause: string) => `закрыто без ответа: угроза (${clause})`,
      /** The bot sent it to the competent bodies' chat at `at` (Orenburg p.17). */
      threatForwarded: (at: string, clause: string) =>
        `закрыто без ответа: угроза, передано в компетентные органы ${at} (${clause})`,
    },
    /** Another comment under one post, registered at the post's link (Одноклассники, Дзен…). */
    sameLinkAs: (id: number) => `Другой комментарий под тем же постом, что и № ${id}`,
    repeatOf: (id: number, outcome: string | undefined) =>
      `Повторное к сообщению № ${id}${outcome ? ` — ${outcome}` : ""}`,
    /** On the curators' card of a post whose answer's draft, waiting for them, is another post's approved answer. */
    sameAsApproved: (id: number) => `Проект ответа совпадает с согласованным ответом по № ${id}`,
    earlierAnswered: (at: string, link: string) => `ответ размещён ${at}: ${link}`,
    publication: (kind: "answer" | "interim" | "clarification", link: string, onTime: boolean | null) =>
      kind === "answer"
        ? `Ответ размещён: ${link}${onTime === null ? "" : onTime ? " (в срок)" : " (с опозданием)"}`
        : kind === "interim"
          ? `Промежуточный ответ: ${link}`
          : `Запрос автору: ${link}`,
    awaitingClarification: "Ожидает уточнения от автора",
    /** On the curators' card of a post routed anew, where each routing restarts the answer's clock. */
    waitingSince: (detected: string) => `Пост ждёт ответа с ${detected}`,
    draftOf: { interim: "промежуточный ответ", clarification: "запрос автору" },
    partReceived: (organization: string) => `Информация соисполнителя получена: ${organization}`,
    queued: (organization: string) => `${organization} (ждёт своей очереди)`,
    /** On the cards of an organization kept on the post as a co-executor whose turn has not come (Orenburg p.14). */
    waitingTurn: "ваш орган — соисполнитель, ждёт своей очереди: когда она наступит, придёт новая карточка",
    partForApproval: (organization: string) =>
      `Информация соисполнителя у куратора на согласовании: ${organization}`,
    returned: (organization: string, reason: string) => `Возвращено (${organization}): ${reason}`,
    partReturned: (organization: string, comment: string) =>
      `Информация соисполнителя на доработке (${organization}): ${comment}`,
    /** On the cards of an organization that no longer has the post (it returned it, or it was taken). */
    handedOver: (lead: string) => `передано другому органу (${lead})`,
    droppedCoexecutor: (lead: string) => `ваш орган больше не соисполнитель; ответ готовит ${lead}`,
    coexecutorReturned: (lead: string) => `ваш орган вернул сообщение как не своё; ответ готовит ${lead}`,
    backWithCurators: "возвращено куратору, ждёт направления",
    /** On the cards left in the work chat of an organization merged into another. */
    mergedInto: (into: string) => `орган объединён с «${into}», работа по сообщению перешла к нему`,
    /** The lead's draft returned by the curator: what to change. */
    reworkComment: (comment: string, kind: DraftKind | null | undefined) =>
      `Проект ${kind === "interim" ? "промежуточного ответа" : kind === "clarification" ? "запроса автору" : "ответа"} на доработке: ${comment}`,
  },
  button: {
    route: "Направить",
    /** Routes the post as the last one on its topic and place is routed: its organizations, the lead's first. */
    routeAlike: (organizations: string[]) => `Направить так же: ${organizations.join(", ")}`,
    reroute: "Переназначить",
    toxic: "Оскорбительное",
    threat: "Угроза",
    accept: "Взять в работу",
    takeOver: "Взять себе",
    return: "Вернуть",
    sendPart: "Отправить информацию",
    passOn: (organization: string) => `Согласовать и передать: ${organization}`,
    releaseTurn: (organization: string) => `Не ждать очереди: ${organization}`,
    partRework: (organization: string) => `На доработку: ${organization}`,
    fullText: "Весь текст",
    history: "История",
    draft: "Подготовить ответ",
    draftFinal: "Подготовить окончательный ответ",
    interim: "Промежуточный ответ",
    clarify: "Запрос автору",
    approve: "Согласовать",
    rework: "На доработку",
    published: "Размещено",
    publishSelf: "Размещу лично",
    /** Under a curator's notice that his «Размещу лично» lapsed: the link alone, as «Размещено». */
    sendLink: "Прислать ссылку",
    /** Under a draft where curators may post the answer (Georgievsk p.12): «Согласовать» and «Размещу лично». */
    approvePublishSelf: "Согласовать и разместить лично",
  },

  /**
   * The surges owed to one recipient, in one message (Orenburg p.21, Georgievsk p.24): a topic in
   * quotes, a place as it is; a topic's and a place's over the same posts on one line.
   */
  surges: (lines: SurgeLine[], hours: number, clause: string) =>
    `⚠️ ${lines.flatMap((line) => line.subjects).length > 1 ? "Всплески" : "Всплеск"} сообщений ` +
    `за ${hours} ч (${clause} регламента): ${lines.map(surgeLine).join("; ")}.`,

  digest: {
    /** `late`: sent past the morning (a restart, an outage held it back), it greets no «Доброе утро». */
    title: (day: string, open: number, late = false) =>
      `${late ? `Сводка на ${day}` : `Доброе утро! ${day}`}: ` +
      `${open > 0 ? `открытых сообщений — ${open}` : "открытых сообщений нет"}.`,
    line: (id: number, what: string, deadline: string, left: string, notes: DigestNotes = {}) =>
      `${digestHead(id, notes)}${what} до ${deadline} (${left})${digestMissed(notes)}`,
    /**
     * The answer the author waits for (p.8; `final`, the final one after an interim answer, p.13)
     * past its deadline: the line leads with it, then the step still ahead (`next`, see t.digest.due).
     */
    lateAnswer: (
      id: number,
      final: boolean,
      deadline: string,
      late: string,
      next: string | null,
      notes: DigestNotes,
    ) =>
      `${digestHead(id, notes)}${final ? "окончательный ответ" : "ответ"} автору не размещён, срок истёк ${deadline}` +
      // «срок истёк» (less than a minute late) would repeat it: then it is left out.
      `${late.startsWith("просрочено") ? ` (${late})` : ""}${next ? `; ${next}` : ""}${digestMissed(notes)}`,
    due: (what: string, deadline: string, left: string) => `${what} до ${deadline} (${left})`,
    lineNoDeadline: (id: number, state: string, importance?: string) =>
      `${digestHead(id, { importance })}${state}`,
    /**
     * The curators' digest's first line: how many posts are overdue at each organization (the most
     * first) and with the curators, each count by what is late (see overdueWhat).
     */
    overdueSummary: (organizations: OverdueCount[], curators: OverdueCount | undefined) =>
      `Просрочено: ${[
        organizations.map((o) => `${o.name} — ${overdueCount(o)}`).join(", "),
        curators ? `у кураторов — ${overdueCount(curators)}` : "",
      ]
        .filter((part) => part !== "")
        .join("; ")}.`,
    /** What is late, as the summary counts it: the step's object, not the action. */
    overdueWhat: {
      routing: "направление",
      return: "возврат",
      draft: "проект ответа",
      decision: "решение по проекту",
      rework: "доработка ответа",
      publication: "размещение согласованного ответа",
      answer: "ответ автору",
      coexecutorPart: "информация соисполнителя",
      coexecutorPassOn: "передача информации соисполнителя",
      coexecutorRework: "доработка информации соисполнителя",
      finalAfterInterim: "окончательный ответ",
    } satisfies Record<StepId, string>,
    forCurators: "Ждут кураторов:",
    lateAtOrganizations: "Просрочено у органов:",
    notTaken: "никто не взял в работу",
    /** Past the lines a digest has room for: /list has them all, page by page. */
    more: (n: number) => `…и ещё ${n}: весь список — /list, листается кнопкой «▶ Ещё»`,
    /** A section's heading again atop the next message, when a digest's section goes on there. */
    continued: (heading: string) => `${heading.replace(/:$/, "")} (продолжение):`,
    /** The deadlines missed since the previous working day began, of posts open or done since. */
    missedSince: (day: string) => `С ${day} пропущены сроки:`,
    missed: (id: number, steps: string[], outcome: string | null) =>
      `№ ${id} — ${steps.join(", ")}${outcome ? ` (${outcome})` : ""}`,
    outcome: {
      onTime: "ответ размещён в срок",
      late: "ответ размещён с опозданием",
      answered: "ответ размещён",
      closed: "закрыто",
    },
  },

  alert: {
    /** A co-executor's step, with whose it is. */
    ofOrganization: (what: string, organization: string) =>
      organization ? `${what} (${organization})` : what,
    /** None of the organization's executors has taken the post (or its part) into work yet; unnamed in its own chat. */
    notTaken: (text: string, organization: string, act?: string) =>
      `${text}\nСообщение ещё никто не взял в работу${organization ? ` (${organization})` : ""}.${act ? ` ${act}` : ""}`,
    /** Its part holds up the next co-executor in the curator's order (Orenburg p.14). */
    nextInTurn: (text: string, organization: string) =>
      `${text}\nЭтой информации ждёт следующий соисполнитель: ${organization}.`,
    reminder: (id: number, what: string, deadline: string, clause: string, left: string) =>
      `⏰ Сообщение № ${id}: ${what} до ${deadline} (${clause} регламента) — ${endSentence(left)}`,
    /** To the curators, of a post no organization has (not routed yet, or returned): the answer's step is not theirs to do. */
    reminderNotRouted: (id: number, what: string, deadline: string, clause: string, left: string) =>
      `⏰ Сообщение № ${id} ещё не направлено, а ${what} нужно до ${deadline} (${clause} регламента) — ` +
      `${endSentence(left)} Направьте его исполнителю.`,
    /**
     * `late` «срок истёк» (less than a minute late) would repeat «истёк»: then it is left out. `act`:
     * what the reader must do now (t.alert.actNow), as the escalation says it.
     */
    overdue: (id: number, what: string, deadline: string, clause: string, late: string, act?: string) =>
      `❗ Сообщение № ${id}: срок «${what}» истёк ${deadline} (${clause} регламента)` +
      (late.startsWith("просрочено") ? ` — ${endSentence(late)}` : ".") +
      (act ? ` ${act}` : ""),
    /** A post's next deadline, on the line of its missed one: what is late is said first, and alone as late. */
    thenDue: (text: string, next: { what: string; deadline: string; clause: string }[]) =>
      `${text} Следующий срок: ${next.map((n) => `${n.what} до ${n.deadline} (${n.clause} регламента)`).join("; ")}.`,
    withCurators: WITH_CURATORS,
    wasWithCurators: WAS_WITH_CURATORS,
    /**
     * `about`: for the heads, what the post is about in a few words; `then`: the closing sentence —
     * whom the heads must call to act (t.alert.whoActs), or what the curators must do now.
     */
    escalation: (
      id: number,
      what: string,
      deadline: string,
      clause: string,
      late: string,
      holder: string | null,
      about: string | null,
      then: string,
      curatorsStep?: StepId | "posting",
    ) => {
      // The curators' own step (escalated to them) is theirs to answer for: the organization whose
      // work waits for them is said so after the step, not named beside the number as the one late;
      // a holder that is the curators' own hold of the answer (HELD_NOTES) is named as ever.
      const own = holder !== null && HELD_NOTES.has(holder) ? undefined : curatorsStep;
      const named = own ? null : holder;
      const waits = own && holder ? WAITS_FOR_CURATORS[own]?.(holder) : undefined;
      return (
        `‼️ Нарушение регламента: сообщение № ${id}${about ? ` ${about}` : ""}${named ? ` (${named})` : ""} — «${what}» ` +
        `до ${deadline} (${clause} регламента), ${endSentence(late)}${waits ? ` ${waits}` : ""} ${then}`
      );
    },
    intervene: "Требуется вмешательство.",
    /** Before whom the heads must call to act: the post waits for its author's reply to a question. */
    awaitingAuthor: (askedAt: string, then: string) => `Ждём ответа автора на запрос с ${askedAt}. ${then}`,
    /**
     * To the heads with «Срочные», at once: a significant post's answer not posted by its deadline.
     * `organization`: the lead's (short) name, none while the post is not routed.
     */
    significantLate: (p: {
      id: number;
      start: string | null;
      deadline: string;
      clause: string;
      now: SignificantLateNow;
      holder: string | null;
      organization: string | null;
    }) =>
      `‼️ Социально значимое сообщение № ${p.id}${p.start ? ` («${p.start}»)` : ""}: ответ автору не размещён, ` +
      `срок истёк ${p.deadline} (${p.clause} регламента). Сейчас: ${SIGNIFICANT_LATE_NOW[p.now](p.holder)}.` +
      (p.organization ? ` Отвечает: ${p.organization}.` : ""),
    /**
     * For the heads: who must act on the escalated step, an organization (its short name) or the
     * curators (null); `curatorsMayPost`, the clause letting the curators post an approved answer
     * themselves (Georgievsk p.12), when it is the organization's or theirs.
     */
    whoActs: (organization: string | null, curatorsMayPost?: string) =>
      curatorsMayPost && organization
        ? `Кто может действовать: ${organization} или кураторы, если разместят ответ сами (${curatorsMayPost} регламента). Требуется вмешательство.`
        : `Кто должен действовать: ${organization ?? "кураторы"}. Требуется вмешательство.`,
    actNow: ACT_NOW,
    /**
     * One co-executor's parts gone overdue (or escalated to the curators) at once, in one line:
     * `notTaken`, those none of its executors has taken into work.
     */
    parts: (
      escalation: boolean,
      organization: string,
      what: string,
      clause: string,
      ids: number[],
      notTaken: number[],
    ) =>
      `${escalation ? "‼️ Нарушение регламента: " : "❗ "}${organization} — срок «${what}» истёк ` +
      `по ${ids.length} ${plural(ids.length, "сообщению", "сообщениям", "сообщениям")} (${clause} регламента): ` +
      `${numbers(ids)}.${escalation ? " Требуется вмешательство." : ""}` +
      (notTaken.length > 0 ? `\nЕщё никто не взял в работу: ${numbers(notTaken)}.` : ""),
    digestTitle: "Сроки по сообщениям:",
    open: (id: number) => `Открыть № ${id}`,
    undelivered: (text: string) =>
      `Не удалось доставить в рабочий чат (бот удалён или заблокирован):\n\n${text}`,
    /** An alert a person's private chat refused: they blocked the bot, or never started it. */
    undeliveredToPerson: (name: string, text: string) =>
      `Не удалось доставить лично: ${name} — бот заблокирован или диалог с ним не начат.\n\n${text}`,
    /** The curators' own chat refused the alert: each curator gets it privately. */
    undeliveredToCuratorsChat: (text: string) =>
      `Не удалось доставить в чат кураторов (бот удалён или заблокирован):\n\n${text}`,
    /** A significant post no head hears of: none has «Срочные» on, so the curators know they must tell them. */
    significantToNoHead: (text: string) =>
      `${text}\nНикому из руководителей это не направляется: ни у одного руководителя не включена рассылка «Срочные» (/people).`,
    /**
     * An escalation no head the bot can write to hears: `heads`, those it concerns (all blocking the
     * bot); `organization`, the organization it is about (null: the curators' own step or post, which
     * only the heads of all organizations hear of).
     */
    insteadOfHeads: (text: string, heads: string[], organization: string | null) =>
      heads.length === 0
        ? `${text}\nНикому из руководителей это не направляется: ` +
          (organization === null
            ? "ни у одного руководителя всех органов не включена рассылка «Нарушения» (/people)."
            : `ни у руководителей всех органов, ни у руководителя органа «${organization}» не включена рассылка «Нарушения» (/people).`)
        : `${text}\n${heads.length > 1 ? "Руководителям" : "Руководителю"} не доставлено: ${heads.join(", ")} — бот заблокирован или аккаунт удалён.`,
    /**
     * `chat`: the bound chat as the admins know it (its title, whose it is, what it serves), if it is
     * bound; what the bot does instead depends on what it serves.
     */
    /** An executors' alert the curators get because neither a work chat nor the executor holding the post can be written to. */
    insteadOfExecutors: (text: string, organization: string, executor: string | null) =>
      `${text}\nИсполнителю не доставлено: у органа «${organization}» нет рабочего чата` +
      (executor ? `, а лично (${executor}) бот написать не может.` : "."),
    /** A notice for an organization that neither its work chat nor any of its executors could get. */
    insteadOfOrganization: (text: string, organization: string) =>
      `${text}\nОргану «${organization}» не доставлено: бот не смог написать ни в его рабочий чат, ни его исполнителям.`,
    /** To the admins, once until a curator is there: a post registered that no curator can route. */
    noCurators: (incidentId: number, waiting: number) =>
      `Сообщение № ${incidentId} зарегистрировано, но кураторов нет — его некому направить. ` +
      `${waiting > 1 ? `Всего ждут направления: ${waiting}. ` : ""}Пригласите куратора: /invite`,
    chatUnreachable: (
      chatId: number,
      chat?: { title: string; organization: string | null; purpose: ChatPurpose },
    ) =>
      `Бот не может писать в чат ${chat ? `«${chat.title}» (${chat.organization ?? "кураторы"}, ${chatId})` : chatId}: ` +
      `бот удалён из чата или заблокирован. ${UNREACHABLE_CHAT[chat?.purpose ?? "unbound"]}`,
  },

  /** After a restore from a backup (restore.ts): what was lost, told to admins and curators once. */
  restore: {
    notice: (r: {
      /** The backup's last write, as a deadline is printed. */
      backupAt: string | undefined;
      lost: { from: number; to: number } | undefined;
      replacedRead: boolean;
      changed: number[];
      /** When the alerts of the deadlines that passed meanwhile come (app/restores.ts, graceEnd). */
      graceUntil: string | undefined;
    }) => {
      const after = r.backupAt ? `после ${r.backupAt}` : "после неё";
      const posts = !r.replacedRead
        ? `Сообщения, зарегистрированные после № ${(r.lost?.from ?? 1) - 1}, потеряны (сколько их, неизвестно): зарегистрируйте их заново.`
        : !r.lost
          ? ""
          : r.lost.from === r.lost.to
            ? `Сообщение № ${r.lost.from}, зарегистрированное позже, потеряно: зарегистрируйте его заново.`
            : `Сообщения № ${r.lost.from}–${r.lost.to}, зарегистрированные позже, потеряны: зарегистрируйте их заново.`;
      const steps = !r.replacedRead
        ? `Проекты ответов и решения, принятые ${after}, тоже могли потеряться — проверьте сообщения в работе.`
        : r.changed.length > 0
          ? `Проекты ответов и решения, принятые ${after}, тоже потеряны — проверьте ${r.changed.length === 1 ? "сообщение" : "сообщения"} ${numbers(r.changed)}.`
          : "";
      return [
        r.backupAt
          ? `База восстановлена из резервной копии от ${r.backupAt}.`
          : "База восстановлена из резервной копии.",
        posts,
        steps,
        posts || steps
          ? "Сделайте потерянные шаги заново: бот о них не знает."
          : "Сообщений и решений после неё не было: ничего не потеряно.",
        r.backupAt && r.graceUntil
          ? `Оповещения о сроках, истёкших после ${r.backupAt}, придут не раньше ${r.graceUntil}; шаги, сделанные до этого времени, в отчёте за месяц нарушениями не считаются.`
          : "",
      ]
        .filter(Boolean)
        .join(" ");
    },
    lostPost: (id: number) =>
      `Сообщение № ${id} потеряно при восстановлении базы — зарегистрируйте его заново.`,
    lostDraft: (id: number) =>
      `Проект ответа по сообщению № ${id} потерян при восстановлении базы — исполнитель пришлёт его заново.`,
  },

  calendar: {
    coverage: (year: YearCoverage) =>
      year.status === "missing"
        ? `В производственном календаре нет ${year.year} года: сроки в нём считаются без праздников и переносов ` +
          "(выходные — только суббота и воскресенье). Загрузите календарь года: /calendar."
        : `Производственный календарь на ${year.year} год — проект (${year.source}). ` +
          "Когда выйдет постановление, загрузите окончательный: /calendar.",
    missingYearMet: (year: number) =>
      `Срок пришёлся на ${year} год, которого нет в производственном календаре: праздники этого года не учтены. ` +
      "Загрузите календарь года: /calendar.",
    /** A start's self-check finding other than the calendar's coverage (told by `coverage`). */
    selfCheck: (problem: SettingsProblem) =>
      problem.kind === "timezone"
        ? `Проверка настроек при запуске: часовой пояс бота (TIMEZONE) — ${problem.timezone}, ` +
          `а регламент рассчитан на ${problem.expected}. Сроки считаются по ${problem.timezone}. ` +
          "Если это ошибка, исправьте TIMEZONE в настройках бота (файл .env) и перезапустите его."
        : `Проверка регламента при запуске: ${presetProblem(problem)}. Проверьте файл регламента.`,
    title: "Производственный календарь:",
    line: (year: YearCoverage) =>
      `${year.year} — ${year.status === "missing" ? "нет данных" : CALENDAR_STATUS[year.status]}` +
      (year.source ? ` (${year.source})` : ""),
    /** A year an admin loaded, beside the bot's own version of it. */
    loadedYear: (
      year: number,
      bundled: CalendarYear | undefined,
      changes: CalendarYearChanges | undefined,
    ) => {
      const loaded = `Календарь на ${year} год загружен администратором и действует вместо встроенного в бота.`;
      if (!bundled || !changes) return `${loaded} Встроенного календаря на ${year} год в боте нет.`;
      const version = `${CALENDAR_STATUS[bundled.status]}, ${bundled.source}`;
      const differences = [
        ...(changes.status
          ? [`${CALENDAR_STATUS[changes.status.from]} → ${CALENDAR_STATUS[changes.status.to]}`]
          : []),
        ...changes.days.map(({ list, added, removed }) => {
          const what = [
            added.length > 0 ? `добавлены ${added.map(dayMonth).join(", ")}` : "",
            removed.length > 0 ? `убраны ${removed.map(dayMonth).join(", ")}` : "",
          ];
          return `${CALENDAR_DAY_LISTS[list]}: ${what.filter(Boolean).join("; ")}`;
        }),
      ];
      return differences.length === 0
        ? `${loaded} Встроенный календарь бота на ${year} год (${version}) считает так же.`
        : `${loaded} Во встроенном календаре бота на ${year} год (${version}) есть изменения: ${differences.join("; ")}.`;
    },
    restoreButton: (year: number) => `Вернуть встроенный календарь на ${year} год`,
    confirmRestore: (year: number) =>
      `Вернуть встроенный календарь бота на ${year} год? Загруженный календарь этого года будет удалён, ` +
      "сроки пересчитаны по встроенному. Встроенный календарь обновляется с новыми версиями бота.",
    confirmRestoreButton: "Да, вернуть",
    cancelRestoreButton: "Отмена",
    restoreCancelled: "Календарь не изменён.",
    restored: (year: number) =>
      `Календарь на ${year} год — снова встроенный в бота. Сроки уже считаются по нему.`,
    alreadyBundled: (year: number) => `Календарь на ${year} год уже встроенный в бота, менять нечего.`,
    sample: (year: number) =>
      `Календарь на ${year} год, как он действует сейчас, — образец файла. Исправьте его ` +
      "(или замените год и даты на следующий) и пришлите сюда.",
    howToLoad:
      "Чтобы загрузить календарь нового года, пришлите сюда файл JSON в том же формате, что и образец ниже: " +
      '{"years": {"2028": {"status": "official", "source": "постановление …", "holidays": […], ' +
      '"workingWeekends": […], "shortDays": […]}}} — праздники и перенесённые выходные, рабочие субботы ' +
      "и воскресенья, сокращённые предпраздничные дни; даты в виде 2028-01-01.",
    loaded: (years: number[]) => `Календарь загружен: ${years.join(", ")}. Сроки уже считаются по нему.`,
    invalid: (problem: CalendarProblem, place: CalendarProblemPlace) => {
      const where = [place.year && `${place.year} год`, place.field && `поле "${place.field}"`]
        .filter(Boolean)
        .join(", ");
      const what = CALENDAR_PROBLEMS[problem](place);
      return (
        `Календарь не загружен, ничего не изменено: ${where ? `${where} — ` : ""}${what}. ` +
        "Исправьте файл и пришлите его снова; образец — /calendar."
      );
    },
  },

  chat: {
    chooseBinding: "К какому органу привязать этот чат? В него будут приходить карточки сообщений.",
    /** /bind with no organization to offer: the chat can be the curators' only, until one is added. */
    noOrganizations:
      "Органов пока нет, поэтому этот чат можно сделать только чатом кураторов. Чтобы привязать его к органу, " +
      "добавьте орган в личном чате с ботом (/org_add или файл со списком) и отправьте здесь /bind снова.",
    allOrganizationsInactive:
      "Все органы отключены, поэтому этот чат можно сделать только чатом кураторов. Чтобы привязать его к органу, " +
      "включите нужный в личном чате с ботом (/orgs) или добавьте новый (/org_add) и отправьте здесь /bind снова.",
    /** What a chat serves now, said before it is bound anew. */
    currentlyCurators: "Сейчас этот чат: чат кураторов.",
    currentlyOrganization: (name: string) => `Сейчас этот чат: рабочий чат органа «${name}».`,
    /** Another chat serves the chosen purpose now: binding this one unbinds it. */
    servedBy: (title: string) => `Сейчас для этого привязан чат «${title}» — он будет отвязан.`,
    confirmCurators: "Сделать его чатом кураторов?",
    confirmOrganization: (name: string) => `Сделать его рабочим чатом органа «${name}»?`,
    confirmButton: "Да, привязать",
    cancelButton: "Отмена",
    bindingKept: "Привязка не изменена.",
    curatorsChat: "Чат кураторов",
    boundOrganization: (name: string) =>
      `Этот чат привязан к органу «${name}». Сюда будут приходить карточки сообщений.`,
    boundCurators: "Этот чат привязан как чат кураторов.",
    /** Bound in a forum topic: what the bot sends of itself goes there. */
    boundInTopic: "Карточки, уведомления и напоминания бот будет присылать в эту тему.",
    topicLost: (title: string) =>
      `В чате «${title}» тема, в которой его привязали, удалена или закрыта для бота: бот пишет в общую тему. ` +
      "Чтобы бот писал в другую тему, отправьте /bind в ней.",
    movedFrom: (title: string) => `Прежний рабочий чат органа («${title}») отвязан.`,
    curatorsMovedFrom: (title: string) => `Прежний чат кураторов («${title}») отвязан.`,
    organizationLeft: (name: string) =>
      `У органа «${name}» больше нет рабочего чата. Чтобы привязать ему чат, отправьте /bind в нужном чате.`,
    curatorsLeft:
      "Чата кураторов больше нет: уведомления для кураторов будут приходить им в личные сообщения. " +
      "Чтобы привязать новый, отправьте /bind в нужном чате.",
    makeAdmin:
      "Бот не администратор этого чата и поэтому не видит обычных сообщений: причины и комментарии, " +
      "написанные здесь, до него не дойдут. Сделайте бота администратором чата.",
    promoted: "Теперь бот видит все сообщения чата: причины и комментарии, написанные здесь, до него дойдут.",
    demoted:
      "Бот больше не администратор этого чата и не видит обычных сообщений: причины и комментарии, " +
      "написанные здесь, до него не дойдут. Сделайте бота снова администратором чата.",
    demotedAdmins: (title: string, what: string) =>
      `В чате «${title}» (${what}) бот больше не администратор и не видит обычных сообщений: причины и ` +
      "комментарии, написанные там, до него не дойдут. Сделайте бота снова администратором чата.",
    /** Written by an anonymous administrator, or `asChannel`: a command, or a message (none). */
    anonymousSender: (asChannel: boolean, command?: string) =>
      (asChannel
        ? "Бот не может узнать, кто пишет от имени канала. "
        : "Бот не может узнать, кто из администраторов пишет анонимно. ") +
      (command ? `Чтобы отправить ${command}, ` : "Чтобы бот принял сообщение, ") +
      (asChannel
        ? "напишите от своего аккаунта."
        : "отключите для себя «Анонимность» в правах администратора или напишите от своего аккаунта."),
    unbound: "Чат отвязан: карточки сюда больше не приходят.",
    /**
     * A press on a card left in a group that no longer serves it: `now`, the organization the group is
     * bound to now (none: unbound); `whose`, the organization the card was of (none: the curators');
     * `where`, the chat its cards go to now (none: each person privately).
     */
    cardsMoved: (card: {
      now?: string | undefined;
      whose?: string | undefined;
      where?: string | undefined;
    }) =>
      (card.now ? `Этот чат теперь рабочий чат органа «${card.now}»` : "Чат отвязан") +
      `: карточки ${card.whose ? `органа «${card.whose}»` : "кураторов"} теперь ` +
      (card.where
        ? `в чате «${card.where}».`
        : `приходят ${card.whose ? "его исполнителям" : "каждому куратору"} лично, в чат с ботом.`),
    notBound: "Этот чат ни к чему не привязан.",
    /**
     * `by`: who removed it, when Telegram names a person; `curators`: it was the curators' chat, whose
     * cards now go to each curator privately; `open`: the organization's open posts.
     */
    botRemoved: (
      title: string,
      what: string,
      removal: { by?: string; curators?: boolean; open?: number[] } = {},
    ) =>
      `Бота удалили из чата «${title}» (${what}). ` +
      (removal.by ? `Кто удалил: ${removal.by}. ` : "") +
      "Чат отвязан. " +
      (removal.open?.length ? `Открытые сообщения органа: ${numbers(removal.open)}. ` : "") +
      (removal.curators
        ? "Пока чата кураторов нет, уведомления кураторам приходят каждому лично. Привяжите новый чат кураторов: добавьте бота и отправьте в нём /bind."
        : "Привяжите новый рабочий чат: добавьте бота и отправьте в нём /bind."),
    /** To the curators: the organization's work chat lost, its cards go to `privately` (none: nobody gets them). */
    organizationChatLost: (organization: string, privately: string[], open: number[]) =>
      `Бота удалили из рабочего чата органа «${organization}», другого чата у органа нет. ` +
      (privately.length > 0
        ? `Карточки органа получат лично: ${privately.join(", ")}.`
        : "Лично получить карточки органа некому: у него нет исполнителей, которым бот может написать.") +
      (open.length > 0 ? ` Открытые сообщения органа: ${numbers(open)}.` : ""),
    migrated: (title: string) => `Чат «${title}» стал супергруппой; привязка сохранена.`,
    listEmpty: "Привязанных чатов нет. Добавьте бота в групповой чат и отправьте в нём /bind.",
    listTitle: "Привязанные чаты:",
    listItem: (title: string, what: string) => `${title} — ${what}`,
    /** `makeAdmin`: the bot, added as a member, would see commands only (see seesEveryMessage). */
    addedHint: (makeAdmin: boolean) =>
      "Здравствуйте! Администратор может привязать этот чат к органу или сделать его чатом кураторов командой /bind." +
      (makeAdmin
        ? " Сделайте также бота администратором чата: иначе он не увидит причин и комментариев, написанных здесь."
        : ""),
    /**
     * /start or /help in a group: what the chat serves (`bound`: an organization's name, or the
     * curators'; none), and where the rest is: the private chat with the bot (`bot`, its username).
     */
    help: (bound: { organization: string } | "curators" | undefined, bot: string) => {
      const privately = `в личном чате с ботом: @${bot}.`;
      if (bound === undefined)
        return (
          "Этот чат ни к чему не привязан. Если вы администратор бота, привяжите его к органу или сделайте " +
          `чатом кураторов командой /bind. Справка — ${privately}`
        );
      const what =
        bound === "curators"
          ? "Это чат кураторов: сюда приходят карточки новых сообщений и проекты ответов."
          : `Это рабочий чат органа «${bound.organization}»: сюда приходят карточки его сообщений.`;
      return (
        `${what} С ними работают кнопками на карточках: ${workButtons(bound === "curators" ? "curator" : "executor")}. ` +
        `Здесь работают /list и /find; справка и остальные команды — ${privately}`
      );
    },
  },
} as const;

/**
 * A step's name as the preset meets it: by its draft sent to the curator, or by a publication; the
 * rework and the posting named for the draft they are about (`draft`, the latest draft's kind).
 */
export function stepLabel(
  regulation: Pick<Regulation, "steps">,
  step: StepId,
  draft?: DraftKind | null,
): string {
  const ofDraft = draft ? t.stepOfDraft[step]?.[draft] : undefined;
  const byDraft = regulation.steps[step]?.metBy === "draftSubmission";
  return ofDraft ?? ((byDraft && t.stepByDraft[step]) || t.step[step]);
}

/**
 * How a post closed without an answer is said: a threat the bot sent on to the competent bodies
 * (Orenburg p.17; Georgievsk p.22 only closes it) says so, `forwardedAt` (as shown).
 */
export function closedText(
  reason: "toxic" | "threat" | "void",
  { toxic }: Pick<Regulation, "toxic">,
  forwardedAt?: string,
): string {
  if (reason === "void") return t.card.closed.void;
  if (reason === "toxic") return t.card.closed.toxic(toxic.clause);
  return forwardedAt
    ? t.card.closed.threatForwarded(forwardedAt, toxic.clause)
    : t.card.closed.threat(toxic.clause);
}

const IMPORTED_FIELDS: Record<ImportedField, string> = {
  shortName: "краткое название",
  contact: "контакт",
  parent: "вышестоящий орган",
};

const IMPORT_PROBLEMS: Record<string, string> = {
  empty_name: "нет названия",
  name_too_long: "название длиннее 200 символов",
  name_too_short: "название короче 2 символов",
  bad_short_name: "краткое название должно быть от 2 до 200 символов",
  duplicate_in_file: "название повторяется в файле",
  own_parent: "орган указан родителем самого себя",
  parent_not_found: "вышестоящий орган не найден ни в файле, ни в справочнике",
  short_name_in_file: "краткое название совпадает с названием другой строки файла",
  short_name_taken: "краткое название уже носит другой орган — на кнопках их не различить",
};

export const IMPORT_FILE_PROBLEMS: Record<ImportFileProblem, string> = {
  empty: "в файле нет строк с органами",
  not_json: "это не JSON",
  not_array: "в JSON ожидается массив органов",
  no_name_column: "в первой строке нет столбца «название» (name)",
  unclosed_quote: "не закрыта кавычка",
  too_many_rows: `больше ${MAX_IMPORT_ROWS} строк — разделите список на части`,
};

/** Calendar file problems, said so the admin knows what to fix; the value is the bad one, when known. */
const CALENDAR_STATUS = { official: "официальный", draft: "проект" } as const;

const CALENDAR_DAY_LISTS: Record<CalendarDayList, string> = {
  holidays: "выходные и праздники",
  workingWeekends: "рабочие субботы и воскресенья",
  shortDays: "сокращённые дни",
};

/** A calendar day of the file ("2027-05-03") as people read it: 03.05. */
const dayMonth = (day: string) => `${day.slice(8, 10)}.${day.slice(5, 7)}`;

const CALENDAR_PROBLEMS: Record<CalendarProblem, (place: CalendarProblemPlace) => string> = {
  not_object: () => 'ожидается объект JSON с годами: {"years": {"2028": {…}}}',
  no_years: () => 'нет раздела "years" с годами: {"years": {"2028": {…}}}',
  bad_year: () => 'год нужно написать четырьмя цифрами, например "2028"',
  bad_year_block: () =>
    'данные года должны быть объектом: {"status": …, "source": …, "holidays": […], "workingWeekends": […], "shortDays": […]}',
  bad_status: () => 'нужно "official" (календарь утверждён) или "draft" (проект)',
  no_source: () => "укажите источник — например, номер и дату постановления",
  not_date_list: () => 'нужен список дат в квадратных скобках, например ["2028-01-01"]; пустой — []',
  bad_date: ({ value }) => `${quoted(value)}дату нужно написать в виде 2028-01-01`,
  no_such_date: ({ value }) => `${quoted(value)}такой даты в календаре нет`,
  date_not_in_year: ({ value }) => `${quoted(value)}дата не из этого года`,
  bad_norms: () =>
    'поле необязательное; если оно есть: {"workingDays": число дней, "hours": число часов, "monthly": 12 пар [дни, часы]}',
  invalid: () => "файл не похож на производственный календарь",
};

/** A self-check finding the admins are told as such: the calendar's coverage is told in its own words. */
export type SettingsProblem = Exclude<SelfCheckProblem, { kind: "calendarMissing" | "calendarDraft" }>;

const stepNamed = (step: StepId) => `steps.${step} («${t.step[step]}»)`;

/** A preset's inconsistency, said so whoever edits the preset file knows what to fix. */
function presetProblem(problem: Exclude<SettingsProblem, { kind: "timezone" }>): string {
  switch (problem.kind) {
    case "beforeStepWithoutDuration":
      return `срок шага ${stepNamed(problem.step)} отсчитан от срока steps.${problem.target}, у которого нет своей длительности`;
    case "dueWithStep":
      return (
        `срок шага ${stepNamed(problem.step)} совпадает со сроком steps.${problem.target}: об одном сроке ` +
        `напомнят, предупредят и отчитаются дважды; уберите steps.${problem.step}`
      );
    case "beforeLongerThanStep":
      return (
        `срок шага ${stepNamed(problem.step)} — за ${problem.gap} мин до срока steps.${problem.target}, ` +
        `а весь шаг steps.${problem.target} длится ${problem.targetMinutes} мин`
      );
    case "noTimeAfterDraft":
      return `на согласование, одну доработку и размещение нужно ${problem.need} мин, а после срока проекта ответа остаётся ${problem.left} мин`;
    case "noTimeForAnswer":
      return `на проект ответа, согласование, одну доработку и размещение нужно ${problem.need} мин, а срок ответа — ${problem.answer} мин`;
    case "partLate":
      return "информация соисполнителя не успевает дойти до основного исполнителя к сроку ответа";
    case "returnReminded":
      return (
        `у шага ${stepNamed("return")} есть напоминания: вернуть сообщение — право органа, а не задача, ` +
        "и напоминание читалось бы как указание его вернуть; уберите их"
      );
    case "partReworkUntimed":
      return (
        "кураторы передают информацию соисполнителей (steps.coexecutorPassOn), но у информации, " +
        "возвращённой ими на доработку, нет срока (steps.coexecutorRework)"
      );
  }
}

const quoted = (value: unknown) =>
  typeof value === "string" || typeof value === "number" ? `«${value}»: ` : "";
