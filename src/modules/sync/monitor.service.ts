/**
 * The sync monitoring: per agency, the last sync of each client, lag, accepted / duplicate / rejected per
 * hour and per day, the rejected items with their reasons, and indicator 1.4 of Decision 766 with its
 * numerator and denominator (domain/indicator.ts). Also the agencies' reported figures (the "reported"
 * term of 1.4), entered by an officer or sent by the agency system.
 *
 * Who sees what: an officer holding any role at an agency or above it sees that agency and every agency
 * below it (a grant at the root, as the Government Office's supervisors and the system administrators
 * hold, covers all). Anything else answers 404, as a record that does not exist.
 */
import { type Kysely, sql } from 'kysely';
import { appendAudit } from '../../platform/audit/index.ts';
import { remembered } from '../../platform/cache/index.ts';
import { addDays, type Clock, isIsoDate, vietnamDate } from '../../platform/clock/index.ts';
import { NotFoundError, ValidationError } from '../../platform/errors/index.ts';
import { reportsForPeriod, type SyncRate, syncRate } from './domain/indicator.ts';
import type { SyncTables } from './sync.tables.ts';

export interface MonitorDeps {
  db: Kysely<SyncTables>;
  clock: Clock;
  /** identity: every role the account holds at the agency or above it. */
  rolesAt(accountId: string, agencyCode: string): Promise<ReadonlySet<string>>;
  /** identity: the agencies where the account holds any role. */
  grantAgencies(accountId: string): Promise<string[]>;
  /** agencies: the agency and those above it, nearest first. */
  lineageOf(code: string): Promise<string[]>;
  /** agencies: the agency and every agency below it, with names. */
  subtreeOf(code: string): Promise<Array<{ code: string; name: string }>>;
  agencyName(code: string): Promise<string | undefined>;
  /** dossiers: dossiers filed on the portal that these agencies received in the period, per agency. */
  portalReceived(agencyCodes: string[], from: string, to: string): Promise<Map<string, number>>;
}

export interface Period {
  from: string;
  to: string;
}

