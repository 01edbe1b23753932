/**
 * `sim/population-register`: the national population database's identity check, as its own process.
 * See README.md.
 *
 *   node --import tsx sim/population-register/main.ts --port 4200 --api-key … [--seed 1] [--size 100000]
 */
import { COMMON_HELP, runRegisterCli } from './cli.ts';
import { startPopulationRegister } from './server.ts';

const HELP = `Mô phỏng Cơ sở dữ liệu quốc gia về dân cư: đối chiếu số định danh, họ tên, ngày sinh.
The national population database's identity check (simulated).

  node --import tsx sim/population-register/main.ts [options]

${COMMON_HELP}

Default port 4200, default size 100000 people (at most 1,000,000).
Prints "population-register at http://…" once listening.`;

await runRegisterCli('population-register', HELP, 4200, async (s) => {
  const running = await startPopulationRegister({
    ...s,
    ...(s.size !== undefined ? { size: s.size } : {}),
  });
  return {
    ...running,
    describe: `seed ${running.population.seed}, ${running.population.size} people`,
  };
});
