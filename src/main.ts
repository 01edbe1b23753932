/**
 * Start: config → database → migrations and reference data → app → listen. Stops cleanly on SIGTERM
 * and SIGINT: stop accepting, finish in-flight requests (bounded by SHUTDOWN_TIMEOUT_MS), stop the
 * outbox dispatcher, close the database and release the data directory.
 */
import { startPortal } from './bootstrap.ts';
import { ConfigError, loadConfig } from './platform/config/index.ts';
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

  let shuttingDown = false;
  const started = performance.now();
  let portal: Awaited<ReturnType<typeof startPortal>>;
  try {
    portal = await startPortal(config, {
      isShuttingDown: () => shuttingDown,
      demo: config.databaseUrl === undefined && config.nodeEnv !== 'production',
    });
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
  process.stdout.write(
    `\nCổng DVC đang chạy tại / is running at ${url}\n` +
      `  Cơ sở dữ liệu / database: ${database.location}\n` +
      `  Khởi động trong / started in ${Math.round(performance.now() - started)} ms ` +
      `(${Object.entries(portal.timings)
        .map(([step, ms]) => `${step} ${Math.round(ms)} ms`)
        .join(', ')})\n\n`,
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

main().catch((e: unknown) => {
  process.stderr.write(
    `Không khởi động được / failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
