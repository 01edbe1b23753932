/** Vitest global setup: the PGlite template every integration test file starts from. */
import { ensureTemplate } from './helpers/template.ts';

export default async function setup(): Promise<void> {
  if (!process.env.DATABASE_URL) await ensureTemplate();
}
