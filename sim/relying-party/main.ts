/**
 * A relying party — a province's public-service portal — that signs its users in through Cổng DVC
 * with OpenID Connect (relying-party.ts). Used by the browser journeys and for trying the demo.
 *
 *   ISSUER=http://localhost:3000 CLIENT_ID=demo-cong-tinh CLIENT_SECRET=… PORT=4000 \
 *     node --import tsx sim/relying-party/main.ts
 */
import { startRelyingParty } from './relying-party.ts';

const rp = await startRelyingParty({
  issuer: new URL(process.env.ISSUER ?? 'http://localhost:3000'),
  clientId: process.env.CLIENT_ID ?? 'demo-cong-tinh',
  clientSecret: process.env.CLIENT_SECRET ?? 'demo-cong-tinh-secret-do-not-use-in-production',
  port: Number(process.env.PORT ?? 4000),
});
process.stdout.write(`relying party at ${rp.url}\n`);
process.on('SIGTERM', () => void rp.close().then(() => process.exit(0)));
