import type { Api } from "grammy";
import type { BotCommand, Message, UserFromGetMe } from "grammy/types";
import { type Person, type Role, rolesOf } from "../domain/access.js";

const COMMON: BotCommand[] = [
  { command: "start", description: "Начало работы" },
  { command: "help", description: "Справка" },
];

/** Everybody's own, whatever the role: the official name reports give. */
const NAME: BotCommand = { command: "name", description: "ФИО для отчётов" };

const BY_ROLE: Record<Role, BotCommand[]> = {
  admin: [
    { command: "invite", description: "Пригласить сотрудника" },
    { command: "invites", description: "Действующие приглашения" },
    { command: "people", description: "Сотрудники и их доступ" },
    { command: "orgs", description: "Органы и организации" },
    { command: "org_add", description: "Добавить орган" },
    { command: "chats", description: "Привязанные чаты" },
    { command: "calendar", description: "Производственный календарь" },
    NAME,
  ],
  curator: [
    { command: "new", description: "Зарегистрировать сообщение" },
    { command: "list", description: "Открытые сообщения" },
    { command: "find", description: "Найти по номеру, ссылке или словам" },
    { command: "report", description: "Отчёт за месяц" },
    { command: "leave", description: "Отпуск: не писать мне лично" },
    NAME,
  ],
  executor: [
    { command: "list", description: "Сообщения органа" },
    { command: "find", description: "Найти по номеру, ссылке или словам" },
    { command: "leave", description: "Отпуск: не писать мне лично" },
    NAME,
  ],
  // As /help lists them for a head.
  head: [
    { command: "list", description: "Открытые сообщения" },
    { command: "find", description: "Найти по номеру, ссылке или словам" },
    { command: "report", description: "Отчёт за месяц" },
    { command: "leave", description: "Отпуск: не писать мне лично" },
    NAME,
  ],
};

const GROUP: BotCommand[] = [
  { command: "help", description: "Справка" },
  { command: "bind", description: "Привязать чат к органу или как чат кураторов (администратор)" },
  { command: "unbind", description: "Отвязать чат (администратор)" },
];

export function commandsFor(roles: Role[]): BotCommand[] {
  const seen = new Set<string>();
  return [...COMMON, ...roles.flatMap((role) => BY_ROLE[role])].filter(
    (c) => !seen.has(c.command) && seen.add(c.command),
  );
}

/** The menu everybody sees by default, and the one of group chats. */
export async function setDefaultCommands(api: Api): Promise<void> {
  await api.setMyCommands(COMMON, { scope: { type: "all_private_chats" } });
  await api.setMyCommands(GROUP, { scope: { type: "all_group_chats" } });
}

/** A person's own menu in their private chat, matching their roles. */
export async function setPersonCommands(api: Api, person: Person): Promise<void> {
  await api.setMyCommands(commandsFor(rolesOf(person)), {
    scope: { type: "chat", chat_id: person.telegramId },
  });
}

/** The bot command a message opens with: its name in lower case and, if named, the bot it is for. */
export function leadingCommand(message: Message | undefined): { name: string; to?: string } | undefined {
  const first = message?.entities?.[0];
  if (!message?.text || first?.type !== "bot_command" || first.offset !== 0) return undefined;
  const [name = "", to] = message.text.slice(1, first.length).toLowerCase().split("@");
  return to === undefined ? { name } : { name, to };
}

/** Every command the bot answers: those its menus offer, and /cancel, which each dialogue takes. */
const OWN = new Set(
  [...COMMON, ...GROUP, ...Object.values(BY_ROLE).flat()].map((c) => c.command).concat("cancel"),
);

/**
 * The command of this bot's a message opens with (in a group, one named for another bot is not), as
 * it would be typed: `/list`.
 */
export function ownCommand(message: Message | undefined, botUsername: string): string | undefined {
  const command = leadingCommand(message);
  if (!command || !OWN.has(command.name)) return undefined;
  return command.to === undefined || command.to === botUsername.toLowerCase()
    ? `/${command.name}`
    : undefined;
}

/**
 * Whether a message is a command addressed to another bot of the group (`/poll@other_bot`): no
 * concern of this bot, nor of a dialogue open with it.
 */
export function toAnotherBot(message: Message | undefined, me: UserFromGetMe): boolean {
  const to = leadingCommand(message)?.to;
  return to !== undefined && to !== me.username.toLowerCase();
}
