import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEMO_OPERATOR,
  dialable,
  loadConfig,
  withDemoOperator,
  withDemoRegisters,
} from './index.ts';

/** What production needs besides the defaults. */
const PRODUCTION = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://dichvucong.example.vn',
  OPERATOR_NAME: 'Văn phòng Chính phủ',
  OPERATOR_HOTLINE: '1900 1234',
  OPERATOR_EMAIL: 'hotro@dichvucong.example.vn',
  POPULATION_REGISTER_URL: 'https://csdldc.example.vn',
  POPULATION_REGISTER_API_KEY: 'khoa-truy-cap-dan-cu',
  BUSINESS_REGISTER_URL: 'https://dkkd.example.vn/',
  BUSINESS_REGISTER_API_KEY: 'khoa-truy-cap-dkkd',
  METRICS_TOKEN: 'ma-giam-sat-0123456789abcdefghijklmnop',
  SMTP_URL: 'smtp://cong:mat-khau@mail.example.vn:587',
  MAIL_FROM: 'khong-tra-loi@dichvucong.example.vn',
  SMS_GATEWAY_URL: 'https://sms.example.vn',
  SMS_GATEWAY_API_KEY: 'khoa-cong-sms-0123',
  SMS_BRAND_NAME: 'CONGDVC',
  SMS_GATEWAY_REPORT_SECRET: 'bi-mat-bao-cao-sms-0123456789abcdef',
};

