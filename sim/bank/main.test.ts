// The simulator as a process, started from the environment (main.ts).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ACCOUNT, admin, SECRET } from './server.test-support.ts';

// ------------------------------------------------------------------------------------------ process

describe('main.ts', () => {
  it('starts from the environment on port 0 and prints its address', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'sim/bank/main.ts', '--port', '0', '--quiet', '--exit-with-stdin'],
      {
        env: {
          ...process.env,
          BANK_CODE: 'VCBSIM',
          BANK_SECRET: SECRET,
          BANK_COLLECTION_ACCOUNT: ACCOUNT,
          BANK_FAULTS: 'duplicate,delayed',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.stderr.on('data', (d: Buffer) => reject(new Error(d.toString())));
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(await (await fetch(`${url}/health`)).json()).toMatchObject({ status: 'ok', code: 'VCBSIM' });
      const f = await fetch(`${url}/_sim/faults`, { headers: admin });
      expect(await f.json()).toEqual({ faults: { modes: ['duplicate', 'delayed'], remaining: null } });
    } finally {
      const exited = new Promise((r) => child.on('exit', r));
      child.stdin.end();
      await exited;
    }
  }, 20_000);
});
