/** An S3-compatible object store for uploaded and issued files (S3Config); absent: `DATA_DIR/blobs`. */
import { type Env, type Field, httpUrl, type Read } from './fields.ts';

export interface S3Config {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  prefix: string | undefined;
}

/** S3: all of endpoint, bucket, region and keys, or none of them (then undefined). */
export function readS3(env: Env, read: Read, problems: string[]): S3Config | undefined {
  const s3Names = [
    'S3_ENDPOINT',
    'S3_BUCKET',
    'S3_REGION',
    'S3_ACCESS_KEY_ID',
    'S3_SECRET_ACCESS_KEY',
  ] as const;
  const given = s3Names.filter((n) => (env[n] ?? '') !== '');
  if (given.length > 0 && given.length < s3Names.length) {
    problems.push(
      `S3 needs all of ${s3Names.join(', ')} (missing: ${s3Names.filter((n) => !given.includes(n)).join(', ')})`,
    );
  } else if (given.length === s3Names.length) {
    const text: Field<string> = { expects: 'a non-empty value', parse: (raw) => raw || undefined };
    return {
      endpoint: read('S3_ENDPOINT', httpUrl, ''),
      bucket: read(
        'S3_BUCKET',
        {
          expects: 'an S3 bucket name (3–63 characters a-z 0-9 . -)',
          parse: (raw) => (/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(raw) ? raw : undefined),
        },
        '',
      ),
      region: read(
        'S3_REGION',
        {
          expects: 'a region such as ap-southeast-1',
          parse: (raw) => (/^[a-z0-9-]{2,40}$/.test(raw) ? raw : undefined),
        },
        '',
      ),
      accessKeyId: read('S3_ACCESS_KEY_ID', text, ''),
      secretAccessKey: read('S3_SECRET_ACCESS_KEY', text, ''),
      prefix: read('S3_PREFIX', text),
    };
  }
  return undefined;
}
