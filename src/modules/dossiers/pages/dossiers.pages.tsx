/**
 * The dossiers module's pages, Vietnamese first, all working without JavaScript: filing
 * (filing.pages.tsx), the applicant's own pages (applicant.pages.tsx), one dossier with its actions
 * (dossier.pages.tsx) and the officers' inbox (inbox.pages.tsx). This plugin holds what they share: the
 * filing script, and multipart parsing that stores each file as it arrives.
 */
import fs from 'node:fs';
import multipart, { type MultipartFile } from '@fastify/multipart';
import { UploadRejected } from '../../../platform/files/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { applicantPages } from './applicant.pages.tsx';
import { dossierPages } from './dossier.pages.tsx';
import { feePages } from './fee.pages.tsx';
import { FILING_JS, filingPages } from './filing.pages.tsx';
import { inboxPages } from './inbox.pages.tsx';
import type { FilePart, PagesDeps } from './shared.tsx';

export type { PagesDeps } from './shared.tsx';

const filingJs = fs.readFileSync(new URL('./assets/nop-ho-so.js', import.meta.url), 'utf8');

/** Reads what is left of a file part, ignoring a stream already torn down (a refused file). */
async function drain(part: MultipartFile): Promise<void> {
  if (part.file.destroyed) return;
  try {
    part.file.resume();
    for await (const _ of part.file) {
      // discard
    }
  } catch {
    // The stream was aborted while the blob store refused it: nothing is left to read.
  }
}

export async function dossiersPages(app: AppInstance, deps: PagesDeps) {
  const { desk } = deps;
  const maxBytes = desk.uploadMaxBytes;

  app.get(FILING_JS, { config: { access: access.public }, schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(filingJs),
  );

  // Multipart forms (files) on this module's pages only: each file goes to the blob store as it is
  // parsed (type by content, size limit, SHA-256); the handler records it after the CSRF check. A file
  // refused here (unknown type, too large) becomes a message for its field: the rest of the form is read.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: maxBytes + 64 * 1024, files: 40, fields: 600, fieldSize: 64 * 1024 },
    // A file past the limit is refused by the blob store and reported beside its field, not with a 413.
    throwFileSizeLimit: false,
    async onFile(part: MultipartFile) {
      const target = part as unknown as { value?: FilePart };
      const fileName = (part.filename ?? '').normalize('NFC');
      if (!fileName) {
        await drain(part);
        target.value = undefined;
        return;
      }
      try {
        target.value = { stored: await desk.storeBlob(part.file), fileName };
      } catch (e) {
        await drain(part);
        if (
          e instanceof UploadRejected ||
          (e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE' ||
          part.file.truncated
        )
          target.value = {
            error: desk.uploadMessage(e instanceof UploadRejected ? e.reason : 'too-large', fileName),
            fileName,
          };
        else throw e;
      }
    },
  });

  // Files stored while a form was parsed but not recorded by its handler (a type the slot refuses, a
  // failed CSRF check…) leave the blob store once the answer is sent.
  app.addHook('onResponse', async (request) => {
    const body = request.body;
    if (!body || typeof body !== 'object') return;
    const keys = Object.values(body as Record<string, unknown>)
      .flat()
      .flatMap((v) =>
        v && typeof v === 'object' && 'stored' in v
          ? [(v as Extract<FilePart, { stored: unknown }>).stored.key]
          : [],
      );
    if (keys.length > 0)
      await desk
        .discardUnrecorded(keys)
        .catch((err) => request.log.warn({ err }, 'discarding unrecorded files'));
  });

  await filingPages(app, deps);
  await applicantPages(app, deps);
  await dossierPages(app, deps);
  await feePages(app, deps);
  await inboxPages(app, deps);
}
