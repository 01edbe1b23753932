/** The floor for the start-up benchmark: open PGlite in DATA_DIR and answer /health/ready with Fastify. */
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import Fastify from 'fastify';

const pg = await PGlite.create(path.join(process.env.DATA_DIR ?? 'data', 'pglite'));
const app = Fastify();
app.get('/health/ready', async () => {
  await pg.query('select 1');
  return { status: 'ok' };
});
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`ready at http://127.0.0.1:${(app.server.address() as { port: number }).port}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  await pg.close();
  process.exit(0);
});
