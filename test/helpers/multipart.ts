/** Forms with files, as a browser posts them (multipart/form-data), for `app.inject` page tests. */
import type { AppInstance } from '../../src/platform/http/index.ts';
import type { FormClient } from './browser.ts';

export interface FilePart {
  name: string;
  content: Buffer;
  type: string;
}

/** A multipart body: the fields, then the files. */
export function multipart(fields: Record<string, string>, files: Record<string, FilePart>) {
  const boundary = `----cong${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const [k, f] of Object.entries(files)) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${k}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
    );
    parts.push(f.content, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

/** Posts a multipart form with the client's cookies and (by default) the CSRF token of its last page. */
export async function postMultipart(
  app: AppInstance,
  client: FormClient,
  url: string,
  fields: Record<string, string>,
  files: Record<string, FilePart> = {},
  csrf = client.csrf(),
) {
  const m = multipart({ ...fields, _csrf: csrf }, files);
  const r = await app.inject({
    method: 'POST',
    url,
    payload: m.payload,
    headers: {
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'content-type': m.type,
      accept: 'text/html',
    },
  });
  client.last = r;
  return r;
}
