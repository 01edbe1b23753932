/**
 * The small error taxonomy of the house (CONTRIBUTING.md §4). Services throw these; one error handler turns
 * them into `application/problem+json` (RFC 9457) with the request id, or into a Vietnamese error page.
 * Messages are written for the person reading them; nothing internal goes into a 5xx.
 */

export interface ProblemExtras {
  /** Field-level problems of a validation error. */
  errors?: Array<{ path: string; message: string }>;
  [key: string]: unknown;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly slug: string;
  /** Short Vietnamese title and its English, for the problem's `title`. */
  abstract readonly title: { vi: string; en: string };
  constructor(
    message: string,
    readonly extras: ProblemExtras = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly slug = 'not-found';
  readonly title = { vi: 'Không tìm thấy', en: 'Not found' };
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly slug = 'validation';
  readonly title = { vi: 'Dữ liệu không hợp lệ', en: 'Invalid input' };
  constructor(message: string, errors: Array<{ path: string; message: string }> = []) {
    super(message, { errors });
  }
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly slug = 'unauthorized';
  readonly title = { vi: 'Cần đăng nhập', en: 'Authentication required' };
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly slug = 'forbidden';
  readonly title = { vi: 'Không có quyền', en: 'Forbidden' };
}

/** A workflow action not allowed in the current state names the state and what is allowed. */
export class ConflictError extends AppError {
  readonly status = 409;
  readonly slug = 'conflict';
  readonly title = { vi: 'Xung đột trạng thái', en: 'Conflict' };
  constructor(
    message: string,
    details: { state?: string; allowedActions?: string[]; [k: string]: unknown } = {},
  ) {
    super(message, details);
  }
}

export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly slug = 'too-many-requests';
  readonly title = { vi: 'Quá nhiều yêu cầu', en: 'Too many requests' };
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export class UpstreamError extends AppError {
  readonly status = 502;
  readonly slug = 'upstream';
  readonly title = { vi: 'Hệ thống liên thông không phản hồi', en: 'Upstream system failed' };
}

export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly slug = 'unavailable';
  readonly title = { vi: 'Dịch vụ tạm thời không sẵn sàng', en: 'Service unavailable' };
}
