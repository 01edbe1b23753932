/** The portal module: the home page, site-wide search and the officers' desk. */
export { DESK_PATH, portalNavigation } from './portal.navigation.ts';
export { type PortalRoutesOptions, portalRoutes } from './portal.routes.tsx';