const HOUR = 3_600_000;
const MAX_PERIOD_DAYS = 366;
const n = (v: unknown) => Number(v ?? 0);
const nn = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function createMonitorService(deps: MonitorDeps) {
  const { db, clock } = deps;
  // Today's agency trees, remembered for five minutes and never past midnight (Vietnam time): an
  // agency moved under another from tomorrow is seen from tomorrow's first minute.
  const subtreeOf = remembered({ max: 2_000, ttlMs: 300_000, endOfDay: true, clock }, (code: string) =>
    deps.subtreeOf(code),
  );

  /** The period asked for, or this month so far (Vietnam dates); at most a year. */
  function periodOf(q: { from?: string | undefined; to?: string | undefined }): Period {
    const today = vietnamDate(clock.now());
    const to = q.to ?? today;
    const from = q.from ?? `${to.slice(0, 8)}01`;
    if (!isIsoDate(from) || !isIsoDate(to))
      throw new ValidationError('Ngày không hợp lệ (YYYY-MM-DD).', [{ path: 'from', message: 'date' }]);
    if (from > to)
      throw new ValidationError('Ngày bắt đầu phải trước ngày kết thúc.', [
        { path: 'from', message: 'order' },
      ]);
    if (addDays(from, MAX_PERIOD_DAYS) <= to)
      throw new ValidationError(`Kỳ tối đa ${MAX_PERIOD_DAYS} ngày.`, [{ path: 'to', message: 'too long' }]);
    return { from, to };
  }

  /** May the officer see this agency's monitoring? (Any role there or above.) */
  async function mayView(accountId: string, agencyCode: string) {
    return (await deps.rolesAt(accountId, agencyCode)).size > 0;
  }

  /** The agencies the officer may see: 'all', or the subtrees of the agencies of their grants. */
  async function scopeOf(accountId: string): Promise<'all' | Set<string>> {
    const grants = [...new Set(await deps.grantAgencies(accountId))];
    const out = new Set<string>();
    for (const g of grants) {
      if ((await deps.lineageOf(g)).length === 1) return 'all';
      for (const a of await subtreeOf(g)) out.add(a.code);
    }
    return out;
  }

  /** Indicator 1.4 of an agency (with the agencies below it) for a period. */
  async function indicator(agencyCode: string, codes: string[], period: Period) {
    const [synced, reports, received] = await Promise.all([
      db
        .selectFrom('sync.received_rollups')
        .select((eb) => eb.fn.sum<number>('dossiers').as('n'))
        .where('agency_code', 'in', codes)
        .where('day', '>=', period.from)
        .where('day', '<=', period.to)
        .executeTakeFirst(),
      db
        .selectFrom('sync.reported_counts')
        .selectAll()
        .where('agency_code', '=', agencyCode)
        .where('period_from', '>=', period.from)
        .where('period_to', '<=', period.to)
        .orderBy('period_from')
        .execute(),
      deps.portalReceived(codes, period.from, period.to),
    ]);
    const r = reportsForPeriod(
      reports.map((x) => ({ ...x, from: x.period_from, to: x.period_to, dossiers: n(x.dossiers) })),
      period,
    );
    const receivedTotal = [...received.values()].reduce((a, b) => a + b, 0);
    const rate: SyncRate = syncRate({
      synced: n(synced?.n),
      reported: r.used.length > 0 ? r.total : null,
      received: receivedTotal,
    });
    return {
      period,
      ...rate,
      synced: n(synced?.n),
      reported: r.used.length > 0 ? r.total : null,
      received: receivedTotal,
      reportedCoverage: { days: r.coveredDays, of: r.periodDays },
      reports: r.used.map((x) => ({
        from: x.period_from,
        to: x.period_to,
        dossiers: n(x.dossiers),
        source: x.source,
        reporterName: x.reporter_name,
        reportedAt: x.reported_at,
        note: x.note,
      })),
    };
  }

  return {
    periodOf,
    mayView,

    /** May the officer enter the agency's reported figures? (agency-admin or system-admin there or above.) */
    async mayReport(accountId: string, agencyCode: string) {
      const roles = await deps.rolesAt(accountId, agencyCode.toUpperCase());
      return roles.has('agency-admin') || roles.has('system-admin');
    },

    /** Every agency the officer may see that has synced, or reported a figure in the period. */
    async overview(accountId: string, q: { from?: string; to?: string } = {}) {
      const period = periodOf(q);
      const scope = await scopeOf(accountId);
      if (scope !== 'all' && scope.size === 0) return { period, agencies: [] };
      const inScope = (col: string) =>
        scope === 'all' ? sql`true` : sql`${sql.ref(col)} = any(${[...scope]}::text[])`;
      const since = new Date(clock.now().getTime() - 24 * HOUR);
      const rows = await sql<{
        agency_code: string;
        last_at: Date | null;
        last_client_id: string | null;
        last_lag_p95_ms: number | null;
        rejected_total: number | null;
        accepted: number | null;
        duplicate: number | null;
        rejected: number | null;
        pending: number | null;
        lag_max_ms: number | null;
        synced: number | null;
        reported: number | null;
      }>`
        with agencies as (
          select agency_code from sync.agency_status where ${inScope('agency_code')}
          union
          select agency_code from sync.reported_counts
           where ${inScope('agency_code')} and period_from >= ${period.from} and period_to <= ${period.to}),
        day as (
          select agency_code, sum(accepted) as accepted, sum(duplicate) as duplicate, sum(rejected) as rejected,
                 sum(pending) as pending, max(lag_max_ms) as lag_max_ms, max(last_at) as last_at
            from sync.batch_stats where hour >= ${since} and ${inScope('agency_code')} group by agency_code),
        synced as (
          select agency_code, sum(dossiers) as synced from sync.received_rollups
           where day between ${period.from} and ${period.to} and ${inScope('agency_code')} group by agency_code)
        -- The status row is refreshed at most once a minute; the hour buckets carry the exact time.
        select a.agency_code, greatest(s.last_at, d.last_at) as last_at, s.last_client_id, s.last_lag_p95_ms, s.rejected_total,
               d.accepted, d.duplicate, d.rejected, d.pending, d.lag_max_ms, y.synced
          from agencies a
          left join sync.agency_status s on s.agency_code = a.agency_code
          left join day d on d.agency_code = a.agency_code
          left join synced y on y.agency_code = a.agency_code
         order by a.agency_code
         limit 5000`.execute(db);
      const codes = rows.rows.map((r) => r.agency_code);
      const [received, reports] = await Promise.all([
        codes.length > 0 ? deps.portalReceived(codes, period.from, period.to) : new Map<string, number>(),
        codes.length > 0
          ? db
              .selectFrom('sync.reported_counts')
              .select(['agency_code', 'period_from', 'period_to', 'dossiers'])
              .where('agency_code', 'in', codes)
              .where('period_from', '>=', period.from)
              .where('period_to', '<=', period.to)
              .execute()
          : [],
      ]);
      const agencies = [];
      for (const r of rows.rows) {
        const mine = reports
          .filter((x) => x.agency_code === r.agency_code)
          .map((x) => ({ from: x.period_from, to: x.period_to, dossiers: n(x.dossiers) }));
        const rep = reportsForPeriod(mine, period);
        const items24h = n(r.accepted) + n(r.duplicate) + n(r.rejected);
        agencies.push({
          agencyCode: r.agency_code,
          agencyName: (await deps.agencyName(r.agency_code).catch(() => undefined)) ?? null,
          lastSyncAt: r.last_at,
          lastClientId: r.last_client_id,
          lagP95Ms: nn(r.last_lag_p95_ms),
          last24h: {
            accepted: n(r.accepted),
            duplicate: n(r.duplicate),
            rejected: n(r.rejected),
            pending: n(r.pending),
            itemsPerHour: items24h / 24,
            rejectedShare: items24h > 0 ? n(r.rejected) / items24h : null,
            lagMaxMs: nn(r.lag_max_ms),
          },
          rejectedTotal: n(r.rejected_total),
          indicator: syncRate({
            synced: n(r.synced),
            reported: rep.used.length > 0 ? rep.total : null,
            received: received.get(r.agency_code) ?? 0,
          }),
        });
      }
      return { period, agencies };
    },

    /** One agency and the agencies below it (404 outside the officer's scope). */
    async detail(
      accountId: string,
      agencyCode: string,
      q: { from?: string; to?: string; rejections?: number } = {},
    ) {
      const code = agencyCode.toUpperCase();
      if (!(await mayView(accountId, code))) throw new NotFoundError(`Không có cơ quan ${agencyCode}.`);
      const subtree = await subtreeOf(code);
      if (subtree.length === 0) throw new NotFoundError(`Không có cơ quan ${agencyCode}.`);
      const codes = subtree.map((a) => a.code);
      const period = periodOf(q);
      const now = clock.now();
      const hourFrom = new Date(Math.floor(now.getTime() / HOUR) * HOUR - 47 * HOUR);
      const [clients, hours, days, rejections, byAgency, ind] = await Promise.all([
        sql<{
          client_id: string;
          client_name: string;
          last_at: Date;
          last_lag_p95_ms: number | null;
          accepted: number;
          duplicate: number;
          rejected: number;
          pending: number;
        }>`
          select distinct on (client_id) client_id, client_name, last_at, last_lag_p95_ms,
                 sum(accepted) over w as accepted, sum(duplicate) over w as duplicate,
                 sum(rejected) over w as rejected, sum(pending) over w as pending
            from sync.batch_stats
           where agency_code = any(${codes}::text[]) and hour >= ${new Date(now.getTime() - 90 * 24 * HOUR)}
          window w as (partition by client_id)
           order by client_id, last_at desc`.execute(db),
        sql<{
          hour: Date;
          accepted: number;
          duplicate: number;
          rejected: number;
          pending: number;
          lag_max_ms: number | null;
          lag_p95_ms: number | null;
          lag_sum_ms: number;
          lag_count: number;
        }>`
          select hour, sum(accepted) as accepted, sum(duplicate) as duplicate, sum(rejected) as rejected,
                 sum(pending) as pending, max(lag_max_ms) as lag_max_ms, max(lag_p95_ms) as lag_p95_ms,
                 sum(lag_sum_ms) as lag_sum_ms, sum(lag_count) as lag_count
            from sync.batch_stats
           where agency_code = any(${codes}::text[]) and hour >= ${hourFrom}
           group by hour order by hour`.execute(db),
        sql<{
          day: string;
          accepted: number;
          duplicate: number;
          rejected: number;
          pending: number;
          lag_max_ms: number | null;
          lag_p95_ms: number | null;
          lag_sum_ms: number;
          lag_count: number;
        }>`
          select ((hour at time zone 'UTC') + interval '7 hours')::date as day,
                 sum(accepted) as accepted, sum(duplicate) as duplicate, sum(rejected) as rejected,
                 sum(pending) as pending, max(lag_max_ms) as lag_max_ms, max(lag_p95_ms) as lag_p95_ms,
                 sum(lag_sum_ms) as lag_sum_ms, sum(lag_count) as lag_count
            from sync.batch_stats
           where agency_code = any(${codes}::text[])
             and hour >= ${new Date(`${period.from}T00:00:00+07:00`)}
             and hour < ${new Date(`${addDays(period.to, 1)}T00:00:00+07:00`)}
           group by 1 order by 1`.execute(db),
        db
          .selectFrom('sync.rejections')
          .selectAll()
          .where('agency_code', 'in', codes)
          .orderBy('rejected_at', 'desc')
          .orderBy('seq', 'desc')
          .limit(Math.min(Math.max(q.rejections ?? 100, 1), 1000))
          .execute(),
        sql<{
          agency_code: string;
          first_at: Date;
          last_at: Date;
          last_client_id: string;
          last_lag_p95_ms: number | null;
          rejected_total: number;
        }>`
          -- The status row is refreshed at most once a minute; the hour buckets carry the exact time.
          select s.agency_code, s.first_at, greatest(s.last_at, b.last_at) as last_at, s.last_client_id,
                 s.last_lag_p95_ms, s.rejected_total
            from sync.agency_status s
            left join lateral (
              select max(last_at) as last_at from sync.batch_stats
               where agency_code = s.agency_code and hour >= ${new Date(now.getTime() - 2 * HOUR)}) b on true
           where s.agency_code = any(${codes}::text[])
           order by 3 desc`
          .execute(db)
          .then((r) => r.rows),
        indicator(code, codes, period),
      ]);
      const names = new Map(subtree.map((a) => [a.code, a.name]));
      const counts = (r: {
        accepted: unknown;
        duplicate: unknown;
        rejected: unknown;
        pending: unknown;
        lag_max_ms: unknown;
        lag_p95_ms: unknown;
        lag_sum_ms: unknown;
        lag_count: unknown;
      }) => ({
        accepted: n(r.accepted),
        duplicate: n(r.duplicate),
        rejected: n(r.rejected),
        pending: n(r.pending),
        lagMaxMs: nn(r.lag_max_ms),
        lagP95Ms: nn(r.lag_p95_ms),
        lagMeanMs: n(r.lag_count) > 0 ? Math.round(n(r.lag_sum_ms) / n(r.lag_count)) : null,
      });
      return {
        agencyCode: code,
        agencyName: names.get(code) ?? code,
        agenciesBelow: subtree.length - 1,
        period,
        lastSyncAt: byAgency[0]?.last_at ?? null,
        clients: clients.rows.map((c) => ({
          clientId: c.client_id,
          clientName: c.client_name,
          lastSyncAt: c.last_at,
          lagP95Ms: nn(c.last_lag_p95_ms),
          last90Days: {
            accepted: n(c.accepted),
            duplicate: n(c.duplicate),
            rejected: n(c.rejected),
            pending: n(c.pending),
          },
        })),
        agencies: byAgency.map((a) => ({
          agencyCode: a.agency_code,
          agencyName: names.get(a.agency_code) ?? a.agency_code,
          firstSyncAt: a.first_at,
          lastSyncAt: a.last_at,
          lastClientId: a.last_client_id,
          lagP95Ms: nn(a.last_lag_p95_ms),
          rejectedTotal: n(a.rejected_total),
        })),
        hours: hours.rows.map((h) => ({ hour: h.hour, ...counts(h) })),
        days: days.rows.map((d) => ({ day: d.day, ...counts(d) })),
        rejections: rejections.map((r) => ({
          at: r.rejected_at,
          agencyCode: r.agency_code,
          clientId: r.client_id,
          clientName: r.client_name,
          list: r.list,
          index: r.item_index,
          code: r.dossier_code,
          reason: r.reason,
        })),
        indicator: ind,
      };
    },

    /**
     * Records what an agency reports it received in a period (replacing an earlier figure for the same
     * period; the audit log keeps both). By an officer with `agency-admin` or `system-admin` there or
     * above, or by the agency's own system (client scoped to it or above).
     */
    async report(
      by:
        | { kind: 'officer'; accountId: string; name: string }
        | { kind: 'system'; clientId: string; name: string; agencyCodes: string[] },
      input: { agencyCode: string; from: string; to: string; dossiers: number; note?: string | undefined },
    ) {
      const code = input.agencyCode.toUpperCase();
      const lineage = await deps.lineageOf(code);
      if (lineage.length === 0) throw new NotFoundError(`Không có cơ quan ${input.agencyCode}.`);
      if (by.kind === 'officer') {
        const roles = await deps.rolesAt(by.accountId, code);
        if (roles.size === 0) throw new NotFoundError(`Không có cơ quan ${input.agencyCode}.`);
        if (!roles.has('agency-admin') && !roles.has('system-admin'))
          throw new ValidationError(
            'Chỉ quản trị cơ quan hoặc quản trị hệ thống được nhập số liệu báo cáo.',
            [{ path: 'dossiers', message: 'role' }],
          );
      } else if (!lineage.some((a) => by.agencyCodes.includes(a)))
        throw new NotFoundError(`Không có cơ quan ${input.agencyCode}.`);
      const period = periodOf({ from: input.from, to: input.to });
      if (period.to > vietnamDate(clock.now()))
        throw new ValidationError('Kỳ báo cáo chưa kết thúc: không nhập số liệu cho ngày chưa tới.', [
          { path: 'to', message: 'future' },
        ]);
      if (!Number.isSafeInteger(input.dossiers) || input.dossiers < 0 || input.dossiers > 1e10)
        throw new ValidationError('Số hồ sơ phải là số nguyên không âm.', [
          { path: 'dossiers', message: 'int' },
        ]);
      const now = clock.now();
      const row = {
        agency_code: code,
        period_from: period.from,
        period_to: period.to,
        dossiers: input.dossiers,
        source: by.kind,
        reported_by: by.kind === 'officer' ? by.accountId : by.clientId,
        reporter_name: by.name.slice(0, 300),
        reported_at: now,
        note: input.note?.trim().slice(0, 1000) || null,
      };
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('sync.reported_counts')
          .values(row)
          .onConflict((oc) =>
            oc.constraint('reported_counts_pk').doUpdateSet({
              dossiers: row.dossiers,
              source: row.source,
              reported_by: row.reported_by,
              reporter_name: row.reporter_name,
              reported_at: row.reported_at,
              note: row.note,
            }),
          )
          .execute();
        await appendAudit(
          trx,
          {
            actor: by.kind === 'officer' ? `officer:${by.accountId}` : `client:${by.clientId}`,
            action: 'sync.reported-count',
            subject: `agency:${code}`,
            data: { from: period.from, to: period.to, dossiers: input.dossiers, note: row.note },
          },
          now,
        );
      });
      return { agencyCode: code, ...period, dossiers: input.dossiers };
    },
  };
}

export type MonitorService = ReturnType<typeof createMonitorService>;
