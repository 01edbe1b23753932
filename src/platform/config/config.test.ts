import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

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

  it('requires an https PUBLIC_URL in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PUBLIC_URL must be the https/);
    expect(() => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'http://portal.example.vn' })).toThrow(
      /PUBLIC_URL must be the https/,
    );
    expect(
      loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://dichvucong.example.vn/' }).publicUrl,
    ).toBe('https://dichvucong.example.vn');
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
});
