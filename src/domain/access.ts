/** Roles and what each may do. Pure: no grammY, no SQL. */

export type Role = "admin" | "curator" | "executor" | "head";

export interface Person {
  id: number;
  telegramId: number;
  firstName: string;
  lastName: string | null;
  username: string | null;
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

export function displayName(person: Pick<Person, "firstName" | "lastName" | "username">): string {
  const name = fullName(person);
  return person.username ? `${name} (@${person.username})` : name;
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
