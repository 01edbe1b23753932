export {
  type AccountKindName,
  access,
  type DeclaredRoute,
  enforceAccessDeclarations,
  type RouteAccess,
  scopesOf,
} from './access.ts';
export { healthRoutes } from './health.ts';
export { loggerOptions, REDACTED_KEYS, RequestLog, requestLine } from './logging.ts';
export { metricsPlugin, metricsServer } from './metrics.ts';
export {
  type HtmlErrorRenderer,
  isMachinePath,
  type Problem,
  problemPlugin,
  sendProblem,
} from './problem.ts';
export { type AppInstance, allowFormActions, createServer, type ServerOptions } from './server.ts';
