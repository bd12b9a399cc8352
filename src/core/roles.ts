/** The roles a person can hold, and who may manage whom: the one place every feature asks. */
export const ROLES = ['member', 'trainer', 'coordinator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function hasRole(user: { roles: readonly string[] } | undefined | null, ...roles: Role[]): boolean {
  return !!user && roles.some((r) => user.roles.includes(r));
}

/**
 * The roles someone may hand out and whose holders they may manage (create, send a password link, sign
 * out, disable): admins any, coordinators members and trainers, everyone else nobody.
 */
export function manageableRoles(actor: { roles: readonly string[] } | undefined | null): Role[] {
  if (hasRole(actor, 'admin')) return [...ROLES];
  if (hasRole(actor, 'coordinator')) return ['member', 'trainer'];
  return [];
}

/** True when every role of the person is one the actor may manage. */
export function mayManage(
  actor: { roles: readonly string[] } | undefined | null,
  person: { roles: readonly string[] },
): boolean {
  const allowed: readonly string[] = manageableRoles(actor);
  return allowed.length > 0 && person.roles.every((r) => allowed.includes(r));
}
