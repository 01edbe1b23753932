export {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  type ProblemExtras,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnauthorizedError,
  UpstreamError,
  ValidationError,
} from './errors.ts';
