/** Roles and what each may do. Pure: no grammY, no SQL. */

import { shortOfficialName } from "./official-name.js";

export type Role = "admin" | "curator" | "executor" | "head";

export interface Person {
  id: number;
  telegramId: number;
  firstName: string;
  lastName: string | null;
  username: string | null;
  /** «Фамилия Имя Отчество» as the person or an admin gave it (see official-name.ts); null: none given. */
  officialName: string | null;
  /** Person-wide roles; "executor" is derived from memberships. */
  roles: ReadonlySet<Exclude<Role, "executor">>;
  organizationIds: readonly number[];
}

export function hasRole(person: Person | undefined, role: Role): boolean {
  if (!person) return false;
  if (role === "executor") return person.organizationIds.length > 0;
  return person.roles.has(role);
}

export function rolesOf(person: Person): Role[] {
  const order: Role[] = ["admin", "curator", "executor", "head"];
  return order.filter((role) => hasRole(person, role));
}

/** The person's name as they gave it to Telegram: first and last. */
export function fullName(person: Pick<Person, "firstName" | "lastName">): string {
  return [person.firstName, person.lastName].filter(Boolean).join(" ");
}

const withUsername = (name: string, username: string | null) => (username ? `${name} (@${username})` : name);

/** The person's name in Telegram, with the username: «Иван Петров (@ivan)». */
export function telegramName(person: Pick<Person, "firstName" | "lastName" | "username">): string {
  return withUsername(fullName(person), person.username);
}

type Named = Pick<Person, "firstName" | "lastName" | "username" | "officialName">;

/** The person's name where space is tight (cards, lists): «Иванов И. И.» if given, with the username. */
export function displayName(person: Named): string {
  if (!person.officialName) return telegramName(person);
  return withUsername(shortOfficialName(person.officialName), person.username);
}

/** The person's name where it is the point (reports, their card): the official one in full if given. */
export function formalName(person: Omit<Named, "username">): string {
  return person.officialName ?? fullName(person);
}

/** Who may perform each administrative action; checked on every command and every button press. */
export const PERMISSIONS = {
  manageInvites: ["admin"],
  manageOrganizations: ["admin"],
  managePeople: ["admin"],
  bindChats: ["admin"],
  loadCalendar: ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(person: Person | undefined, permission: Permission): boolean {
  return PERMISSIONS[permission].some((role) => hasRole(person, role));
}
