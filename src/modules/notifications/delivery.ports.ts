/**
 * The two ways a message leaves the portal, as ports with swappable transports: e-mail (SMTP through
 * nodemailer, smtp.transport.ts) and SMS (a brand-name SMS gateway's HTTP API, sms-gateway.client.ts).
 * Outside production a channel that is not configured is recorded only (`recording*`): the row is
 * marked sent and shown at /dev/tin-nhan.
 */

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per message and send: a retried message keeps it (receivers may drop the repeat). */
  messageId: string;
  headers: Record<string, string>;
}

export interface EmailSender {
  readonly transport: 'smtp' | 'log';
  /** Resolves when the server took the message; the answer is its Message-ID. */
  send(mail: OutgoingEmail): Promise<{ providerId: string }>;
  close(): Promise<void>;
}

export interface OutgoingSms {
  /** The portal's id of this send: the gateway accepts one message per request id (retries are safe). */
  requestId: string;
  /** E.164, e.g. +84912345678. */
  to: string;
  text: string;
  /** UCS-2 (with diacritics); false: GSM 7-bit. */
  unicode: boolean;
}

/** What the gateway says became of a message (a delivery report, or its answer to a status query). */
export interface SmsStatus {
  providerId: string;
  requestId?: string;
  status: 'accepted' | 'sent' | 'delivered' | 'failed' | 'expired';
  at?: Date;
  /** The operator's reason for a failure. */
  error?: string;
}

export interface SmsGateway {
  readonly transport: 'sms-gateway' | 'log';
  /** Resolves with the gateway's message id once it accepted the message. */
  send(sms: OutgoingSms): Promise<{ providerId: string }>;
  /** Status of messages sent earlier, by the gateway's ids (for reports that never came). */
  status(providerIds: string[]): Promise<SmsStatus[]>;
}

/** A refusal that trying again cannot change (a malformed number, an unregistered template). */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/** Outside production without SMTP_URL: recorded only. */
export const recordingEmail: EmailSender = {
  transport: 'log',
  async send(mail) {
    return { providerId: mail.messageId };
  },
  async close() {},
};

/** Outside production without an SMS gateway: recorded only. */
export const recordingSms: SmsGateway = {
  transport: 'log',
  async send(sms) {
    return { providerId: `log-${sms.requestId}` };
  },
  async status() {
    return [];
  },
};
