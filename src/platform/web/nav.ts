import type { Role } from '../context.js';
import type { MessageKey } from '../i18n/index.js';

/**
 * Navigation entries. Modules register theirs when the app is built (the platform never
 * imports a module); the layout shows each user only the entries their roles allow.
 */
export interface NavItem {
  href: string;
  label: MessageKey;
  /** Who sees it: 'public' (everyone), 'user' (anyone logged in) or a list of roles. */
  audience: 'public' | 'guest' | 'user' | readonly Role[];
  /** Sort order within the menu (lower first). */
  order: number;
}

export class NavRegistry {
  private readonly items: NavItem[] = [];
  add(item: NavItem) {
    this.items.push(item);
    this.items.sort((a, b) => a.order - b.order);
  }
  visibleTo(roles: readonly Role[] | null): NavItem[] {
    return this.items.filter((i) => {
      if (i.audience === 'public') return true;
      if (i.audience === 'guest') return roles === null;
      if (i.audience === 'user') return roles !== null;
      return roles !== null && i.audience.some((r) => roles.includes(r));
    });
  }
}
