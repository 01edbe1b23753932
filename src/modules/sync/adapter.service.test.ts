import { describe, expect, it } from 'vitest';
import { type AdapterDeps, createAdapterService, ERR } from './adapter.service.ts';

function adapterWith(machineLogin: AdapterDeps['machineLogin']) {
  const sessions: string[] = [];
  const deps = {
    machineLogin,
    sync: {
      openSession: async () => {
        sessions.push('opened');
        return { token: 'token-1', expiresAt: new Date('2026-11-29T10:00:00Z') };
      },
    },
  } as unknown as AdapterDeps;
  return { adapter: createAdapterService(deps), sessions };
}

describe('DVCQG adapter login', () => {
  const body = { username: 'motcua-hanoi', password: 's3cret-value' };

  it('answers a wrong password with error_code 1', async () => {
    const { adapter, sessions } = adapterWith(async () => undefined);
    expect((await adapter.auth(body)).error_code).toBe(ERR.login);
    expect(sessions).toEqual([]);
  });

  it('answers a failure behind the login (database unreachable) with "busy", not "wrong password"', async () => {
    const { adapter, sessions } = adapterWith(async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    });
    const answer = await adapter.auth(body);
    expect(answer.error_code).toBe(ERR.busy);
    expect(answer.message).toMatch(/bận/);
    expect(sessions).toEqual([]);
  });

  it('opens a session for a client with the sync scope', async () => {
    const { adapter } = adapterWith(async () => ({
      clientId: 'motcua-hanoi',
      clientName: 'Một cửa Hà Nội',
      scopes: ['sync'],
      agencyCodes: ['H26'],
    }));
    expect(await adapter.auth(body)).toMatchObject({ error_code: 0, session: 'token-1' });
  });
});
