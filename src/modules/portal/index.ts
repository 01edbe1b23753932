/** The portal module: the home page and site-wide search. */
export { type PortalRoutesOptions, portalRoutes } from './portal.routes.tsx';
