/** What the bot says about people and their access (the admin's /people), and to a new head. */

import type { HeldIncidents, PersonOrganization } from "../app/people.js";
import type { PersonRole } from "../db/schema.js";
import type { Role } from "../domain/access.js";
import { ROLE_NAMES, t } from "./texts.js";

const numbers = (ids: number[]) => ids.map((id) => `№ ${id}`).join(", ");
const orgLabel = (o: PersonOrganization) => o.shortName ?? o.name;
const heldList = (held: HeldIncidents[]) =>
  held.map((h) => `«${h.organizationName}» — ${numbers(h.incidentIds)}`).join("; ");
const plural = (n: number, one: string, few: string, many: string) => {
  const tens = n % 100;
  const units = n % 10;
  if (tens >= 11 && tens <= 14) return many;
  if (units === 1) return one;
  return units >= 2 && units <= 4 ? few : many;
};
const heldCount = (held: HeldIncidents[]) => {
  const n = held.reduce((sum, h) => sum + h.incidentIds.length, 0);
  return `${n} ${plural(n, "сообщение", "сообщения", "сообщений")}`;
};

export const tp = {
  listTitle: (page: number, pages: number) =>
    `Сотрудники с доступом к боту${pages > 1 ? ` (стр. ${page + 1} из ${pages})` : ""}. ` +
    "Нажмите на имя, чтобы снять роль, исключить из органа или закрыть доступ:",
  listEmpty: "Сотрудников с доступом пока нет. Пригласить — /invite.",
  listLine: (n: number, name: string, roles: Role[], organizations: PersonOrganization[]) =>
    `${n}. ${name} — ${roles
      .map((role) =>
        role === "executor"
          ? `${ROLE_NAMES[role]} (${organizations.map(orgLabel).join(", ")})`
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
    configuredAdmin: boolean;
  }) =>
    [
      input.name,
      `Telegram id: ${input.telegramId}`,
      input.roles.length > 0 ? `Роли: ${input.roles.join(", ")}` : "Доступа к боту нет.",
      ...(input.organizations.length > 0
        ? [`Органы: ${input.organizations.map((o) => o.name).join("; ")}`]
        : []),
      ...(input.held.length > 0 ? [`В работе: ${heldList(input.held)}`] : []),
      ...(input.blockedSince
        ? [
            `С ${input.blockedSince} бот не может писать сотруднику: он заблокировал бота или удалил аккаунт. ` +
              "Личные сообщения и карточки ему не отправляются, пока он не разблокирует бота или не напишет ему.",
          ]
        : []),
      ...(input.configuredAdmin
        ? [
            "Роль администратора задана в настройках бота (ADMIN_IDS): здесь её не снять, " +
              "она возвращается при каждом сообщении сотрудника.",
          ]
        : []),
    ].join("\n"),
  button: {
    takeRole: (role: PersonRole) => `Снять роль: ${ROLE_NAMES[role]}`,
    leaveOrganization: (o: PersonOrganization) => `Исключить из: ${orgLabel(o)}`,
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
      "Органу сообщим, что их нужно продолжить другому исполнителю.",
    keptAdmin:
      "Роль администратора останется: она задана в настройках бота (ADMIN_IDS). Чтобы снять её, " +
      "уберите id сотрудника из ADMIN_IDS и перезапустите бота.",
  },

  done: {
    role: (name: string, role: PersonRole) => `Готово. ${name}: снята роль «${ROLE_NAMES[role]}».`,
    organization: (name: string, organization: string) =>
      `Готово. ${name} больше не исполнитель органа «${organization}».`,
    all: (name: string) =>
      `Готово. ${name}: доступ к боту закрыт. Запись о сотруднике и история его действий сохранены.`,
    held: (held: HeldIncidents[]) =>
      `В работе у сотрудника было ${heldCount(held)}: ${heldList(held)}. ` +
      "Органу сообщено, что их нужно продолжить другому исполнителю.",
    /**
     * `blocking`: the executors left, every one of whom blocks the bot (none: nobody is left);
     * `curatorsTold`: whether the curators got the notice (their chat, or one of them privately).
     */
    nobodyLeft: (organization: string, blocking: string[], curatorsTold: boolean) => {
      const curators = curatorsTold
        ? "об этом сообщено кураторам"
        : "кураторам сообщить не удалось (бот не может им писать), передайте им это сами";
      return blocking.length === 0
        ? `В органе «${organization}» не осталось исполнителей и нет рабочего чата: ${curators}. ` +
            "Пригласите исполнителя — /invite."
        : `У органа «${organization}» нет рабочего чата, а остальным его исполнителям (${blocking.join(", ")}) ` +
            `бот писать не может: они заблокировали бота или удалили аккаунт. ${curators[0]?.toUpperCase()}${curators.slice(1)}.`;
    },
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
      "Вы единственный администратор. Сначала пригласите другого (/invite → администратор), " +
      "потом снимайте с себя эту роль.",
    configuredAdmin:
      "Роль администратора задана в ADMIN_IDS и вернётся при следующем сообщении сотрудника. " +
      "Уберите id из ADMIN_IDS и перезапустите бота.",
  },

  /** What the person hears privately. */
  notice: {
    role: (role: PersonRole) => `Администратор снял с вас роль «${ROLE_NAMES[role]}».`,
    organization: (organization: string) =>
      `Администратор исключил вас из органа «${organization}»: его сообщения вам больше не доступны.`,
    all: "Администратор закрыл ваш доступ к боту. Если это ошибка, обратитесь к администратору.",
    allButAdmin:
      "Администратор снял с вас все роли и исключил из органов. Роль администратора остаётся: " +
      "она задана в настройках бота.",
    nowRoles: (roles: string[]) =>
      roles.length > 0
        ? `Ваши роли теперь: ${roles.join(", ")}. Справка — /help.`
        : "Доступа к боту у вас больше нет. Если это ошибка, обратитесь к администратору.",
  },

  /** A head added later: the significant posts still open, each as heads hear of it. */
  newHead: {
    title: (count: number) =>
      `Сейчас открыто социально значимых сообщений: ${count}. О новых я сообщу сразу.`,
    /** As a card says it. */
    deadline: (at: string, step: string, clause: string) => `${t.card.deadline}: ${at} — ${step} (${clause})`,
  },

  /** What the organization hears: posts the person held need someone to carry them on. */
  organizationNotice: (name: string, organization: string, ids: number[]) =>
    `${name} больше не исполнитель органа «${organization}». Сообщения, которые были у этого сотрудника ` +
    `в работе, нужно продолжить другому исполнителю органа: ${numbers(ids)}. Кнопки — на карточках ` +
    "сообщений (найти карточку: /find номер).",
  /** `blocking`: the executors left, every one of whom blocks the bot (none: nobody is left). */
  curatorsNotice: (name: string, organization: string, ids: number[], blocking: string[] = []) =>
    blocking.length === 0
      ? `${name} больше не исполнитель органа «${organization}», а других исполнителей и рабочего чата у органа ` +
        `нет. Сообщения, которые были у этого сотрудника в работе, некому продолжить: ${numbers(ids)}. ` +
        "Перенаправьте их или попросите администратора пригласить исполнителя."
      : `${name} больше не исполнитель органа «${organization}». Рабочего чата у органа нет, а остальным его ` +
        `исполнителям (${blocking.join(", ")}) бот писать не может: они заблокировали бота или удалили аккаунт. ` +
        `Сообщения, которые были у этого сотрудника в работе, им не переданы: ${numbers(ids)}. ` +
        "Свяжитесь с исполнителями органа или перенаправьте сообщения.",
} as const;
