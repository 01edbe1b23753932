/**
 * The bank simulator's own controls under `/_sim/` (Authorization: Bearer <BANK_SECRET>): the fault modes,
 * a payer's choice without the page, and what happened (transactions, CONFIRM/TRANSFER attempts).
 */
import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { checkFaultModes, type FaultRules } from './faults.ts';
import { readJson, sendJson } from './http.ts';
import type { CallbackAttempt, Outcome, SimTransaction } from './server.ts';
import { Conflict, NotFound, type Transactions } from './transactions.ts';

export interface AdminDeps {
  secret: string;
  faults: FaultRules;
  store: Pick<Transactions, 'byId' | 'pay'>;
  attempts: () => CallbackAttempt[];
}

/** A transaction as the admin routes show it (without the INIT as received). */
const view = (tx: SimTransaction) => ({ ...tx, init: undefined });

/** The `/_sim/` routes: true when the request was answered, false to let the last route say 404. */
export function createAdminRoutes(deps: AdminDeps) {
  const { secret, faults } = deps;
  const { byId, pay } = deps.store;

  function adminAllowed(req: http.IncomingMessage): boolean {
    const given = Buffer.from(req.headers.authorization?.replace(/^Bearer /, '') ?? '');
    const want = Buffer.from(secret);
    return given.length === want.length && timingSafeEqual(given, want);
  }

  return async function adminRoutes(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    method: string,
    path: string,
  ): Promise<boolean> {
    if (!adminAllowed(req)) {
      sendJson(res, 401, { error: 'unauthorized', message: 'Authorization: Bearer <BANK_SECRET>' });
      return true;
    }
    if (path === '/_sim/faults') {
      if (method === 'GET') {
        sendJson(res, 200, { faults: faults.current() });
        return true;
      }
      if (method === 'DELETE') {
        faults.clear();
        sendJson(res, 200, { faults: null });
        return true;
      }
      if (method === 'POST') {
        const b = await readJson(req, res);
        if (!b) return true;
        try {
          const count = b.count;
          if (count !== undefined && !(Number.isInteger(count) && (count as number) > 0))
            throw new RangeError('count must be a whole number above 0');
          faults.set(checkFaultModes(b.modes), count as number | undefined);
          sendJson(res, 200, { faults: faults.current() });
        } catch (e) {
          sendJson(res, 400, { error: 'bad-request', message: (e as Error).message });
        }
        return true;
      }
    }
    if (method === 'POST' && path === '/_sim/pay') {
      const b = await readJson(req, res);
      if (!b) return true;
      try {
        const tx = pay(
          {
            ...(typeof b.MaGiaoDich === 'string' ? { MaGiaoDich: b.MaGiaoDich } : {}),
            ...(typeof b.MaThamChieu === 'string' ? { MaThamChieu: b.MaThamChieu } : {}),
          },
          b.outcome as Outcome,
        );
        sendJson(res, 200, view(tx));
      } catch (e) {
        const status = e instanceof NotFound ? 404 : e instanceof Conflict ? 409 : 400;
        sendJson(res, status, { error: 'refused', message: (e as Error).message });
      }
      return true;
    }
    if (method === 'GET' && path === '/_sim/transactions') {
      sendJson(res, 200, { items: [...byId.values()].map(view) });
      return true;
    }
    if (method === 'GET' && path === '/_sim/callbacks') {
      sendJson(res, 200, { items: deps.attempts() });
      return true;
    }
    return false;
  };
}