describe('configuration', () => {
  it('has working defaults: embedded database in ./data, port 3000', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      publicUrl: 'http://localhost:3000',
    });
    expect(c.dataDir.endsWith('/data')).toBe(true);
  });

  it('reads PORT, HOST and DATABASE_URL', () => {
    const c = loadConfig({ PORT: '8080', HOST: '0.0.0.0', DATABASE_URL: 'postgres://u:p@db:5432/portal' });
    expect(c).toMatchObject({ port: 8080, host: '0.0.0.0', databaseUrl: 'postgres://u:p@db:5432/portal' });
  });

  it('names every malformed variable and what it expects, at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: '70000',
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'mysql://root:secret@x/y',
        TRUST_PROXY: 'maybe',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems[0]).toBe('PORT must be an integer from 0 to 65535 (got "70000")');
    expect(problems.join('\n')).toContain(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    );
    expect(problems.join('\n')).toContain('DATABASE_URL must be a PostgreSQL connection URL');
    // The password never reaches the message.
    expect(problems.join('\n')).not.toContain('secret');
  });

  it('reads the payments crash hook outside production only, and refuses it in production', () => {
    expect(loadConfig({}).paymentsCrashAt).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'test', PAYMENTS_CRASH_AT: 'after-ledger' }).paymentsCrashAt).toBe(
      'after-ledger',
    );
    expect(() => loadConfig({ PAYMENTS_CRASH_AT: 'somewhere' })).toThrow(/PAYMENTS_CRASH_AT must be one of/);
    expect(loadConfig(PRODUCTION).paymentsCrashAt).toBeUndefined();
    expect(() => loadConfig({ ...PRODUCTION, PAYMENTS_CRASH_AT: 'after-receive' })).toThrow(
      /PAYMENTS_CRASH_AT is a test hook .* refused when NODE_ENV=production/,
    );
  });

  it('requires an https PUBLIC_URL in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PUBLIC_URL must be the https/);
    expect(() => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'http://portal.example.vn' })).toThrow(
      /PUBLIC_URL must be the https/,
    );
    expect(loadConfig({ ...PRODUCTION, PUBLIC_URL: 'https://dichvucong.example.vn/' }).publicUrl).toBe(
      'https://dichvucong.example.vn',
    );
  });

  it('reads TRUST_PROXY as a flag, a hop count or proxy addresses', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY must be/);
  });

  it('reads the upload limit, and S3 only when every part of it is given', () => {
    expect(loadConfig({}).uploadMaxBytes).toBe(20 * 1024 * 1024);
    expect(loadConfig({}).s3).toBeUndefined();
    expect(loadConfig({ UPLOAD_MAX_MB: '50' }).uploadMaxBytes).toBe(50 * 1024 * 1024);
    expect(() => loadConfig({ UPLOAD_MAX_MB: '0' })).toThrow(
      /UPLOAD_MAX_MB must be an integer from 1 to 1024/,
    );
    const s3 = {
      S3_ENDPOINT: 'https://s3.ap-southeast-1.amazonaws.com',
      S3_BUCKET: 'cong-dvc-ho-so',
      S3_REGION: 'ap-southeast-1',
      S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      S3_SECRET_ACCESS_KEY: 'secret',
    };
    expect(loadConfig(s3).s3).toEqual({
      endpoint: 'https://s3.ap-southeast-1.amazonaws.com',
      bucket: 'cong-dvc-ho-so',
      region: 'ap-southeast-1',
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: 'secret',
      prefix: undefined,
    });
    expect(() => loadConfig({ ...s3, S3_SECRET_ACCESS_KEY: '' })).toThrow(/missing: S3_SECRET_ACCESS_KEY/);
    expect(() => loadConfig({ ...s3, S3_BUCKET: 'Bad_Bucket' })).toThrow(
      /S3_BUCKET must be an S3 bucket name/,
    );
  });

  it('checks that AGENCY_IDENTIFIERS_FILE exists', () => {
    expect(() => loadConfig({ AGENCY_IDENTIFIERS_FILE: '/no/such/file.csv' })).toThrow(
      /AGENCY_IDENTIFIERS_FILE must be the path/,
    );
  });

  it('reads the operator’s contact details, all optional outside production', () => {
    expect(loadConfig({}).operator).toEqual({
      name: undefined,
      hotline: undefined,
      email: undefined,
      address: undefined,
      example: false,
    });
    const c = loadConfig({
      OPERATOR_NAME: '  Văn phòng   Chính phủ ',
      OPERATOR_HOTLINE: '1900  1234',
      OPERATOR_EMAIL: 'hotro@dichvucong.example.vn',
      OPERATOR_ADDRESS: '1 Hoàng Hoa Thám, Ba Đình, Hà Nội',
    });
    expect(c.operator).toEqual({
      name: 'Văn phòng Chính phủ',
      hotline: '1900 1234',
      email: 'hotro@dichvucong.example.vn',
      address: '1 Hoàng Hoa Thám, Ba Đình, Hà Nội',
      example: false,
    });
    // Typed with combining accents (NFD), kept in NFC.
    const nfd = 'Văn phòng Chính phủ'.normalize('NFD');
    expect(loadConfig({ OPERATOR_NAME: nfd }).operator.name).toBe('Văn phòng Chính phủ'.normalize('NFC'));
  });

  it('takes Vietnamese phone numbers as people write them, and refuses others', () => {
    const hotline = (v: string) => loadConfig({ OPERATOR_HOTLINE: v }).operator.hotline;
    for (const ok of [
      '1900 1234',
      '1900.1234',
      '1800 1234 56',
      '1022',
      '024 3825 1234',
      '(028) 3829 1234',
      '0912 345 678',
      '0388-123-456',
      '+84 24 3825 1234',
      '+84912345678',
    ])
      expect(hotline(ok), ok).toBe(ok);
    for (const bad of [
      '12345',
      '1900 123',
      '1900 1234 5',
      '0112 345 678',
      '091234567',
      '09123456789',
      '024 3825 123',
      '+84 1900 1234',
      '+1 202 555 0100',
      'gọi 1900 1234',
      '1900-CONG-DVC',
    ])
      expect(() => loadConfig({ OPERATOR_HOTLINE: bad }), bad).toThrow(
        /OPERATOR_HOTLINE must be a Vietnamese phone number, e\.g\. 1900 1234/,
      );
    expect(dialable('+84 24 3825 1234')).toBe('+842438251234');
    expect(dialable('(028) 3829.1234')).toBe('02838291234');
  });

  it('checks the operator’s e-mail address, name and address', () => {
    for (const bad of [
      'hotro',
      'hotro@',
      '@example.vn',
      'ho tro@example.vn',
      'hotro@example',
      'a@b@example.vn',
    ])
      expect(() => loadConfig({ OPERATOR_EMAIL: bad }), bad).toThrow(
        /OPERATOR_EMAIL must be an e-mail address/,
      );
    expect(() => loadConfig({ OPERATOR_NAME: 'x'.repeat(201) })).toThrow(
      /OPERATOR_NAME must be text of at most 200 characters/,
    );
    expect(() => loadConfig({ OPERATOR_ADDRESS: 'Số 1\u0007' })).toThrow(/OPERATOR_ADDRESS must be text/);
  });

  it('requires the operator’s name, hotline and e-mail in production, naming each one missing', () => {
    expect(loadConfig(PRODUCTION).operator.name).toBe('Văn phòng Chính phủ');
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://dichvucong.example.vn' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'METRICS_TOKEN or METRICS_LISTEN is required when NODE_ENV=production (who may read the metrics: a bearer token, or an address only the monitoring network reaches)',
      'POPULATION_REGISTER_URL and POPULATION_REGISTER_API_KEY are required when NODE_ENV=production (the national population database: identity proofing at registration)',
      'BUSINESS_REGISTER_URL and BUSINESS_REGISTER_API_KEY are required when NODE_ENV=production (the national business registration database: identity proofing at registration)',
      'OPERATOR_NAME is required when NODE_ENV=production (the name of the agency operating the portal, shown in the footer of every page)',
      'OPERATOR_HOTLINE is required when NODE_ENV=production (its support hotline, shown in the footer of every page)',
      'OPERATOR_EMAIL is required when NODE_ENV=production (its support e-mail address, shown in the footer of every page)',
      'SMTP_URL is required when NODE_ENV=production (the mail server e-mails leave through, e.g. smtp://user:password@mail.example.vn:587), or SMTP_URL=off to send no e-mail',
      'SMS_GATEWAY_URL (with SMS_GATEWAY_API_KEY, SMS_BRAND_NAME and SMS_GATEWAY_REPORT_SECRET) is required when NODE_ENV=production (the brand-name SMS gateway one-time codes and status messages go through), or SMS_GATEWAY_URL=off to send no SMS',
    ]);
    const { OPERATOR_EMAIL: _omitted, ...withoutEmail } = PRODUCTION;
    expect(() => loadConfig(withoutEmail)).toThrow(
      /^(?![\s\S]*OPERATOR_NAME)[\s\S]*OPERATOR_EMAIL is required/,
    );
    // The address stays optional.
    expect(loadConfig(PRODUCTION).operator.address).toBeUndefined();
  });

  it('gives the embedded demo example operator details, marked as such, unless some are set', () => {
    const demo = withDemoOperator(loadConfig({}));
    expect(demo.operator).toEqual(DEMO_OPERATOR);
    expect(demo.operator.example).toBe(true);
    expect(demo.operator.name).toMatch(/\(ví dụ\)$/);
    // The example values pass the checks real ones do.
    expect(
      loadConfig({
        OPERATOR_NAME: DEMO_OPERATOR.name,
        OPERATOR_HOTLINE: DEMO_OPERATOR.hotline,
        OPERATOR_EMAIL: DEMO_OPERATOR.email,
        OPERATOR_ADDRESS: DEMO_OPERATOR.address,
      }).operator,
    ).toEqual({ ...DEMO_OPERATOR, example: false });
    const own = withDemoOperator(loadConfig({ OPERATOR_HOTLINE: '1900 1234' }));
    expect(own.operator).toMatchObject({ hotline: '1900 1234', name: undefined, example: false });
  });

  it('reads the national registers: URL and key together, required in production, the key never echoed', () => {
    expect(loadConfig({}).registers).toEqual({ population: undefined, business: undefined, timeoutMs: 5000 });
    expect(loadConfig(PRODUCTION).registers).toEqual({
      population: { url: 'https://csdldc.example.vn', apiKey: 'khoa-truy-cap-dan-cu' },
      business: { url: 'https://dkkd.example.vn', apiKey: 'khoa-truy-cap-dkkd' },
      timeoutMs: 5000,
    });
    expect(() => loadConfig({ POPULATION_REGISTER_URL: 'http://127.0.0.1:4200' })).toThrow(
      /POPULATION_REGISTER_API_KEY is needed with POPULATION_REGISTER_URL \(the national population database\)/,
    );
    expect(() => loadConfig({ BUSINESS_REGISTER_API_KEY: 'khoa-truy-cap' })).toThrow(
      /BUSINESS_REGISTER_URL is needed with BUSINESS_REGISTER_API_KEY/,
    );
    expect(() =>
      loadConfig({ POPULATION_REGISTER_URL: 'ftp://x', POPULATION_REGISTER_API_KEY: 'khoa truy cap' }),
    ).toThrow(
      /POPULATION_REGISTER_URL must be an absolute http\(s\) URL[\s\S]*POPULATION_REGISTER_API_KEY must be an API key[^\n]*\(got "\*\*\*"\)/,
    );
    expect(() => loadConfig({ REGISTER_TIMEOUT_MS: '50' })).toThrow(/REGISTER_TIMEOUT_MS must be an integer/);
    const { BUSINESS_REGISTER_URL: _u, BUSINESS_REGISTER_API_KEY: _k, ...noBusiness } = PRODUCTION;
    expect(() => loadConfig(noBusiness)).toThrow(
      /^(?![\s\S]*POPULATION_REGISTER)[\s\S]*BUSINESS_REGISTER_URL and BUSINESS_REGISTER_API_KEY are required when NODE_ENV=production/,
    );
    // The demo's simulators fill only what the environment left empty.
    const demo = withDemoRegisters(loadConfig({}), {
      population: { url: 'http://127.0.0.1:1', apiKey: 'demo-key-1' },
      business: { url: 'http://127.0.0.1:2', apiKey: 'demo-key-2' },
    });
    expect(demo.registers.population?.url).toBe('http://127.0.0.1:1');
    expect(withDemoRegisters(loadConfig(PRODUCTION), demo.registers as never).registers.population?.url).toBe(
      'https://csdldc.example.vn',
    );
  });

  it('reads who may read the metrics: a token or a listen address, one of them in production', () => {
    expect(loadConfig({}).metrics).toEqual({ token: undefined, listen: undefined });
    expect(loadConfig({ METRICS_LISTEN: '10.0.0.5:9464' }).metrics.listen).toEqual({
      host: '10.0.0.5',
      port: 9464,
    });
    expect(loadConfig({ METRICS_LISTEN: '[::1]:9464' }).metrics.listen).toEqual({ host: '::1', port: 9464 });
    expect(() => loadConfig({ METRICS_LISTEN: '9464' })).toThrow(/METRICS_LISTEN must be host:port/);
    expect(() => loadConfig({ METRICS_LISTEN: '127.0.0.1:70000' })).toThrow(
      /METRICS_LISTEN must be host:port/,
    );
    expect(() => loadConfig({ METRICS_TOKEN: 'ngan-qua' })).toThrow(
      /METRICS_TOKEN must be a token[^\n]*\(got "\*\*\*"\)/,
    );
    const { METRICS_TOKEN: _t, ...noMetrics } = PRODUCTION;
    expect(() => loadConfig(noMetrics)).toThrow(
      /METRICS_TOKEN or METRICS_LISTEN is required when NODE_ENV=production/,
    );
    expect(loadConfig({ ...noMetrics, METRICS_LISTEN: '10.0.0.5:9464' }).metrics.token).toBeUndefined();
  });

  it('reads how messages leave: SMTP and the SMS gateway, each required in production unless off', () => {
    const p = loadConfig(PRODUCTION).notifications;
    expect(p).toMatchObject({
      smtp: {
        url: 'smtp://cong:mat-khau@mail.example.vn:587',
        from: { address: 'khong-tra-loi@dichvucong.example.vn', name: 'Cổng Dịch vụ công' },
        // STARTTLS required in production for a mail server on another machine.
        requireTls: true,
        dkim: undefined,
      },
      sms: { url: 'https://sms.example.vn', brandName: 'CONGDVC' },
      maxAttempts: 8,
    });
    const { SMTP_URL: _s, ...noSmtp } = PRODUCTION;
    expect(() => loadConfig(noSmtp)).toThrow(/SMTP_URL is required when NODE_ENV=production/);
    expect(loadConfig({ ...noSmtp, SMTP_URL: 'off' }).notifications.smtp).toBe('off');
    const { SMS_GATEWAY_URL: _g, ...noSms } = PRODUCTION;
    expect(() => loadConfig(noSms)).toThrow(/SMS_GATEWAY_URL \(with SMS_GATEWAY_API_KEY/);
    expect(loadConfig({ ...noSms, SMS_GATEWAY_URL: 'OFF' }).notifications.sms).toBe('off');
    // Outside production both may be absent: messages are recorded only.
    expect(loadConfig({}).notifications).toMatchObject({ smtp: undefined, sms: undefined });
    // What each needs, and no secret echoed.
    let error: unknown;
    try {
      loadConfig({
        SMTP_URL: 'smtp://u:bi-mat-lo@mail.example.vn:587',
        SMS_GATEWAY_URL: 'https://sms.example.vn',
        SMS_GATEWAY_REPORT_SECRET: 'ngan',
        DKIM_DOMAIN: 'dichvucong.example.vn',
      });
    } catch (e) {
      error = e;
    }
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/MAIL_FROM is needed with SMTP_URL/);
    expect(problems).toMatch(/DKIM needs all of DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY_FILE/);
    expect(problems).toMatch(/SMS_GATEWAY_API_KEY is needed with SMS_GATEWAY_URL/);
    expect(problems).toMatch(/SMS_BRAND_NAME is needed with SMS_GATEWAY_URL/);
    expect(problems).toMatch(/SMS_GATEWAY_REPORT_SECRET must be a secret of 32/);
    expect(problems).not.toMatch(/ngan|bi-mat-lo/);
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.vn', MAIL_FROM: 'a@b.vn' })).toThrow(
      /SMTP_URL must be smtp:\/\//,
    );
  });
});
