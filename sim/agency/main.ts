/**
 * `sim/agency`: a province's one-stop-shop system pushing its dossiers' lifecycles to the portal, through
 * the REST sync API or the DVCQG-compatible adapter, with fault modes (duplicates, shuffled order, kill
 * and resume), then reading every dossier back and comparing it with its own record. See README.md.
 *
 *   node --import tsx sim/agency/main.ts --url http://localhost:3000 --dossiers 500 --seed 7
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_SYNC_CLIENT } from './defaults.ts';
import {
  type Expected,
  expectedOf,
  generate,
  type ProcedureInfo,
  planBatches,
  planDigest,
} from './generate.ts';
import { type JournalHeader, openJournal, readJournal } from './journal.ts';
import { yearsOf } from './office-calendar.ts';
import { createProgress } from './progress.ts';
import {
  dvcqgTransport,
  FatalError,
  GiveUpError,
  portalCalendar,
  restTransport,
  type Transport,
} from './transport.ts';
import { compareDossier } from './verify.ts';

const HELP = `Mô phỏng hệ thống một cửa của tỉnh đồng bộ hồ sơ lên Cổng DVC.
A province's one-stop-shop system syncing dossier lifecycles to the portal.

  npm run sim:agency -- [options]

Portal and credentials
  --url URL               the portal (env PORTAL_URL; default http://localhost:3000)
  --client-id ID          machine client with the sync scope (env SIM_CLIENT_ID; default the demo's
                          ${DEMO_SYNC_CLIENT.clientId})
  --client-secret SECRET  its secret (env SIM_CLIENT_SECRET; default the demo's)
  --identifier CODE       agency identifier the system owns (repeat, or comma-separated;
                          default ${DEMO_SYNC_CLIENT.identifier}, Hà Nội)
  --province NN           province statistical code: also take its local procedures from the catalogue
  --mode rest|dvcqg       REST sync API (default) or the DVCQG-compatible adapter

What to generate
  --dossiers N            number of dossiers (default 200)
  --seed N                seed: the same seed gives the same dossiers (default 1)
  --days N                dossiers filed over the last N days (default 30)
  --anchor ISO|now        "now" of the run (default: now; kept in the state file)
  --code-offset N         first daily number of dossier codes (default (seed mod 1000) × 1000)

Delivery and faults
  --batch N               items per batch, at most 1000 (default 500)
  --concurrency N         batches in flight (default 2)
  --duplicates N          deliver every event N times (default 1)
  --shuffle               shuffle all deliveries across batches (default: in the order they happened)
  --crash-after N         kill itself (SIGKILL) after N acknowledged batches, to try resuming
  --give-up-after S       keep retrying a request this many seconds (default 600)
  --timeout S             one request's time limit (default 60)

State, verification, output
  --state FILE            journal of what was generated and acknowledged (default data/sim-agency/…);
                          run the same command again after a kill to resume
  --fresh                 start a new journal (same seed and "now" as the old one: the same events again)
  --verify                only read every dossier back and compare (no sending)
  --no-verify             do not read back at the end
  --report FILE           write a JSON summary
  --progress-every S      plain progress line period when not on a terminal (default 5)
  --quiet                 no progress lines

Exit code: 0 everything acknowledged and equal; 1 rejected items or mismatches; 2 bad options;
3 the portal could not be reached within --give-up-after.`;

function fail(message: string, code = 2): never {
  process.stderr.write(`sim-agency: ${message}\n`);
  process.exit(code);
}

const { values: a } = (() => {
  try {
    return parseArgs({
      options: {
        url: { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        identifier: { type: 'string', multiple: true },
        province: { type: 'string' },
        mode: { type: 'string' },
        dossiers: { type: 'string' },
        seed: { type: 'string' },
        days: { type: 'string' },
        anchor: { type: 'string' },
        'code-offset': { type: 'string' },
        batch: { type: 'string' },
        concurrency: { type: 'string' },
        duplicates: { type: 'string' },
        shuffle: { type: 'boolean' },
        'crash-after': { type: 'string' },
        'give-up-after': { type: 'string' },
        timeout: { type: 'string' },
        state: { type: 'string' },
        fresh: { type: 'boolean' },
        verify: { type: 'boolean' },
        'no-verify': { type: 'boolean' },
        report: { type: 'string' },
        'progress-every': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (e) {
    return fail(`${(e as Error).message}\n\n${HELP}`);
  }
})();
if (a.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}

function int(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    fail(`--${name} must be an integer from ${min} to ${max} (got "${value}")`);
  return n;
}

const url = a.url ?? process.env.PORTAL_URL ?? 'http://localhost:3000';
const clientId = a['client-id'] ?? process.env.SIM_CLIENT_ID ?? DEMO_SYNC_CLIENT.clientId;
const clientSecret = a['client-secret'] ?? process.env.SIM_CLIENT_SECRET ?? DEMO_SYNC_CLIENT.clientSecret;
const mode = (a.mode ?? 'rest') as 'rest' | 'dvcqg';
if (mode !== 'rest' && mode !== 'dvcqg') fail(`--mode must be rest or dvcqg (got "${a.mode}")`);
const identifiers = (a.identifier ?? [DEMO_SYNC_CLIENT.identifier])
  .flatMap((s) => s.split(','))
  .map((s) => s.trim())
  .filter(Boolean);
for (const id of identifiers)
  if (!/^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}$/.test(id))
    fail(`--identifier ${id} is not an agency identifier like 000.00.00.H26`);
const seed = int('seed', a.seed, 1, 0, 2 ** 31 - 1);
const wanted = {
  seed,
  dossiers: int('dossiers', a.dossiers, 200, 1, 10_000_000),
  identifiers,
  days: int('days', a.days, 30, 1, 3650),
  mode,
  duplicates: int('duplicates', a.duplicates, 1, 1, 20),
  shuffle: Boolean(a.shuffle),
  batch: int('batch', a.batch, 500, 1, 1000),
  codeOffset: int('code-offset', a['code-offset'], (seed % 1000) * 1000, 0, 999_998),
};
const concurrency = int('concurrency', a.concurrency, 2, 1, 64);
const crashAfter =
  a['crash-after'] === undefined ? undefined : int('crash-after', a['crash-after'], 0, 1, 1e9);
const giveUpAfterMs = int('give-up-after', a['give-up-after'], 600, 1, 86_400) * 1000;
const timeoutMs = int('timeout', a.timeout, 60, 1, 3600) * 1000;
const progressEvery = int('progress-every', a['progress-every'], 5, 1, 3600) * 1000;
if (a.verify && a['no-verify']) fail('--verify and --no-verify together make nothing to do');

const statePath =
  a.state ??
  path.join(
    'data',
    'sim-agency',
    `${mode}-${identifiers.join('+')}-seed${seed}-n${wanted.dossiers}${wanted.duplicates > 1 ? `-x${wanted.duplicates}` : ''}${wanted.shuffle ? '-shuffled' : ''}.jsonl`,
  );

const out = process.stderr;
let progress: ReturnType<typeof createProgress> | undefined;
const say = (text: string) => (progress ? progress.note(text) : a.quiet ? undefined : out.write(`${text}\n`));
let retries = 0;
let lastRetryNote = 0;
const transportOptions = {
  url,
  clientId,
  clientSecret,
  giveUpAfterMs,
  timeoutMs,
  onRetry(reason: string, waitMs: number) {
    retries++;
    progress?.retry(reason, waitMs);
    // Plain output: say why it waits, at most once a second.
    if (!out.isTTY && Date.now() - lastRetryNote > 1000) {
      lastRetryNote = Date.now();
      say(`sim-agency: retrying (${reason}) in ${(waitMs / 1000).toFixed(1)} s`);
    }
  },
};
const transport: Transport =
  mode === 'rest' ? restTransport(transportOptions) : dvcqgTransport({ ...transportOptions, identifiers });

process.on('SIGINT', () => {
  progress?.finish();
  out.write(`\nsim-agency: interrupted; run the same command again to resume (state: ${statePath})\n`);
  process.exit(130);
});

async function main(): Promise<number> {
  // 1. The journal: resume it, or start one (with the catalogue's procedures and the run's "now").
  const previous = readJournal(statePath);
  if (a.verify && (!previous || a.fresh))
    fail(`nothing to verify: no journal at ${statePath} (give the run's --state or options)`);
  let header: JournalHeader;
  let acks = previous?.acks;
  if (previous && !a.fresh) {
    header = previous.header;
    const differs = (Object.keys(wanted) as Array<keyof typeof wanted>).filter(
      (k) => JSON.stringify(header.options[k]) !== JSON.stringify(wanted[k]),
    );
    if (differs.length > 0)
      fail(
        `${statePath} was made with other options (${differs.map((k) => `${k}: ${JSON.stringify(header.options[k])}`).join(', ')}); use the same options, --fresh, or another --state`,
      );
    say(
      `sim-agency: resuming ${statePath}: ${previous.acks.size}/${header.plan.batches} batches acknowledged`,
    );
  } else {
    if (previous) fs.rmSync(statePath);
    acks = undefined;
    const anchor =
      a.anchor && a.anchor !== 'now'
        ? new Date(a.anchor)
        : a.anchor === 'now' || !previous
          ? new Date()
          : new Date(previous.header.anchor);
    if (Number.isNaN(anchor.getTime()))
      fail(`--anchor must be an ISO date-time or "now" (got "${a.anchor}")`);
    let procedures: ProcedureInfo[];
    if (previous) procedures = previous.header.procedures;
    else {
      say(
        `sim-agency: reading the catalogue of ${url} (${mode === 'rest' ? 'GET /api/v1/procedures' : 'LayDanhSachTTHC, LayThuTuc'})`,
      );
      procedures = await transport.catalogue(identifiers, a.province);
      if (procedures.length === 0) fail('the portal’s catalogue has no procedure for these identifiers', 2);
    }
    header = {
      kind: 'header',
      version: 1,
      createdAt: new Date().toISOString(),
      options: wanted,
      anchor: new Date(Math.floor(anchor.getTime() / 1000) * 1000).toISOString(),
      procedures,
      plan: { events: 0, batches: 0, digest: '' },
    };
  }
  // The working days, as the portal publishes them (kept in the journal: a resumed run is the same run).
  if (!header.calendar) {
    say(`sim-agency: reading the portal's calendar (GET /api/v1/calendar/holidays)`);
    header.calendar = await portalCalendar(
      transportOptions,
      yearsOf(new Date(header.anchor), header.options.days),
    );
  }

  // 2. Every event, and the batches to send them in (deterministic: the same as before a kill).
  const o = header.options;
  const t0 = Date.now();
  const { dossiers, events } = generate({
    seed: o.seed,
    dossiers: o.dossiers,
    identifiers: o.identifiers,
    days: o.days,
    anchor: new Date(header.anchor),
    procedures: header.procedures,
    calendar: header.calendar,
    extras: o.mode === 'rest',
    codeOffset: o.codeOffset,
  });
  const batches = planBatches(events.length, o);
  const digest = planDigest(events, batches);
  if (header.plan.digest && header.plan.digest !== digest)
    fail(
      `${statePath}: the events generated now differ from the journal's (the simulator changed?); use --fresh`,
    );
  header.plan = { events: events.length, batches: batches.length, digest };
  const journal = openJournal(statePath, header, acks);
  const historyRows = events.filter((e) => e.kind === 'history').length;
  say(
    `sim-agency: ${o.dossiers} dossiers of ${header.procedures.length} procedures, ${events.length} events (${historyRows} history rows), ` +
      `${batches.length} batches of ≤ ${o.batch}${o.duplicates > 1 ? `, each event ${o.duplicates}×` : ''}${o.shuffle ? ', shuffled' : ''}, ` +
      `mode ${o.mode}, generated in ${Date.now() - t0} ms; state ${statePath}`,
  );

  // 3. Send what was not acknowledged.
  let sendSeconds = 0;
  let sentRows = 0;
  let gaveUp: string | undefined;
  if (!a.verify) {
    const pending = batches.map((_, i) => i).filter((i) => !journal.acks.has(i));
    const doneRows = [...journal.acks.keys()].reduce((s, i) => s + (batches[i]?.length ?? 0), 0);
    progress = createProgress({
      label: 'sim-agency',
      totalRows: events.length * o.duplicates,
      totalBatches: batches.length,
      doneRows,
      doneBatches: journal.acks.size,
      out,
      intervalMs: progressEvery,
      quiet: Boolean(a.quiet),
    });
    const started = Date.now();
    let next = 0;
    let acked = 0;
    let stop = false;
    const worker = async () => {
      while (!stop && next < pending.length) {
        const i = pending[next++]!;
        const items = batches[i]!.map((k) => events[k]!);
        try {
          const d = await transport.deliver(items);
          journal.ack({
            batch: i,
            accepted: d.accepted,
            duplicate: d.duplicate,
            rejected: d.rejected,
            ...(d.reasons.length > 0 ? { reasons: d.reasons } : {}),
          });
          if (d.rejected > 0)
            say(
              `sim-agency: batch ${i}: ${d.rejected} rejected, e.g. ${d.reasons[0]?.code}: ${d.reasons[0]?.reason}`,
            );
        } catch (e) {
          stop = true;
          if (e instanceof GiveUpError || e instanceof FatalError) gaveUp = e.message;
          else gaveUp = (e as Error).stack ?? String(e);
          return;
        }
        sentRows += items.length;
        progress?.advance(items.length);
        acked++;
        if (crashAfter !== undefined && acked >= crashAfter) {
          progress?.finish();
          out.write(
            `sim-agency: --crash-after ${crashAfter}: killing myself (SIGKILL); run again to resume\n`,
          );
          process.kill(process.pid, 'SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, pending.length)) }, worker));
    progress.finish();
    progress = undefined;
    sendSeconds = (Date.now() - started) / 1000;
    if (gaveUp) {
      out.write(
        `sim-agency: gave up: ${gaveUp}\nsim-agency: run the same command again to resume (state: ${statePath})\n`,
      );
    }
  }

  // 4. Read every dossier back and compare with our own record.
  const totals = { accepted: 0, duplicate: 0, rejected: 0 };
  const reasons: Array<{ code: string | null; reason: string }> = [];
  for (const ack of journal.acks.values()) {
    totals.accepted += ack.accepted;
    totals.duplicate += ack.duplicate;
    totals.rejected += ack.rejected;
    for (const r of ack.reasons ?? []) if (reasons.length < 20) reasons.push(r);
  }
  const mismatches: Array<{ code: string; differences: string[] }> = [];
  let verified = 0;
  if (!gaveUp && !a['no-verify']) {
    const expected = dossiers.map(expectedOf).filter((x): x is Expected => x !== undefined);
    const started = Date.now();
    let next = 0;
    const reader = async () => {
      while (next < expected.length) {
        const e = expected[next++]!;
        const differences = compareDossier(e, await transport.read(e.code));
        verified++;
        if (differences.length > 0) mismatches.push({ code: e.code, differences });
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(8, concurrency * 2) }, reader));
    } catch (e) {
      gaveUp = (e as Error).message;
    }
    mismatches.sort((x, y) => (x.code < y.code ? -1 : 1));
    for (const m of mismatches.slice(0, 50)) say(`MISMATCH ${m.code}: ${m.differences.join('; ')}`);
    if (mismatches.length > 50) say(`… and ${mismatches.length - 50} more`);
    say(
      `sim-agency: verified ${verified}/${expected.length} dossiers in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
        (mismatches.length === 0
          ? 'status, dates and history all equal to the simulator’s record'
          : `${mismatches.length} MISMATCHES`),
    );
  }

  // A few dossiers to look up by hand: the public page needs the code and the ID number's last 4 digits.
  if (!a.quiet && !gaveUp) {
    const finals = new Map<string, (typeof dossiers)[number]>();
    for (const d of dossiers) {
      const last = d.events[d.events.length - 1]!;
      if (!finals.has(String(last.status)) && d.events.some((e) => e.kind === 'dossier'))
        finals.set(String(last.status), d);
    }
    for (const status of ['10', '5', '4'].filter((s) => finals.has(s))) {
      const d = finals.get(status)!;
      const record = d.events.filter((e) => e.kind === 'dossier').pop()!.body;
      const last4 = String(record.SoGiayToChuHoSo).slice(-4);
      say(
        `sim-agency: tra cứu ${url.replace(/\/+$/, '')}/tra-cuu-ho-so?ma=${encodeURIComponent(d.code)}&so=${last4}  (trạng thái ${status})`,
      );
    }
  }

  const ok = !gaveUp && totals.rejected === 0 && mismatches.length === 0;
  const report = {
    ok,
    state: statePath,
    mode: o.mode,
    anchor: header.anchor,
    dossiers: dossiers.length,
    events: events.length,
    historyRows,
    deliveries: events.length * o.duplicates,
    batches: batches.length,
    acknowledged: journal.acks.size,
    ...totals,
    reasons,
    retries,
    sentRows,
    sendSeconds,
    rowsPerSecond: sendSeconds > 0 ? Math.round(sentRows / sendSeconds) : null,
    verified,
    mismatches: mismatches.length,
    firstMismatches: mismatches.slice(0, 50),
    gaveUp: gaveUp ?? null,
  };
  if (a.report) fs.writeFileSync(a.report, `${JSON.stringify(report, null, 2)}\n`);
  say(
    `sim-agency: ${journal.acks.size}/${batches.length} batches acknowledged; accepted ${totals.accepted}, duplicate ${totals.duplicate}, rejected ${totals.rejected}; retries ${retries}` +
      (totals.rejected > 0 ? `; e.g. ${reasons[0]?.code}: ${reasons[0]?.reason}` : ''),
  );
  if (gaveUp) return 3;
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    progress?.finish();
    if (e instanceof FatalError || e instanceof GiveUpError)
      fail(e.message, e instanceof GiveUpError ? 3 : 2);
    fail((e as Error).stack ?? String(e), 2);
  },
);
