/**
 * "The database cannot be reached" told apart from every other database error: the request did not
 * fail because of what it asked, so the answer is 503 with Retry-After (try again), never a 500.
 * The pg driver and the pool give network error codes or bare messages; PostgreSQL gives SQLSTATE
 * class 08 (connection exception), 57P01–57P03 (the server shutting down or starting) and 53300 (too
 * many connections); PGlite and Kysely, once closed, give messages.
 */

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
]);

const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

const MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|Cannot use a pool after calling end|Client was closed and is not queryable|driver has already been destroyed|PGlite is closed|database system is (starting up|shutting down)/i;

/** True when `error` (or what caused it) says the database is unreachable, not that the query was wrong. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string') {
    if (NETWORK_CODES.has(e.code) || SQLSTATES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code)) return true;
  }
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}
