/**
 * Start: config → database → migrations and reference data → app → listen. Stops cleanly on SIGTERM
 * and SIGINT: stop accepting, finish in-flight requests (bounded by SHUTDOWN_TIMEOUT_MS), stop the
 * outbox dispatcher, close the database and release the data directory.
 */
import cluster from 'node:cluster';
import { startPortal } from './bootstrap.ts';
import { DEMO_ACCOUNTS, DEMO_OFFICER_PASSWORD, DEMO_TOTP_SECRET } from './modules/identity/index.ts';
import { type Config, ConfigError, loadConfig, withDemoOperator } from './platform/config/index.ts';
import { DataDirLockedError, MigrationError } from './platform/db/index.ts';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  if (config.processes > 1 && cluster.isPrimary) return supervise(config);

  let shuttingDown = false;
  const started = performance.now();
  // The embedded demo: demo accounts and dossiers, and example operator details in the footer.
  const demo = config.databaseUrl === undefined && config.nodeEnv !== 'production';
  if (demo) config = withDemoOperator(config);
  let portal: Awaited<ReturnType<typeof startPortal>>;
  try {
    portal = await startPortal(config, { isShuttingDown: () => shuttingDown, demo });
  } catch (e) {
    if (e instanceof DataDirLockedError || e instanceof MigrationError) {
      process.stderr.write(`\n${e.message}\n\n`);
      process.exit(1);
    }
    throw e;
  }
  const { app, database, dispatcher, scheduler } = portal;
  await app.listen({ port: config.port, host: config.host });
  dispatcher.start();
  scheduler.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.publicUrl.replace(/:\d+$/, `:${port}`);
  // Under the supervisor, the supervisor prints the address once all processes listen. Last of what is
  // printed at start, so that it is what one sees: the log lines written so far (Fastify's "listening"
  // among them) are flushed first.
  const log = app.log as typeof app.log & { flush?: (done: () => void) => void };
  await new Promise<void>((resolve) => (log.flush ? log.flush(() => resolve()) : resolve()));
  if (!cluster.isWorker)
    process.stdout.write(
      `\nCổng DVC đang chạy tại / is running at ${url}\n` +
        `  Cơ sở dữ liệu / database: ${database.location}\n` +
        `  Khởi động trong / started in ${Math.round(performance.now() - started)} ms ` +
        `(${Object.entries(portal.timings)
          .map(([step, ms]) => `${step} ${Math.round(ms)} ms`)
          .join(', ')})\n` +
        (demo ? demoAccountsText(url) : '') +
        '\n',
    );

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      app.log.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    try {
      await portal.close();
      process.exit(0);
    } catch (e) {
      app.log.error({ err: e }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Where to find the embedded demo's accounts, and two to start with (README.md has them all). */
function demoAccountsText(url: string): string {
  const citizen = DEMO_ACCOUNTS.find((a) => a.kind === 'citizen');
  return (
    `\n  Bản chạy thử / demo — tài khoản thử / demo accounts: README.md, mục "Tài khoản thử / Demo accounts"\n` +
    (citizen ? `    công dân / citizen:  ${citizen.personal_id} / ${citizen.password}\n` : '') +
    `    cán bộ một cửa Hà Nội / Hà Nội one-stop officer:  motcua.hanoi.demo@example.vn / ${DEMO_OFFICER_PASSWORD}, ` +
    `mã xác thực / authenticator key ${DEMO_TOTP_SECRET} (oathtool --totp -b ${DEMO_TOTP_SECRET})\n` +
    `    đăng nhập / sign in: ${url}/dang-nhap\n`
  );
}

/**
 * PORTAL_PROCESSES > 1: this process only supervises. It starts that many portal processes sharing the
 * port (node:cluster: the supervisor accepts connections and hands them out in turn), each a complete
 * portal with its own connection pool, outbox dispatcher and scheduler (both safe with several
 * processes: leases in the database). Migrations serialise on their advisory lock. A process that
 * dies is replaced; more than five deaths in a minute stop everything (a crash loop is not served).
 * SIGTERM/SIGINT are passed on and the supervisor exits when every process has finished.
 */
function supervise(config: Config): void {
  let shuttingDown = false;
  /** 0 after SIGTERM/SIGINT; 1 when a process failed to start or kept dying. */
  let exitCode = 0;
  let listening = 0;
  let announced = false;
  const deaths: number[] = [];
  const started = performance.now();
  const fork = () => cluster.fork({ PORTAL_WORKER: '1' });

  cluster.on('listening', (_worker, address) => {
    listening += 1;
    if (announced || listening < config.processes) return;
    announced = true;
    const url = config.publicUrl.replace(/:\d+$/, `:${address.port}`);
    process.stdout.write(
      `\nCổng DVC đang chạy tại / is running at ${url}\n` +
        `  ${config.processes} tiến trình / processes, PostgreSQL\n` +
        `  Khởi động trong / started in ${Math.round(performance.now() - started)} ms\n\n`,
    );
  });
  cluster.on('exit', (worker, code, signal) => {
    if (shuttingDown) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
      return;
    }
    const now = Date.now();
    deaths.push(now);
    while (deaths.length > 0 && now - deaths[0]! > 60_000) deaths.shift();
    process.stderr.write(
      `Tiến trình ${worker.process.pid} đã dừng (${signal ?? `mã ${code}`}) / portal process exited\n`,
    );
    if (!announced || deaths.length > 5) {
      process.stderr.write(
        announced
          ? 'Quá nhiều tiến trình dừng trong một phút: dừng hẳn / too many exits in a minute: stopping\n'
          : 'Một tiến trình không khởi động được: dừng hẳn / a process failed to start: stopping\n',
      );
      stop(1);
      return;
    }
    fork();
  });
  const stop = (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    exitCode = code;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    const timer = setTimeout(() => process.exit(exitCode || 1), config.shutdownTimeoutMs + 2000);
    timer.unref();
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
  };
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  for (let i = 0; i < config.processes; i++) fork();
}

main().catch((e: unknown) => {
  process.stderr.write(
    `Không khởi động được / failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
