/**
 * `sim/business-register`: the national business registration database's check of a business, as its
 * own process. See README.md.
 *
 *   node --import tsx sim/business-register/main.ts --port 4201 --api-key … [--seed 1] [--size 20000]
 */
import { COMMON_HELP, runRegisterCli } from '../population-register/cli.ts';
import { startBusinessRegister } from './server.ts';

const HELP = `Mô phỏng Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp: đối chiếu mã số, tên, người đại diện.
The national business registration database's check of a business (simulated).

  node --import tsx sim/business-register/main.ts [options]

${COMMON_HELP}

Default port 4201, default size 20000 businesses. Use the population register's seed: the legal
representatives are its people. Prints "business-register at http://…" once listening.`;

await runRegisterCli('business-register', HELP, 4201, async (s) => {
  const running = await startBusinessRegister({
    ...s,
    ...(s.size !== undefined ? { size: s.size } : {}),
  });
  return { ...running, describe: `seed ${running.registry.seed}, ${running.registry.size} businesses` };
});
