/**
 * Reconciliation against the intermediaries' daily settlement files.
 *
 * Import (the nightly job for the day before, or an officer's button): the file is fetched through
 * `IntermediaryPort.settlement`, stored with its SHA-256 — the same content again for a day stores
 * nothing; other content is a new version (and the answer says so) — with its lines. Then the latest
 * version is compared with the portal:
 *  - a success in the file for a payment of ours the portal has not recorded as succeeded is applied
 *    through the payments service as news from the file (a lost CONFIRM), and listed as resolved;
 *  - matched: same transaction, amount and outcome; each settled success (and refund) is posted once
 *    as a `settlement` set (Dr treasury, Cr receivable:<i>; a refund row the other way);
 *  - every mismatch is an item: missing at the intermediary (the portal has a success the file lacks),
 *    missing at the portal (the file has money the portal cannot match), amount differs, status
 *    differs, duplicate (a bill paid twice: the money is in payer clearing).
 * An officer with the cashier or accountant role resolves each item with an audited action: accept,
 * re-query, refund (a duplicate) or write off (a correction set).
 */
import { sql } from 'kysely';
import { appendAudit } from '../../../platform/audit/index.ts';
import { addDays, type Clock, vietnamDate } from '../../../platform/clock/index.ts';
import type { AnyDb } from '../../../platform/db/index.ts';
import {
  ConflictError,
  NotFoundError,
  UpstreamError,
  ValidationError,
} from '../../../platform/errors/index.ts';
import { postSet } from '../ledger.store.ts';
import type { PaymentRow, PaymentStatus } from '../payments.repository.ts';
import type { IntermediaryPort, PaymentsService } from '../payments.service.ts';
import type { RefundsService } from '../refunds.service.ts';
import { intermediary as findIntermediary, intermediaries } from '../registry.repository.ts';
import type { ReconciliationReport, ReconciliationRow } from '../xlsx-report.ts';
import { compareLines } from './compare.ts';
import {
  dayBounds,
  type ImportOutcome,
  ITEM_SELECT,
  type ItemRow,
  type ReconciliationItem,
  type ResolutionKind,
  toItem,
  writeOff,
} from './items.ts';
import { parseSettlement, type SettlementLine, sha256Hex } from './settlement-file.ts';

export {
  type ImportOutcome,
  type ItemKind,
  KIND_TEXT,
  RESOLUTION_TEXT,
  type ReconciliationItem,
  type ResolutionKind,
} from './items.ts';

export type ReconciliationService = ReturnType<typeof createReconciliationService>;

