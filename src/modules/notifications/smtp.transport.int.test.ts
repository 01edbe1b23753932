/**
 * The SMTP transport against a real SMTP server (the mail sink): STARTTLS when required, the login,
 * DKIM signing when a key is configured, and which refusals are permanent.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSmtpSink, startSmtpSink } from '../../../sim/smtp-sink/server.ts';
import { PermanentDeliveryError } from './delivery.ports.ts';
import { smtpSender } from './smtp.transport.ts';

let tls: RunningSmtpSink;
let plain: RunningSmtpSink;
beforeAll(async () => {
  tls = await startSmtpSink({ auth: { user: 'cong', pass: 'mat-khau-thu' }, starttls: true });
  plain = await startSmtpSink({ auth: { user: 'cong', pass: 'mat-khau-thu' } });
});
afterAll(async () => {
  await Promise.all([tls.close(), plain.close()]);
});

const mail = (to: string) => ({
  to,
  subject: 'Mã xác minh',
  text: 'Mã của bạn là 123456.',
  html: '<p>Mã của bạn là 123456.</p>',
  messageId: `<m1g0.${to.split('@')[0]}@dichvucong.example.vn>`,
  headers: { 'Content-Language': 'vi, en' },
});
const from = { address: 'khong-tra-loi@dichvucong.example.vn', name: 'Cổng Dịch vụ công' };

describe('SMTP transport', () => {
  it('upgrades with STARTTLS when it is required, and signs with DKIM', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sender = smtpSender({
      // The sink's certificate is its own: trusted here by option, as an operator's private CA would be.
      url: `${tls.url}?tls.rejectUnauthorized=false`,
      from,
      requireTls: true,
      timeoutMs: 5000,
      dkim: {
        domainName: 'dichvucong.example.vn',
        keySelector: 'thu2026',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    });
    const r = await sender.send(mail('an@example.vn'));
    await sender.close();
    const got = tls.messages().find((m) => m.envelopeTo.includes('an@example.vn'))!;
    expect(got.headers['message-id']).toBe(r.providerId);
    expect(got.raw).toMatch(
      /^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed;\s*d=dichvucong\.example\.vn;\s*q=dns\/txt; s=thu2026;/m,
    );
    expect(got.text.trim()).toBe('Mã của bạn là 123456.');
  });

  it('refuses to send in clear text when STARTTLS is required and the server does not offer it', async () => {
    const sender = smtpSender({ url: plain.url, from, requireTls: true, timeoutMs: 5000 });
    const failure = await sender.send(mail('binh@example.vn')).catch((e: unknown) => e);
    await sender.close();
    expect(failure).toBeInstanceOf(Error);
    // Not permanent: the operator fixes the server and the outbox tries again.
    expect(failure).not.toBeInstanceOf(PermanentDeliveryError);
    expect(plain.messages().some((m) => m.envelopeTo.includes('binh@example.vn'))).toBe(false);
  });

  it('a wrong login is tried again later; no signature without a key', async () => {
    const wrong = smtpSender({
      url: plain.url.replace('mat-khau-thu', 'sai'),
      from,
      requireTls: false,
      timeoutMs: 5000,
    });
    const failure = await wrong.send(mail('chi@example.vn')).catch((e: unknown) => e);
    await wrong.close();
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(PermanentDeliveryError);
    const right = smtpSender({ url: plain.url, from, requireTls: false, timeoutMs: 5000 });
    await right.send(mail('chi@example.vn'));
    await right.close();
    const got = plain.messages().find((m) => m.envelopeTo.includes('chi@example.vn'))!;
    expect(got.raw).not.toMatch(/^DKIM-Signature:/m);
    expect(got.from).toBe('"Cổng Dịch vụ công" <khong-tra-loi@dichvucong.example.vn>');
  });
});
