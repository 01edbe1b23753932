/**
 * One rule at the edge for every route, API and page: text with U+0000 or an unpaired surrogate, JSON
 * nested deeper than MAX_JSON_DEPTH and numbers beyond the safe integer range never reach a service or
 * the database — the request is refused with a 400 naming the field (problem+json, or the error page).
 * Text that passes is NFC. Where it is checked:
 *
 *  - headers (onRequest): no NUL in any header value;
 *  - JSON bodies (the `application/json` parser): depth measured on the raw text before parsing, then
 *    every string, key and number; a route may name top-level lists checked item by item
 *    (`config.input.items`): a bad item becomes a RefusedItem in its place and the rest goes on;
 *  - path parameters, the query string, urlencoded forms (preValidation, before the schemas coerce);
 *  - multipart form fields (preHandler: @fastify/multipart fills the body in its own preValidation) and
 *    numbers the schemas coerced from text (`?after=1e23`).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ValidationError } from '../errors/index.ts';
import { cleanValue, cutItems, MAX_JSON_DEPTH, type Path, scanDepth } from './json.ts';
import { RefusedItem, refusedInput } from './refusal.ts';
import { textFault } from './text.ts';

export interface InputRules {
  /**
   * Top-level members of the JSON body that are arrays of independent items (a sync batch's `dossiers`
   * and `history`, the DVCQG adapter's `data`): each item is checked alone.
   */
  items?: readonly string[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    input?: InputRules;
  }
}

const isJson = (request: FastifyRequest) =>
  /^application\/json\b/i.test(request.headers['content-type'] ?? '');

/** Parses and checks a JSON body (see the module's comment); throws the 400 for the whole request. */
export function parseJsonBody(raw: string, items: readonly string[] = []): unknown {
  if (raw.trim() === '')
    throw new ValidationError('Nội dung JSON trống. / The JSON body is empty.', [
      { path: 'body', message: 'trống' },
    ]);
  const scan = scanDepth(raw, MAX_JSON_DEPTH, items);
  if (!scan.ok) throw refusedInput(['body', ...scan.path], 'depth');
  let body: unknown;
  try {
    body = JSON.parse(scan.deepItems.length > 0 ? cutItems(raw, scan.deepItems) : raw);
  } catch {
    throw refusedInput(['body'], 'json');
  }
  if (items.length === 0 || typeof body !== 'object' || body === null || Array.isArray(body)) {
    const c = cleanValue(body);
    if (!c.ok) throw refusedInput(['body', ...c.fault.path], c.fault.kind);
    return c.value;
  }
  const record = body as Record<string, unknown>;
  for (const d of scan.deepItems) {
    const list = record[d.list];
    if (Array.isArray(list)) list[d.index] = new RefusedItem(d.path.slice(2), 'depth');
  }
  // The lists item by item; then the rest of the body as a whole, the lists set aside.
  const lists = new Map<string, unknown[]>();
  for (const name of items) {
    const list = record[name];
    if (!Array.isArray(list)) continue;
    lists.set(name, list);
    for (let i = 0; i < list.length; i++) {
      if (list[i] instanceof RefusedItem) continue;
      const c = cleanValue(list[i], { maxDepth: MAX_JSON_DEPTH - 2 });
      list[i] = c.ok ? c.value : new RefusedItem(c.fault.path, c.fault.kind, list[i]);
    }
    record[name] = [];
  }
  const c = cleanValue(record);
  if (!c.ok) throw refusedInput(['body', ...c.fault.path], c.fault.kind);
  const clean = c.value as Record<string, unknown>;
  for (const [name, list] of lists) clean[name] = list;
  return clean;
}

/** Path parameters and the query (their parsers make objects without Object's prototype: copied). */
function check(where: string, value: object, numbers: boolean): unknown {
  const c = cleanValue({ ...value }, { numbers, maxDepth: 8 });
  if (!c.ok) throw refusedInput([where, ...c.fault.path], c.fault.kind);
  return c.value;
}

/** Form fields: strings and lists of strings only (file parts are the upload code's business). */
function checkFormFields(body: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(body)) {
    const fault = textFault(key);
    if (fault) throw refusedInput(['body', key], fault);
    if (typeof value !== 'string' && !(Array.isArray(value) && value.every((v) => typeof v === 'string')))
      continue;
    const c = cleanValue(value, { numbers: false, maxDepth: 2 });
    if (!c.ok) throw refusedInput(['body', key, ...c.fault.path], c.fault.kind);
    body[key] = c.value;
  }
}

/** A form's fields (urlencoded or multipart): an object that is neither JSON, a list nor raw bytes. */
const isFormBody = (request: FastifyRequest, body: unknown) =>
  Boolean(body) &&
  typeof body === 'object' &&
  !isJson(request) &&
  !Array.isArray(body) &&
  !ArrayBuffer.isView(body);

/** Numbers the schemas made from text: a query's `1e23` is an integer to JSON Schema, not to PostgreSQL. */
function checkNumbers(where: string, value: unknown, path: Path = []): void {
  if (typeof value === 'number') {
    if (!(Math.abs(value) <= Number.MAX_SAFE_INTEGER)) throw refusedInput([where, ...path], 'number');
    return;
  }
  // Bytes (a raw body, an uploaded file's content) hold no numbers the schemas made: never walked.
  if (typeof value !== 'object' || value === null || path.length > 4 || ArrayBuffer.isView(value)) return;
  for (const [k, v] of Object.entries(value)) checkNumbers(where, v, [...path, k]);
}

export const inputPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', async (request) => {
    for (const [name, value] of Object.entries(request.headers)) {
      const values = Array.isArray(value) ? value : [value];
      if (values.some((v) => typeof v === 'string' && v.includes('\u0000')))
        throw refusedInput(['headers', name], 'nul');
    }
  });

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, raw, done) => {
    try {
      done(null, parseJsonBody(raw as string, request.routeOptions.config?.input?.items ?? []));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  app.addHook('preValidation', async (request) => {
    const r = request as { params: unknown; query: unknown; body: unknown };
    if (r.params && typeof r.params === 'object') r.params = check('params', r.params, false);
    if (r.query && typeof r.query === 'object') r.query = check('query', r.query, false);
    const body = r.body;
    if (isFormBody(request, body)) checkFormFields(body as Record<string, unknown>);
  });

  app.addHook('preHandler', async (request) => {
    const r = request as { params: unknown; query: unknown; body: unknown };
    checkNumbers('params', r.params);
    checkNumbers('query', r.query);
    const body = r.body;
    if (isFormBody(request, body)) {
      checkFormFields(body as Record<string, unknown>);
      checkNumbers('body', body);
    }
  });
});
