/** Server-rendered pages: the layout, shared components, rendering helpers and the web plugin. */
export {
  type Column,
  DataTable,
  DateText,
  LinkList,
  type LinkListItem,
  Notice,
  type NoticeKind,
  PageHeading,
} from './components.tsx';
export { ErrorPage } from './error-page.tsx';
export {
  type Breadcrumb,
  Layout,
  type LayoutProps,
  langHref,
  MAIN_NAV,
  SHELL_TEXT,
  type ShellTextKey,
  SITE_NAME,
  shellText,
} from './layout.tsx';
export { pageLocale, renderDocument, type SendPageOptions, sendPage } from './render.ts';
export { langCookie, type WebPluginOptions, webPlugin } from './web.plugin.ts';
