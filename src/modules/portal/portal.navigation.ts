/** The portal's own entry in the shell: the officers' desk in the account menu of every officer. */
import type { ModuleNavigation } from '../../platform/web/index.ts';

export const DESK_PATH = '/quan-tri';

export const portalNavigation: ModuleNavigation = {
  links: [
    {
      id: 'portal.desk',
      area: 'account',
      order: 20,
      href: DESK_PATH,
      label: { vi: 'Bàn làm việc', en: 'Officer’s desk' },
      audience: ['officer'],
    },
  ],
};
