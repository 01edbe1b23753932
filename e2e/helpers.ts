/**
 * Browser journeys run against the real thing: the portal started as its own process (`npm start`'s
 * entry point) on a fresh data directory (or a fresh PostgreSQL database when DATABASE_URL is set),
 * and Debian's Chromium driven by playwright-core.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { prepareDatabase } from '../src/bootstrap.ts';
import { seedIdentityDemo } from '../src/modules/identity/demo.ts';
import { openDatabase, scoped } from '../src/platform/db/index.ts';
import { createTestDatabase } from '../test/helpers/database.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface RunningPortal {
  url: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Starts `node --import tsx src/main.ts` and waits for the URL it prints. */
export async function startPortalProcess(
  env: Record<string, string> = {},
  options: { dataDir?: string; expectFailure?: boolean } = {},
): Promise<RunningPortal> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cong-dvc-e2e-'));
  // A known port, so the public URL (the OpenID Connect issuer) is right from the start.
  const port = env.PORT ?? String(await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: port,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`portal did not start in 60 s:\n${out}`)), 60_000);
    const check = () => {
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      if (options.expectFailure) resolve('');
      else reject(new Error(`portal exited with ${code}:\n${out}`));
    });
  });
  return {
    url: url.replace('localhost', '127.0.0.1'),
    dataDir,
    process: child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Env for a portal process: a fresh PostgreSQL database when the suite runs on PostgreSQL. */
export async function portalEnv(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const t = await createTestDatabase();
  return { env: t.options.databaseUrl ? { DATABASE_URL: t.options.databaseUrl } : {}, drop: t.drop };
}

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y chromium)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** What axe-core finds serious or critical on the page as it is now. */
export async function axeViolations(
  page: Page,
): Promise<Array<{ id: string; impact: string; help: string; nodes: number }>> {
  // Injected through the DevTools protocol: the page's own CSP (rightly) forbids inline scripts.
  await page.evaluate(axe.source);
  const result = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v: { id: string; impact: string; nodes: unknown[]; help: string }) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
    }));
  });
  return (result as Array<{ id: string; impact: string; help: string; nodes: number }>).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
}

/**
 * The identity demo's accounts, as the embedded start makes them: a portal on PostgreSQL makes no demo
 * accounts, so a test makes them there too (on the embedded database the start finds them made).
 */
export async function seedDemoAccounts(options: { databaseUrl?: string; dataDir?: string }) {
  const database = await openDatabase(options);
  await prepareDatabase(database, { agencyIdentifiersFile: undefined });
  await seedIdentityDemo(scoped(database.db));
  await database.close();
}

/**
 * The page as it is now, checked and photographed: axe finds nothing serious at 1280 px nor at 375 px,
 * nothing sticks out sideways at 375 px (what does is named), a full-page screenshot at each width
 * (`shot(width)` names the file).
 */
export async function inspectPage(page: Page, name: string, shot: (width: number) => string) {
  const wide = { width: 1280, height: 900 };
  const phone = { width: 375, height: 812 };
  await page.setViewportSize(wide);
  const wideFound = await axeViolations(page);
  if (wideFound.length > 0) throw new Error(`${name} at 1280 px: ${JSON.stringify(wideFound)}`);
  await page.screenshot({ path: shot(wide.width), fullPage: true });
  await page.setViewportSize(phone);
  const width = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  const sticking = await page.evaluate(() =>
    [...document.querySelectorAll('main *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .filter((e) => e.checkVisibility())
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} “${(e.textContent ?? '').slice(0, 30)}”`)
      .slice(0, 5),
  );
  if (width.scroll > width.client)
    throw new Error(`${name} scrolls sideways at 375 px: ${sticking.join('; ')}`);
  const found = await axeViolations(page);
  if (found.length > 0) throw new Error(`${name} at 375 px: ${JSON.stringify(found)}`);
  await page.screenshot({ path: shot(phone.width), fullPage: true });
  await page.setViewportSize(wide);
}
