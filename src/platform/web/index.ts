/** Server-rendered pages: the layout, shared components, rendering helpers, the navigation registry and the web plugin. */
export {
  type Column,
  DataTable,
  DateText,
  LinkList,
  type LinkListItem,
  Notice,
  type NoticeKind,
  PageHeading,
  Steps,
  SummaryList,
  type SummaryRow,
} from './components.tsx';
export { ErrorPage } from './error-page.tsx';
export { CsrfField, ErrorSummary, FormBody, S } from './forms.tsx';
export {
  type Breadcrumb,
  Layout,
  type LayoutProps,
  langHref,
  SHELL_TEXT,
  type ShellTextKey,
  SITE_NAME,
  shellText,
} from './layout.tsx';
export {
  createNavigationRegistry,
  type DeskEntry,
  type DeskLink,
  type HomeEntry,
  type ModuleNavigation,
  matchesAudience,
  type NavAudience,
  type NavigationOptions,
  type NavigationRegistry,
  type NavLinkEntry,
  type NavViewer,
  navViewerOf,
  oncePerRequest,
  type ResolvedDeskCard,
  type ResolvedHomeCard,
  type ResolvedLink,
  type ResolvedNav,
} from './navigation.ts';
export { QrCode } from './qr-code.tsx';
export {
  inShell,
  pageLocale,
  plainShellFor,
  renderDocument,
  type SendPageOptions,
  sendPage,
  shellFor,
} from './render.ts';
export { EMPTY_NAV, type Shell, ShellContext } from './shell.ts';
export { isUploadedFile, registerMemoryUploads, type UploadedFile } from './uploads.ts';
export type { Viewer } from './viewer.ts';
export { langCookie, type WebPluginOptions, webPlugin } from './web.plugin.ts';
