/** The bank simulator's small HTTP helpers: answers in JSON or HTML, and bodies read with a size limit. */
import type http from 'node:http';

const MAX_BODY = 64 * 1024;

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

export function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  res
    .writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    .end(html);
}

async function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body as a JSON object; undefined when it is not one (the 413 or 400 is then sent). */
export async function readJson(
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<Record<string, unknown> | undefined> {
  const text = await readBody(req);
  if (text === undefined) {
    sendJson(res, 413, { error_code: '99', message: 'Yêu cầu quá lớn / too large' });
    return undefined;
  }
  try {
    const b = JSON.parse(text || '{}') as unknown;
    if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new Error('not an object');
    return b as Record<string, unknown>;
  } catch {
    sendJson(res, 400, {
      error_code: '99',
      message: 'Nội dung không phải đối tượng JSON / not a JSON object',
    });
    return undefined;
  }
}

/** The body as a form; undefined when it is too large (the 413 is then sent). */
export async function readForm(
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<URLSearchParams | undefined> {
  const text = await readBody(req);
  if (text === undefined) {
    sendHtml(res, 413, 'Yêu cầu quá lớn / too large');
    return undefined;
  }
  return new URLSearchParams(text);
}
