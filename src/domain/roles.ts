export const ROLES = ['owner', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** What each role may do; the server checks this on every admin request. */
export type Permission = 'read' | 'manage_incidents' | 'manage_components' | 'manage_page';

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ['read'],
  editor: ['read', 'manage_incidents'],
  owner: ['read', 'manage_incidents', 'manage_components', 'manage_page'],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}
