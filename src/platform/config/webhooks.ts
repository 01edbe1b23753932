/** Outbound webhooks to agency systems (WebhookConfig, docs/sync.md). */
import { boolean, integer, type Read } from './fields.ts';

export interface WebhookConfig {
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** Endpoints on loopback and private networks (default: allowed except in production). */
  allowPrivate: boolean;
}

/** WEBHOOK_TIMEOUT_MS, WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_BASE_MS, WEBHOOK_ALLOW_PRIVATE. */
export function readWebhooks(read: Read, production: boolean): WebhookConfig {
  return {
    timeoutMs: read('WEBHOOK_TIMEOUT_MS', integer(100, 120_000), 10_000),
    maxAttempts: read('WEBHOOK_MAX_ATTEMPTS', integer(1, 50), 12),
    retryBaseMs: read('WEBHOOK_RETRY_BASE_MS', integer(1, 3_600_000), 30_000),
    allowPrivate: read('WEBHOOK_ALLOW_PRIVATE', boolean, !production),
  };
}
