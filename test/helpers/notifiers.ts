/**
 * The outside world messages go to, for tests: a mail sink speaking SMTP (with a login) and the SMS
 * gateway simulator, on free ports, and the environment that points a portal at them. Delivery reports
 * reach the portal once it listens (`reportTo`). Without these, a test portal records messages only.
 */
import { randomBytes } from 'node:crypto';
import { startSmsGateway } from '../../sim/sms-gateway/server.ts';
import { startSmtpSink } from '../../sim/smtp-sink/server.ts';

export async function startTestNotifiers() {
  const sink = await startSmtpSink({
    auth: { user: 'cong-dvc', pass: randomBytes(9).toString('base64url') },
  });
  const apiKey = randomBytes(12).toString('base64url');
  const reportSecret = randomBytes(24).toString('base64url');
  const gateway = await startSmsGateway({
    apiKey,
    brandName: 'CONGDVC',
    reportSecret,
    faults: { reportDelayMs: 0 },
  });
  return {
    sink,
    gateway,
    reportSecret,
    env: {
      SMTP_URL: sink.url,
      MAIL_FROM: 'khong-tra-loi@dichvucong.example.vn',
      MAIL_FROM_NAME: 'Cổng Dịch vụ công Quốc gia',
      SMS_GATEWAY_URL: gateway.url,
      SMS_GATEWAY_API_KEY: apiKey,
      SMS_BRAND_NAME: 'CONGDVC',
      SMS_GATEWAY_REPORT_SECRET: reportSecret,
    },
    async close() {
      await Promise.all([sink.close(), gateway.close()]);
    },
  };
}
