/**
 * Start: config → database → migrations and reference data → app → listen. Stops cleanly on SIGTERM
 * and SIGINT: stop accepting, finish in-flight requests (bounded by SHUTDOWN_TIMEOUT_MS), stop the
 * outbox dispatcher, close the database and release the data directory.
 */
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { startPortal } from './bootstrap.ts';
import { type RunningSimulator, startSimulator, startSimulators } from './demo/simulators.ts';
import {
  DEMO_ACCOUNTS,
  DEMO_OFFICER_PASSWORD,
  DEMO_POLICE_CLIENT,
  DEMO_TOTP_SECRET,
} from './modules/identity/index.ts';
import { type DevInbox, SMS_REPORTS_PATH } from './modules/notifications/index.ts';
import type { DemoPaymentsSeed } from './modules/payments/index.ts';
import {
  type AgencySystemsConfig,
  type Config,
  ConfigError,
  loadConfig,
  type RegisterEndpointConfig,
  type SmsGatewayConfig,
  type SmtpConfig,
  withDemoAgencySystems,
  withDemoNotifications,
  withDemoOperator,
  withDemoRegisters,
} from './platform/config/index.ts';
import { DataDirLockedError, MigrationError } from './platform/db/index.ts';
import { metricsServer } from './platform/http/index.ts';

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
  // The demo's national registers (identity proofing at registration): the simulators, unless the
  // environment points at real ones.
  let registers: DemoRegisters | undefined;
  if (demo && (!config.registers.population || !config.registers.business)) {
    registers = await startDemoRegisters();
    config = withDemoRegisters(config, registers.endpoints);
  }
  // Where the demo's messages go: a mail sink in this process and the SMS gateway simulator, unless the
  // environment configures (or switches off) a channel.
  let notifiers: DemoNotifiers | undefined;
  if (demo && (!config.notifications.smtp || !config.notifications.sms)) {
    try {
      notifiers = await startDemoNotifiers(config);
    } catch (e) {
      registers?.stop();
      throw e;
    }
    config = withDemoNotifications(config, notifiers.config);
  }
  // The demo's bank (sim/bank): its payment page, VietQR transfers and settlement files; and the police's
  // system of penalty decisions and VSS (sim/police, sim/social-insurance) where the environment set none.
  let payments: DemoPayments | undefined;
  if (demo) {
    try {
      payments = await startDemoPayments(config);
    } catch (e) {
      registers?.stop();
      await notifiers?.stop();
      throw e;
    }
    config = withDemoAgencySystems(config, payments.agencySystems);
  }
  let portal: Awaited<ReturnType<typeof startPortal>>;
  try {
    portal = await startPortal(config, {
      isShuttingDown: () => shuttingDown,
      demo,
      ...(notifiers ? { devInbox: notifiers.inbox } : {}),
      ...(payments ? { demoPayments: payments.seed } : {}),
    });
  } catch (e) {
    registers?.stop();
    payments?.stop();
    await notifiers?.stop();
    if (e instanceof DataDirLockedError || e instanceof MigrationError) {
      process.stderr.write(`\n${e.message}\n\n`);
      process.exit(1);
    }
    throw e;
  }
  const { app, database, dispatcher, scheduler } = portal;
  await app.listen({ port: config.port, host: config.host });
  // The metrics on their own address when configured (one listener per process: under the supervisor,
  // workers share it as they share the portal's port).
  const metrics = config.metrics.listen ? await metricsServer(app.metrics, config.metrics.listen) : undefined;
  dispatcher.start();
  scheduler.start();
  // Fines and social insurance: the police's system registers its decisions now that the portal answers.
  payments?.registerFines().catch((e: unknown) => app.log.warn({ err: e }, 'demo fines not registered'));
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
        (metrics && config.metrics.listen
          ? `  Số liệu vận hành / metrics: http://${config.metrics.listen.host}:${metrics.port}/metrics\n`
          : '') +
        `  Khởi động trong / started in ${Math.round(performance.now() - started)} ms ` +
        `(${Object.entries(portal.timings)
          .map(([step, ms]) => `${step} ${Math.round(ms)} ms`)
          .join(', ')})\n` +
        (demo ? demoAccountsText(url) : '') +
        (registers ? demoRegistersText(registers) : '') +
        (notifiers ? demoNotifiersText(notifiers, url) : '') +
        (payments ? demoPaymentsText(payments) : '') +
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
      await metrics?.close();
      registers?.stop();
      payments?.stop();
      await notifiers?.stop();
      process.exit(0);
    } catch (e) {
      app.log.error({ err: e }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

interface DemoRegisters {
  endpoints: { population: RegisterEndpointConfig; business: RegisterEndpointConfig };
  stop(): void;
}

/**
 * The embedded demo's population and business registers: sim/population-register and
 * sim/business-register as child processes on free ports, with a fresh API key (given in their
 * environment, not on the command line). They stop with the portal, and by themselves if the portal
 * dies (their standard input closes).
 */
async function startDemoRegisters(): Promise<DemoRegisters> {
  const apiKey = randomBytes(18).toString('base64url');
  const [population, business] = await startSimulators([
    { name: 'population-register', env: { REGISTER_API_KEY: apiKey } },
    { name: 'business-register', env: { REGISTER_API_KEY: apiKey } },
  ]);
  return {
    endpoints: { population: { url: population!.url, apiKey }, business: { url: business!.url, apiKey } },
    stop: () => {
      population!.stop();
      business!.stop();
    },
  };
}

interface DemoPayments {
  seed: DemoPaymentsSeed;
  bank: RunningSimulator;
  agencySystems: AgencySystemsConfig;
  police?: RunningSimulator;
  socialInsurance?: RunningSimulator;
  /** sim/police registers its decisions with the portal (once it listens). */
  registerFines(): Promise<void>;
  stop(): void;
}

/**
 * The demo's intermediary: sim/bank as a child process with a fresh shared secret, sending its CONFIRM
 * and transfer notices to this portal; registered in the portal's database at start (app.ts).
 */
async function startDemoPayments(config: Config): Promise<DemoPayments> {
  const secret = randomBytes(24).toString('base64url');
  const code = 'BANKSIM';
  const bin = '970436';
  const account = '0011000999888';
  const bank = await startSimulator('bank', {
    BANK_CODE: code,
    BANK_NAME: 'Ngân hàng mô phỏng',
    BANK_SECRET: secret,
    BANK_PARTNER_CODE: 'CONGDVC',
    BANK_CALLBACK_URL: `${config.publicUrl}/paygate/v1/callback/${code}`,
    BANK_TRANSFER_URL: `${config.publicUrl}/paygate/v1/transfer/${code}`,
    BANK_BIN: bin,
    BANK_COLLECTION_ACCOUNT: account,
  });
  // Fines and social insurance: sim/police (its client in identity's demo, scope fines) and
  // sim/social-insurance, each with fresh secrets in its environment, unless the environment names them.
  const sims: RunningSimulator[] = [bank];
  const agencySystems: AgencySystemsConfig = { police: undefined, socialInsurance: undefined };
  let police: RunningSimulator | undefined;
  let socialInsurance: RunningSimulator | undefined;
  try {
    if (!config.agencySystems.police) {
      const webhookSecret = randomBytes(24).toString('base64url');
      police = await startSimulator('police', {
        PORTAL_URL: config.publicUrl,
        POLICE_CLIENT_ID: DEMO_POLICE_CLIENT.clientId,
        POLICE_CLIENT_SECRET: DEMO_POLICE_CLIENT.clientSecret,
        POLICE_WEBHOOK_SECRET: webhookSecret,
      });
      sims.push(police);
      agencySystems.police = { url: police.url, webhookSecret };
    }
    if (!config.agencySystems.socialInsurance) {
      const apiKey = randomBytes(18).toString('base64url');
      socialInsurance = await startSimulator('social-insurance', { SI_API_KEY: apiKey });
      sims.push(socialInsurance);
      agencySystems.socialInsurance = { url: socialInsurance.url, apiKey };
    }
  } catch (e) {
    for (const s of sims) s.stop();
    throw e;
  }
  return {
    bank,
    agencySystems,
    ...(police ? { police } : {}),
    ...(socialInsurance ? { socialInsurance } : {}),
    // Not POLICE_REGISTER_ON_START: the sim would start registering before the portal listens and give
    // up after its retries; the same registration, asked for once the portal answers.
    async registerFines() {
      if (!police) return;
      const r = await fetch(`${police.url}/_sim/register`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEMO_POLICE_CLIENT.clientSecret}` },
        signal: AbortSignal.timeout(120_000),
      });
      if (!r.ok) throw new Error(`sim/police /_sim/register answered ${r.status}`);
    },
    seed: {
      intermediaries: [
        {
          code,
          name: 'Ngân hàng mô phỏng (sim/bank)',
          kind: 'bank',
          baseUrl: bank.url,
          secret,
          partnerCode: 'CONGDVC',
          qr: { bin, account, accountName: 'CONG DICH VU CONG QUOC GIA' },
        },
      ],
    },
    stop: () => {
      for (const s of sims) s.stop();
    },
  };
}

function demoPaymentsText(p: DemoPayments): string {
  return (
    `    Ngân hàng mô phỏng / bank simulator: ${p.bank.url} — sim/bank/README.md; đối tác thử / demo partner DEMO-HN\n` +
    (p.police
      ? `    CSGT (mô phỏng) / traffic police: ${p.police.url} — sim/police/README.md, /nop-phat\n`
      : '') +
    (p.socialInsurance
      ? `    BHXH Việt Nam (mô phỏng) / social security: ${p.socialInsurance.url} — sim/social-insurance/README.md, /bhxh-tu-nguyen\n`
      : '')
  );
}

interface DemoNotifiers {
  config: { smtp?: SmtpConfig; sms?: SmsGatewayConfig };
  smtpUrl?: string;
  gatewayUrl?: string;
  inbox: DevInbox;
  stop(): Promise<void>;
}

/**
 * The embedded demo's outside world for messages: a mail sink (sim/smtp-sink, an SMTP server with a
 * login, in this process) and sim/sms-gateway as a child process on a free port, with a fresh API key
 * and report secret (in its environment), posting its delivery reports to this portal. /dev/tin-nhan
 * shows what both received. Only the channels the environment left unconfigured.
 */
async function startDemoNotifiers(config: Config): Promise<DemoNotifiers> {
  const out: DemoNotifiers = { config: {}, inbox: async () => [], stop: async () => undefined };
  const stops: Array<() => Promise<void> | void> = [];
  out.stop = async () => {
    for (const stop of stops) await stop();
  };
  const sources: DevInbox[] = [];
  try {
    if (!config.notifications.smtp) {
      const { startSmtpSink } = await import('../sim/smtp-sink/server.ts');
      const sink = await startSmtpSink({
        auth: { user: 'cong-dvc', pass: randomBytes(12).toString('base64url') },
      });
      stops.push(() => sink.close());
      out.smtpUrl = `smtp://127.0.0.1:${sink.port}`;
      out.config.smtp = {
        url: sink.url,
        from: { address: 'khong-tra-loi@dichvucong.example.vn', name: 'Cổng Dịch vụ công (thử)' },
        requireTls: false,
        dkim: undefined,
      };
      sources.push(async () =>
        sink.messages().map((m) => ({
          channel: 'email' as const,
          by: 'Hộp thư thử (SMTP) / mail sink',
          to: m.envelopeTo.join(', '),
          subject: m.subject,
          text: m.text,
          at: m.receivedAt,
        })),
      );
    }
    if (!config.notifications.sms) {
      const apiKey = randomBytes(18).toString('base64url');
      const reportSecret = randomBytes(32).toString('base64url');
      const gateway = await startSimulator('sms-gateway', {
        SMS_GATEWAY_API_KEY: apiKey,
        SMS_BRAND_NAME: 'CONGDVC',
        SMS_GATEWAY_REPORT_SECRET: reportSecret,
        SMS_REPORT_URL: `${config.publicUrl}${SMS_REPORTS_PATH}`,
      });
      stops.push(() => gateway.stop());
      const url = gateway.url;
      out.gatewayUrl = url;
      out.config.sms = { url, apiKey, brandName: 'CONGDVC', reportSecret };
      sources.push(async () => {
        const r = await fetch(`${url}/api/v1/_sim/messages`, {
          headers: { authorization: `Bearer ${apiKey}` },
          signal: AbortSignal.timeout(2000),
        });
        const body = (await r.json()) as {
          items: Array<{ phone: string; message: string; receivedAt: string; status: string }>;
        };
        return body.items.map((m) => ({
          channel: 'sms' as const,
          by: 'Cổng SMS mô phỏng / SMS gateway simulator',
          to: m.phone,
          text: m.message,
          at: new Date(m.receivedAt),
          status: m.status,
        }));
      });
    }
  } catch (e) {
    await out.stop();
    throw e;
  }
  out.inbox = async () =>
    (await Promise.all(sources.map((s) => s().catch(() => []))))
      .flat()
      .sort((a, b) => b.at.getTime() - a.at.getTime());
  return out;
}

function demoNotifiersText(n: DemoNotifiers, url: string): string {
  return (
    '    Tin nhắn, thư điện tử / SMS and e-mail: ' +
    [
      n.smtpUrl ? `hộp thư thử / mail sink ${n.smtpUrl}` : '',
      n.gatewayUrl ? `cổng SMS mô phỏng / SMS gateway ${n.gatewayUrl}` : '',
    ]
      .filter(Boolean)
      .join(', ') +
    ` — ${url}/dev/tin-nhan\n`
  );
}

function demoRegistersText(r: DemoRegisters): string {
  return (
    `    CSDL quốc gia về dân cư, đăng ký doanh nghiệp (mô phỏng) / population and business registers (simulated): ` +
    `${r.endpoints.population.url}, ${r.endpoints.business.url} — sim/population-register/README.md\n`
  );
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
