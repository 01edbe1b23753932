/**
 * The identity module's entries in the shell: "Tài khoản" in the account menu, "Đăng ký tài khoản" on the
 * home page for someone signed out, and on the officers' desk what the officer's roles open here —
 * officers and their roles, connected applications, looking an account up to help someone — each shown
 * only when the role the page itself checks is held.
 */
import { type ModuleNavigation, oncePerRequest } from '../../platform/web/index.ts';
import type { Role } from './identity.tables.ts';
import type { OfficersService } from './officers.service.ts';

export function identityNavigation({
  officers,
}: {
  officers: Pick<OfficersService, 'rolesOf' | 'can'>;
}): ModuleNavigation {
  // One read of the officer's roles per page view, however many cards ask.
  const rolesOf = oncePerRequest((viewer) => officers.rolesOf(viewer.accountId));
  const holdsAny = async (
    viewer: Parameters<typeof rolesOf>[0],
    request: Parameters<typeof rolesOf>[1],
    roles: Role[],
  ) => {
    if (viewer.kind !== 'officer') return false;
    const held = await rolesOf(viewer, request);
    return roles.some((r) => held.has(r));
  };
  return {
    links: [
      {
        id: 'identity.account',
        area: 'account',
        order: 10,
        href: '/tai-khoan',
        label: { vi: 'Tài khoản', en: 'Account' },
        audience: 'signed-in',
      },
    ],
    home: [
      {
        id: 'identity.register',
        order: 90,
        href: '/dang-ky',
        title: { vi: 'Đăng ký tài khoản', en: 'Create an account' },
        description: {
          vi: 'Một tài khoản cho công dân, doanh nghiệp, tổ chức để nộp hồ sơ trực tuyến và theo dõi kết quả.',
          en: 'One account for citizens, businesses and organisations to file online and follow their dossiers.',
        },
        audience: 'signed-out',
      },
    ],
    desk: [
      {
        id: 'identity.officers',
        order: 30,
        administration: true,
        title: { vi: 'Cán bộ và phân quyền', en: 'Officers and roles' },
        description: {
          vi: 'Tạo tài khoản cán bộ, giao và thu hồi vai trò trong cơ quan bạn quản trị.',
          en: 'Create officer accounts, grant and revoke roles in the agencies you administer.',
        },
        async resolve(viewer, request) {
          // The page admits agency administrators and system administrators (at any agency).
          if (!(await holdsAny(viewer, request, ['agency-admin', 'system-admin']))) return null;
          return {
            links: [{ href: '/quan-tri/can-bo', label: { vi: 'Cán bộ của cơ quan', en: 'Officers' } }],
          };
        },
      },
      {
        id: 'identity.lookup',
        // Before sync monitoring (40 → 35): the account page lists administration in desk order.
        order: 35,
        administration: true,
        title: { vi: 'Hỗ trợ người dân', en: 'Helping people' },
        description: {
          vi: 'Tìm tài khoản của người gọi tổng đài hoặc đến bộ phận một cửa; mỗi lần tra cứu được ghi lại.',
          en: 'Find the account of someone calling the hotline or at the one-stop desk; every look-up is recorded.',
        },
        async resolve(viewer, request) {
          if (!(await holdsAny(viewer, request, ['hotline-operator', 'receiver', 'system-admin'])))
            return null;
          return {
            links: [
              {
                href: '/quan-tri/tra-cuu-tai-khoan',
                label: { vi: 'Tra cứu tài khoản', en: 'Look up an account' },
              },
            ],
          };
        },
      },
      {
        id: 'identity.applications',
        order: 60,
        administration: true,
        title: { vi: 'Ứng dụng kết nối', en: 'Connected applications' },
        description: {
          vi: 'Cổng dịch vụ công của bộ, tỉnh đăng nhập một lần qua Cổng (OpenID Connect) và hệ thống một cửa kết nối.',
          en: 'Ministry and province portals signing in through this one (OpenID Connect), and connected one-stop systems.',
        },
        async resolve(viewer) {
          // The page checks system administration over the whole tree (a grant at CP).
          if (viewer.kind !== 'officer' || !(await officers.can(viewer.accountId, 'system-admin', 'CP')))
            return null;
          return {
            links: [
              {
                href: '/quan-tri/ung-dung',
                label: { vi: 'Ứng dụng và hệ thống kết nối', en: 'Applications and systems' },
              },
            ],
          };
        },
      },
    ],
  };
}
