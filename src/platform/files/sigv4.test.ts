import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMPTY_SHA256, sign, signingKey } from './sigv4.ts';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

describe('AWS Signature Version 4, against AWS published examples', () => {
  it('signs the IAM ListUsers example of the SigV4 documentation (2015-08-30)', () => {
    const r = sign({
      method: 'GET',
      path: '/',
      query: { Action: 'ListUsers', Version: '2010-05-08' },
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
        Host: 'iam.amazonaws.com',
        'X-Amz-Date': '20150830T123600Z',
      },
      payloadSha256: EMPTY_SHA256,
      region: 'us-east-1',
      service: 'iam',
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: SECRET,
      amzDate: '20150830T123600Z',
    });
    expect(r.canonicalRequestHash).toBe('f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59');
    expect(r.signature).toBe('5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
    expect(r.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
  });

  it('signs the string to sign of the 2011 test suite (get-vanilla)', () => {
    const stringToSign =
      'AWS4-HMAC-SHA256\n20110909T233600Z\n20110909/us-east-1/iam/aws4_request\n3511de7e95d28ecd39e9513b642aee07e54f4941150d8df8bf94b328ef7e55e2';
    const signature = createHmac('sha256', signingKey(SECRET, '20110909', 'us-east-1', 'iam'))
      .update(stringToSign)
      .digest('hex');
    expect(signature).toBe('ced6826de92d2bdeed8f846f0bf508e8559e98e4b0199114b84c54174deb456c');
  });
});