export function createReconciliationService(deps: {
  db: AnyDb;
  clock: Clock;
  bank: IntermediaryPort;
  payments: PaymentsService;
  refunds: RefundsService;
}) {
  const { db, clock } = deps;

  async function latestFile(code: string, day: string) {
    const r = await sql<{
      id: string;
      version: number;
      sha256: string;
      imported_at: Date;
      line_count: number;
    }>`
      select id, version, sha256, imported_at, line_count from payments.settlement_files
       where intermediary = ${code} and day = ${day} order by version desc limit 1`.execute(db);
    return r.rows[0] ? { ...r.rows[0], id: Number(r.rows[0].id) } : undefined;
  }

  async function linesOf(fileId: number): Promise<SettlementLine[]> {
    const r = await sql<{
      line_no: number;
      txn: string;
      reference: string | null;
      type: SettlementLine['type'];
      amount: string;
      status: SettlementLine['status'];
      at: Date | null;
    }>`select line_no, txn, reference, type, amount, status, at from payments.settlement_lines
        where file_id = ${fileId} order by line_no`.execute(db);
    return r.rows.map((x) => ({
      lineNo: x.line_no,
      txn: x.txn,
      reference: x.reference,
      type: x.type,
      amount: Number(x.amount),
      status: x.status,
      at: x.at,
    }));
  }

  /** Stores the file (or finds the same content stored before); answers its id, version and outcome. */
  async function store(code: string, day: string, csv: string, lines: SettlementLine[], actor: string) {
    const sha = sha256Hex(csv);
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      // One import of an intermediary's day at a time (the job and an officer's button may race).
      await sql`select pg_advisory_xact_lock(hashtext(${`settlement:${code}:${day}`}))`.execute(trx);
      const prior = await sql<{ id: string; version: number; sha256: string }>`
        select id, version, sha256 from payments.settlement_files
         where intermediary = ${code} and day = ${day} order by version`.execute(trx);
      const same = prior.rows.find((f) => f.sha256 === sha);
      if (same) return { outcome: 'same' as const, fileId: Number(same.id), version: same.version, sha };
      const version = prior.rows.length === 0 ? 1 : prior.rows[prior.rows.length - 1]!.version + 1;
      const ins = await sql<{ id: string }>`
        insert into payments.settlement_files (intermediary, day, version, sha256, content, line_count, imported_at, imported_by)
        values (${code}, ${day}, ${version}, ${sha}, ${csv}, ${lines.length}, ${now}, ${actor}) returning id`.execute(
        trx,
      );
      const fileId = Number(ins.rows[0]!.id);
      for (let i = 0; i < lines.length; i += 500) {
        const chunk = lines
          .slice(i, i + 500)
          .map(
            (l) =>
              sql`(${fileId}, ${l.lineNo}, ${l.txn}, ${l.reference}, ${l.type}, ${l.amount}, ${l.status}, ${l.at})`,
          );
        await sql`insert into payments.settlement_lines (file_id, line_no, txn, reference, type, amount, status, at)
                  values ${sql.join(chunk)}`.execute(trx);
      }
      await appendAudit(
        trx,
        {
          actor,
          action: version === 1 ? 'payment.settlement-imported' : 'payment.settlement-new-version',
          subject: `settlement:${code}:${day}`,
          data: { version, sha256: sha, lines: lines.length },
        },
        now,
      );
      return { outcome: version === 1 ? ('new' as const) : ('new-version' as const), fileId, version, sha };
    });
  }

  /** Successes in the file for payments of ours the portal has not recorded: applied from the file. */
  async function applyLateSuccesses(code: string, lines: SettlementLine[]): Promise<Set<string>> {
    const applied = new Set<string>();
    for (const l of lines) {
      if (l.type === 'REFUND' || l.status !== 'THANHCONG' || !l.reference) continue;
      const r =
        await sql<PaymentRow>`select * from payments.payments where reference = ${l.reference}`.execute(db);
      const p = r.rows[0];
      if (!p || p.status === 'succeeded') continue;
      const s = await deps.payments.settleFromFile(code, {
        reference: l.reference,
        amount: l.amount,
        txn: l.txn,
        method: l.type === 'TRANSFER' ? 'vietqr' : 'online',
      });
      if (s.outcome === 'applied') applied.add(l.txn);
    }
    return applied;
  }

  /** Compares the latest file of the day with the portal; writes items, settlement sets and counts. */
  async function reconcile(code: string, day: string, actor: string) {
    const file = await latestFile(code, day);
    if (!file) throw new NotFoundError('Chưa có tệp đối soát của ngày này / no settlement file for this day');
    const lines = await linesOf(file.id);
    const applied = await applyLateSuccesses(code, lines);
    const now = clock.now();
    const { from, to } = dayBounds(day);

    const refs = [...new Set(lines.map((l) => l.reference).filter((r): r is string => !!r))];
    const payments = new Map<string, PaymentRow>();
    if (refs.length > 0) {
      const r =
        await sql<PaymentRow>`select * from payments.payments where reference in (${sql.join(refs)})`.execute(
          db,
        );
      for (const p of r.rows) payments.set(p.reference, p);
    }
    const refundIds = lines
      .filter((l) => l.type === 'REFUND' && /^[0-9a-f-]{36}$/i.test(l.txn))
      .map((l) => l.txn);
    const refunds = new Map<string, { id: string; amount: number; status: string; payment_id: string }>();
    if (refundIds.length > 0) {
      const r = await sql<{ id: string; amount: string; status: string; payment_id: string }>`
        select id, amount, status, payment_id from payments.refunds where id::text in (${sql.join(refundIds)})`.execute(
        db,
      );
      for (const x of r.rows) refunds.set(x.id, { ...x, amount: Number(x.amount) });
    }
    const txns = lines.map((l) => l.txn);
    const known = new Set<string>();
    if (txns.length > 0) {
      // Money the portal recorded without a payment of its own: unmatched transfers, second payments.
      const t = await sql<{ txn: string }>`
        select txn from payments.transfers where intermediary = ${code} and txn in (${sql.join(txns)})`.execute(
        db,
      );
      for (const x of t.rows) known.add(x.txn);
      const keys = txns.map((x) => `second:${code}:${x}`);
      const s = await sql<{
        key: string;
      }>`select key from payments.posting_sets where key in (${sql.join(keys)})`.execute(db);
      for (const x of s.rows) known.add(x.key.slice(`second:${code}:`.length));
    }

    const { findings, settle, matched } = compareLines(code, lines, { payments, refunds, known, applied });
    // The portal's successes and refunds of the day at this intermediary the file does not list.
    const inFile = new Set(lines.filter((l) => l.status === 'THANHCONG').map((l) => l.txn));
    const refsInFile = new Set(
      lines.filter((l) => l.status === 'THANHCONG' && l.type !== 'REFUND').map((l) => l.reference),
    );
    const mine = await sql<PaymentRow>`
      select * from payments.payments
       where intermediary = ${code} and status = 'succeeded' and method <> 'cash'
         and succeeded_at >= ${from} and succeeded_at < ${to}`.execute(db);
    for (const p of mine.rows) {
      if ((p.intermediary_txn && inFile.has(p.intermediary_txn)) || refsInFile.has(p.reference)) continue;
      findings.push({
        key: `portal:${p.id}`,
        kind: 'missing-at-intermediary',
        payment: p,
        portalAmount: Number(p.amount),
        portalStatus: p.status,
        note: '',
      });
    }
    const myRefunds = await sql<{
      id: string;
      amount: string;
      status: string;
      payment_id: string;
      reference: string;
    }>`
      select r.id, r.amount, r.status, r.payment_id, p.reference from payments.refunds r
        join payments.payments p on p.id = r.payment_id
       where r.intermediary = ${code} and r.status = 'succeeded' and r.finished_at >= ${from} and r.finished_at < ${to}`.execute(
      db,
    );
    for (const r of myRefunds.rows)
      if (!inFile.has(r.id)) {
        const p = [...payments.values()].find((x) => x.id === r.payment_id);
        findings.push({
          key: `refund:${r.id}`,
          kind: 'missing-at-intermediary',
          refundId: r.id,
          ...(p ? { payment: p } : {}),
          portalAmount: Number(r.amount),
          portalStatus: r.status,
          note: `Hoàn tiền ${r.reference}`,
        });
      }

    const settled = await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`reconcile:${code}:${day}`}))`.execute(trx);
      let total = 0;
      // Refund rows first: the intermediary nets them out of the day's money, so the receivable never
      // crosses zero between the two.
      for (const s of [...settle.filter((x) => x.refund), ...settle.filter((x) => !x.refund)]) {
        const l = s.line;
        const posted = await postSet(
          trx,
          {
            kind: 'settlement',
            key: `settlement:${code}:${l.type}:${l.txn}`,
            memo: `Đối soát ${code} ngày ${day}: ${l.type} ${l.txn}`,
            postings: s.refund
              ? [
                  { account: `receivable:${code}`, debit: l.amount, credit: 0 },
                  { account: 'treasury', debit: 0, credit: l.amount },
                ]
              : [
                  { account: 'treasury', debit: l.amount, credit: 0 },
                  { account: `receivable:${code}`, debit: 0, credit: l.amount },
                ],
          },
          now,
        );
        if (posted) total += s.refund ? -l.amount : l.amount;
      }
      const keys: string[] = [];
      for (const f of findings) {
        keys.push(f.key);
        const l = f.line;
        const state = f.applied ? 'resolved' : 'open';
        await sql`
          insert into payments.reconciliation_items (intermediary, day, key, kind, file_id, payment_id, refund_id, txn,
            reference, type, portal_amount, intermediary_amount, portal_status, intermediary_status, at, note, state,
            resolution_kind, resolution, resolved_by, resolved_at, created_at)
          values (${code}, ${day}, ${f.key}, ${f.kind}, ${file.id}, ${f.payment?.id ?? null}, ${f.refundId ?? null},
            ${l?.txn ?? f.payment?.intermediary_txn ?? null}, ${l?.reference ?? f.payment?.reference ?? null},
            ${l?.type ?? (f.refundId ? 'REFUND' : f.payment?.method === 'vietqr' ? 'TRANSFER' : 'PAY')},
            ${f.portalAmount}, ${l?.amount ?? null}, ${f.portalStatus}, ${l?.status ?? null},
            ${l?.at ?? f.payment?.succeeded_at ?? null}, ${f.note}, ${state},
            ${f.applied ? 'applied' : null}, ${f.applied ? 'Cổng đã ghi nhận thành công theo tệp đối soát / applied from the settlement file' : null},
            ${f.applied ? actor : null}, ${f.applied ? now : null}, ${now})
          on conflict (intermediary, day, key) do update set
            kind = excluded.kind, file_id = excluded.file_id, portal_amount = excluded.portal_amount,
            intermediary_amount = excluded.intermediary_amount, portal_status = excluded.portal_status,
            intermediary_status = excluded.intermediary_status, note = excluded.note
          where payments.reconciliation_items.state = 'open'`.execute(trx);
      }
      // Open items the latest file no longer shows: closed, saying why.
      await sql`
        update payments.reconciliation_items
           set state = 'resolved', resolution_kind = 'accept', resolved_by = ${actor}, resolved_at = ${now},
               resolution = ${`Không còn chênh lệch ở tệp phiên bản ${file.version} / no longer differs in version ${file.version}`}
         where intermediary = ${code} and day = ${day} and state = 'open'
           ${keys.length > 0 ? sql`and key not in (${sql.join(keys)})` : sql``}`.execute(trx);
      const mismatched = findings.filter((f) => !f.applied).length;
      await sql`
        insert into payments.reconciliations (intermediary, day, file_id, matched, mismatched, settled, reconciled_at)
        values (${code}, ${day}, ${file.id}, ${matched}, ${mismatched}, ${total}, ${now})
        on conflict (intermediary, day) do update set file_id = excluded.file_id, matched = excluded.matched,
          mismatched = excluded.mismatched, settled = payments.reconciliations.settled + excluded.settled,
          reconciled_at = excluded.reconciled_at`.execute(trx);
      await appendAudit(
        trx,
        {
          actor,
          action: 'payment.reconciled',
          subject: `settlement:${code}:${day}`,
          data: { version: file.version, matched, mismatched, applied: applied.size, settled: total },
        },
        now,
      );
      return { mismatched };
    });
    return { matched, mismatched: settled.mismatched, file };
  }

  return {
    reconcile,

    /** Fetches, stores and reconciles one intermediary's day. */
    async importDay(code: string, day: string, actor: string): Promise<ImportOutcome> {
      const i = await findIntermediary(db, code);
      if (!i) throw new NotFoundError('Không tìm thấy trung gian thanh toán / no such intermediary');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || day >= vietnamDate(clock.now()))
        throw new ValidationError('Chỉ đối soát ngày đã qua / only a past day can be settled', [
          { path: 'day', message: 'a past Vietnam day, YYYY-MM-DD' },
        ]);
      let csv: string;
      try {
        csv = await deps.bank.settlement(i, day, clock.now());
      } catch (e) {
        throw new UpstreamError(`${i.name} không trả tệp đối soát / ${i.name} did not answer`, {
          cause: e instanceof Error ? e.message : String(e),
        });
      }
      let lines: SettlementLine[];
      try {
        lines = parseSettlement(csv);
      } catch (e) {
        throw new UpstreamError(`Tệp đối soát của ${i.name} không đọc được / unreadable settlement file`, {
          cause: e instanceof Error ? e.message : String(e),
        });
      }
      const stored = await store(code, day, csv, lines, actor);
      const r = await reconcile(code, day, actor);
      return {
        outcome: stored.outcome,
        fileId: stored.fileId,
        version: stored.version,
        sha256: stored.sha,
        lines: lines.length,
        matched: r.matched,
        mismatched: r.mismatched,
      };
    },

    /** The nightly job: every active intermediary's day before, once (a failure is tried next run). */
    async importYesterday(onError: (code: string, e: unknown) => void = () => undefined): Promise<number> {
      const day = addDays(vietnamDate(clock.now()), -1);
      let n = 0;
      for (const i of await intermediaries(db)) {
        if (await latestFile(i.code, day)) continue;
        try {
          await this.importDay(i.code, day, 'system:payments.settlement');
          n++;
        } catch (e) {
          onError(i.code, e);
        }
      }
      return n;
    },

    /** Reconciled days, newest first. */
    async days(limit = 60) {
      const r = await sql<{
        intermediary: string;
        day: string;
        matched: number;
        mismatched: number;
        settled: string;
        reconciled_at: Date;
        version: number;
        open: string;
      }>`
        select r.intermediary, to_char(r.day, 'YYYY-MM-DD') as day, r.matched, r.mismatched, r.settled, r.reconciled_at,
               f.version,
               (select count(*) from payments.reconciliation_items i
                 where i.intermediary = r.intermediary and i.day = r.day and i.state = 'open') as open
          from payments.reconciliations r join payments.settlement_files f on f.id = r.file_id
         order by r.day desc, r.intermediary limit ${limit}`.execute(db);
      return r.rows.map((x) => ({ ...x, settled: Number(x.settled), open: Number(x.open) }));
    },

    async summary(code: string, day: string) {
      const r = await sql<{
        matched: number;
        mismatched: number;
        settled: string;
        reconciled_at: Date;
        version: number;
        sha256: string;
        line_count: number;
        imported_at: Date;
        versions: string;
      }>`
        select r.matched, r.mismatched, r.settled, r.reconciled_at, f.version, f.sha256, f.line_count, f.imported_at,
               (select count(*) from payments.settlement_files g where g.intermediary = r.intermediary and g.day = r.day) as versions
          from payments.reconciliations r join payments.settlement_files f on f.id = r.file_id
         where r.intermediary = ${code} and r.day = ${day}`.execute(db);
      const x = r.rows[0];
      return x ? { ...x, settled: Number(x.settled), versions: Number(x.versions) } : undefined;
    },

    async items(filter: { intermediary?: string; day?: string; state?: 'open' | 'resolved' }) {
      const r = await sql<ItemRow>`${ITEM_SELECT}
        where true
          ${filter.intermediary ? sql`and i.intermediary = ${filter.intermediary}` : sql``}
          ${filter.day ? sql`and i.day = ${filter.day}` : sql``}
          ${filter.state ? sql`and i.state = ${filter.state}` : sql``}
        order by i.day desc, i.created_at, i.key`.execute(db);
      return r.rows.map(toItem);
    },

    async item(id: string): Promise<ReconciliationItem | undefined> {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
      const r = await sql<ItemRow>`${ITEM_SELECT} where i.id = ${id}`.execute(db);
      return r.rows[0] ? toItem(r.rows[0]) : undefined;
    },

    /** Open items whose payment belongs to one of `agencies`, or that have no payment. */
    async openCount(agencies: readonly string[]): Promise<number> {
      const r = await sql<{ n: string }>`
        select count(*) as n from payments.reconciliation_items i left join payments.payments p on p.id = i.payment_id
         where i.state = 'open'
           and (p.id is null ${agencies.length > 0 ? sql`or p.payee_agency in (${sql.join(agencies)})` : sql``})`.execute(
        db,
      );
      return Number(r.rows[0]!.n);
    },

    /** The report of a day for the page and the XLSX export. */
    async report(code: string, day: string): Promise<ReconciliationReport | undefined> {
      const file = await latestFile(code, day);
      const i = await findIntermediary(db, code);
      if (!file || !i) return undefined;
      const lines = await linesOf(file.id);
      const items = await this.items({ intermediary: code, day });
      const byKey = new Map(items.map((x) => [x.key, x]));
      const refs = [...new Set(lines.map((l) => l.reference).filter((x): x is string => !!x))];
      const statuses = new Map<string, PaymentStatus>();
      if (refs.length > 0) {
        const r = await sql<{ reference: string; status: PaymentStatus }>`
          select reference, status from payments.payments where reference in (${sql.join(refs)})`.execute(db);
        for (const x of r.rows) statuses.set(x.reference, x.status);
      }
      const rows: ReconciliationRow[] = lines.map((l) => {
        const it = byKey.get(`line:${l.type}:${l.txn}`);
        const differs = it && it.resolutionKind !== 'applied';
        return {
          transactionCode: l.txn,
          reference: l.reference,
          type: l.type,
          portalAmount: it ? it.portalAmount : l.amount,
          intermediaryAmount: l.amount,
          portalStatus: it?.portalStatus ?? (l.reference ? (statuses.get(l.reference) ?? null) : null),
          intermediaryStatus: l.status,
          at: l.at,
          issue: differs ? it.kind : it?.resolutionKind === 'applied' ? 'late-success' : null,
        };
      });
      for (const it of items)
        if (it.kind === 'missing-at-intermediary')
          rows.push({
            transactionCode: it.txn,
            reference: it.reference,
            type: it.type ?? 'PAY',
            portalAmount: it.portalAmount,
            intermediaryAmount: null,
            portalStatus: it.portalStatus,
            intermediaryStatus: null,
            at: it.at,
            issue: 'missing-at-intermediary',
          });
      return {
        intermediary: { code: i.code, name: i.name },
        settlementDate: day,
        generatedAt: clock.now(),
        rows,
      };
    },

    /** An officer's resolution of an item (the route has checked the role; `mayResolve` the agency). */
    async resolve(input: {
      itemId: string;
      officerId: string;
      kind: ResolutionKind;
      text: string;
    }): Promise<ReconciliationItem> {
      const text = input.text.normalize('NFC').trim();
      if (text.length < 1 || text.length > 1000)
        throw new ValidationError(
          'Vui lòng ghi nội dung xử lý (tối đa 1000 ký tự) / describe the resolution',
          [{ path: 'resolution', message: '1–1000 characters' }],
        );
      const item = await this.item(input.itemId);
      if (!item) throw new NotFoundError('Không tìm thấy mục đối soát / no such item');
      if (item.state !== 'open')
        throw new ConflictError('Mục này đã được xử lý / already resolved', { state: item.state });
      const actor = `officer:${input.officerId}`;
      let outcome = '';
      // Actions that reach the intermediary or other transactions run first; the item is closed after.
      if (input.kind === 'requery') {
        if (!item.paymentId)
          throw new ValidationError('Không có giao dịch để hỏi lại / nothing to re-query', []);
        const p = await deps.payments.requery(item.paymentId);
        outcome = ` → ${p.status}`;
      } else if (input.kind === 'refund') {
        if (!item.paymentId || (item.kind !== 'duplicate' && item.kind !== 'missing-at-portal'))
          throw new ValidationError(
            'Chỉ hoàn khoản nộp hai lần / only money paid twice is refunded here',
            [],
          );
        const p = await deps.payments.get(item.paymentId);
        const amount = item.intermediaryAmount ?? item.portalAmount ?? p.amount;
        const second =
          item.txn && item.txn !== p.intermediaryTxn
            ? { intermediary: item.intermediary, txn: item.txn }
            : undefined;
        const r = await deps.refunds.request({
          paymentId: p.id,
          amount,
          reason: text,
          officerId: input.officerId,
          ...(second ? { second } : {}),
        });
        outcome = ` → refund ${r.id}`;
      }
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const locked = await sql<{ state: string }>`
          select state from payments.reconciliation_items where id = ${item.id} for update`.execute(trx);
        if (locked.rows[0]?.state !== 'open')
          throw new ConflictError('Mục này đã được xử lý / already resolved', { state: 'resolved' });
        if (input.kind === 'write-off') await writeOff(trx, item, now);
        await sql`
          update payments.reconciliation_items
             set state = 'resolved', resolution_kind = ${input.kind}, resolution = ${(text + outcome).slice(0, 1000)},
                 resolved_by = ${actor}, resolved_at = ${now}
           where id = ${item.id}`.execute(trx);
        await appendAudit(
          trx,
          {
            actor,
            action: 'payment.reconciliation-resolved',
            subject: `reconciliation:${item.id}`,
            data: { kind: item.kind, resolution: input.kind, text, txn: item.txn, reference: item.reference },
          },
          now,
        );
        return {
          ...item,
          state: 'resolved' as const,
          resolutionKind: input.kind,
          resolution: text + outcome,
          resolvedBy: actor,
          resolvedAt: now,
        };
      });
    },
  };
}
