export { ANON_COOKIE, CSRF_FIELD, csrfPlugin } from './csrf.ts';
export { storedFileName } from './file-name.ts';
export { createLockView, type LockView } from './lock-view.ts';
export {
  addressBlock,
  createRateLimiter,
  createSharedCounterLimiter,
  type FailureCount,
  type FailureLimit,
  type Limit,
  type LimitVerdict,
  type RateLimiter,
  type SharedCounterLimiter,
  type SharedCounterOptions,
  subjectKey,
} from './rate-limit.ts';
export { createSecrets, type Secrets } from './secrets.ts';
