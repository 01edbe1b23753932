export { ANON_COOKIE, CSRF_FIELD, csrfPlugin } from './csrf.ts';
export {
  createRateLimiter,
  type Limit,
  type LimitVerdict,
  type RateLimiter,
  subjectKey,
} from './rate-limit.ts';
export { createSecrets, type Secrets } from './secrets.ts';
