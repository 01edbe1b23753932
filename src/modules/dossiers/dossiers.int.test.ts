import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../platform/audit/index.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../platform/errors/index.ts';
import { createCatalogueModule } from '../catalogue/index.ts';
import { isOverdue } from './domain/deadline.ts';
import { procedureSourceFrom } from './dossiers.ports.ts';
import { overdueWhere } from './dossiers.repository.ts';
import type { SubmitInput } from './dossiers.service.ts';
import { dossiersHarness, type Harness, vn } from './dossiers.test-support.ts';

let h: Harness;
// Hà Nội: the one-stop centre receives, the Department of Justice (STP-01, under the People's Committee
// UBND-01, whose identifier 000.00.00.H26 numbers the centre's dossiers) decides.
let receiver: ReturnType<Harness['officer']>;
let processor: ReturnType<Harness['officer']>;
let approver: ReturnType<Harness['officer']>;
let cashier: ReturnType<Harness['officer']>;
let hcmReceiver: ReturnType<Harness['officer']>;
let citizen: ReturnType<Harness['account']>;

const HOUR = 3_600_000;
const show = (d: Date | null) =>
  d === null ? null : new Date(d.getTime() + 7 * HOUR).toISOString().slice(0, 16).replace('T', ' ');

function filing(overrides: Partial<SubmitInput> = {}): SubmitInput {
  return {
    accountId: citizen.id,
    applicant: { accountId: citizen.id, kind: 'citizen', name: citizen.name },
    idempotencyKey: randomUUID(),
    procedureCode: '2.000505',
    channel: 'online',
    place: { provinceCode: '01' },
    summary: 'Xin cấp phiếu lý lịch tư pháp số 1',
    formData: { hoTen: citizen.name, soBan: 2 },
    ...overrides,
  };
}

async function outbox(code: string) {
  const r = await sql<{ topic: string; payload: Record<string, unknown> }>`
    select topic, payload from platform.outbox where payload->>'code' = ${code} order by id`.execute(
    h.database.db,
  );
  return r.rows;
}

async function audit(code: string) {
  const r = await sql<{ actor: string; action: string }>`
    select actor, action from platform.audit_log where subject = ${`dossier:${code}`} order by id`.execute(
    h.database.db,
  );
  return r.rows;
}

beforeAll(async () => {
  h = await dossiersHarness(vn('2026-11-24 09:00')); // a Tuesday
  receiver = h.officer('TTPVHCC-01', ['receiver'], 'Đỗ Tiếp Nhận');
  processor = h.officer('UBND-01', ['processor'], 'Lê Thẩm Định');
  approver = h.officer('UBND-01', ['approver'], 'Trần Phê Duyệt');
  cashier = h.officer('TTPVHCC-01', ['cashier'], 'Ngô Thu Ngân');
  hcmReceiver = h.officer('TTPVHCC-79', ['receiver', 'processor', 'approver']);
  citizen = h.account('Nguyễn Văn Minh');
});
afterAll(async () => {
  await h?.close();
});

describe('submitting', () => {
  it('routes to the competent agency, numbers the dossier for the receiving unit and the day, and sets the due date', async () => {
    h.clock.set('2026-11-24 09:00');
    const { dossier, created } = await h.service.submit(filing());
    expect(created).toBe(true);
    expect(dossier.code).toBe('000.00.00.H26-261124-0001');
    expect(dossier).toMatchObject({
      state: 'submitted',
      status: 1,
      statusName: { vi: 'Mới đăng ký' },
      // The procedure names "Sở Tư pháp": the city's Department of Justice decides, the city's public
      // administrative service centre receives (it receives for every department).
      competentAgencyCode: 'STP-01',
      receivingAgencyCode: 'TTPVHCC-01',
      procedure: { code: '2.000505', version: 1 },
      process: { id: 'one-stop', version: 1 },
      applicant: { accountId: citizen.id, kind: 'citizen', name: 'Nguyễn Văn Minh' },
      processingTime: { amount: 10, unit: 'working-day' },
      allowedActions: ['withdraw'],
      deadline: { finished: false, flag: 'on-time' },
      formData: { hoTen: 'Nguyễn Văn Minh', soBan: 2 },
    });
    // 10 working days from Tuesday 24 November 09:00.
    expect(show(dossier.dueAt)).toBe('2026-12-08 09:00');
    expect(dossier.originalDueAt).toEqual(dossier.dueAt);
    // The desk has one working day to receive it.
    expect(show(dossier.stepDueAt)).toBe('2026-11-25 09:00');
    expect(dossier.history).toHaveLength(1);
    expect(dossier.history[0]).toMatchObject({
      action: 'submit',
      fromState: null,
      toState: 'submitted',
      status: 1,
      actor: { kind: 'applicant', name: 'Nguyễn Văn Minh' },
      content: 'Nộp hồ sơ trực tuyến',
    });
    expect(await outbox(dossier.code)).toEqual([
      {
        topic: 'dossier.status-changed',
        payload: expect.objectContaining({
          action: 'submit',
          from: null,
          to: { state: 'submitted', status: 1 },
        }),
      },
    ]);
    expect(await audit(dossier.code)).toEqual([{ actor: `user:${citizen.id}`, action: 'dossier.submit' }]);

    const second = await h.service.submit(filing());
    expect(second.dossier.code).toBe('000.00.00.H26-261124-0002');
  });

  it('numbers per Vietnam day: 23:59 and 00:01 Vietnam time are different days', async () => {
    h.clock.set('2026-11-26 23:59');
    const late = await h.service.submit(filing());
    h.clock.set('2026-11-27 00:01');
    const early = await h.service.submit(filing());
    expect(late.dossier.code).toBe('000.00.00.H26-261126-0001');
    expect(early.dossier.code).toBe('000.00.00.H26-261127-0001');
    // Filed at night: counting starts at the next opening.
    expect(show(late.dossier.dueAt)).toBe('2026-12-10 17:00');
  });

  it('applies the 15:00 rule of the procedure', async () => {
    h.clock.set('2026-11-24 15:30');
    const { dossier } = await h.service.submit(filing({ procedureCode: '1.009000' }));
    expect(show(dossier.dueAt)).toBe('2026-11-25 17:00');
    expect(dossier.rule15h).toBe(true);
  });

  it('routes a procedure naming a central agency to it, with its identifier', async () => {
    h.clock.set('2026-11-24 10:00');
    const { dossier } = await h.service.submit(
      filing({ procedureCode: '1.008000', place: { provinceCode: '79' } }),
    );
    expect(dossier.code).toMatch(/^000\.00\.00\.G15-261124-\d{4}$/);
    expect(dossier).toMatchObject({ competentAgencyCode: 'BTP', receivingAgencyCode: 'BTP' });
    // 15 calendar days → Wednesday 9 December, at closing.
    expect(show(dossier.dueAt)).toBe('2026-12-09 17:00');
  });

  it('refuses what cannot be filed, before writing anything', async () => {
    h.clock.set('2026-11-24 10:00');
    const before = await sql<{ n: number }>`select count(*)::int as n from dossiers.dossiers`.execute(
      h.database.db,
    );
    await expect(h.service.submit(filing({ procedureCode: '9.999999' }))).rejects.toThrow(NotFoundError);
    await expect(h.service.submit(filing({ channel: 'postal' }))).rejects.toThrow(/cách thức/);
    await expect(h.service.submit(filing({ procedureCode: '1.001612' }))).rejects.toThrow(/đối tượng/);
    // A commune-level procedure needs a commune, and the commune an agency on the day: Phường Phúc Xá
    // (00001) ended on 30 June 2025 with the reorganisation of communes.
    await expect(h.service.submit(filing({ procedureCode: '2.000815' }))).rejects.toThrow(/chọn xã/);
    await expect(
      h.service.submit(
        filing({ procedureCode: '2.000815', place: { provinceCode: '01', communeCode: '00001' } }),
      ),
    ).rejects.toThrow(ValidationError);
    // Tuyên Quang has no electronic identifier in the reference data: no code can be made.
    await expect(h.service.submit(filing({ place: { provinceCode: '08' } }))).rejects.toThrow(ConflictError);
    await expect(h.service.submit(filing({ place: { provinceCode: '1' } }))).rejects.toThrow(ValidationError);
    await expect(h.service.submit(filing({ idempotencyKey: 'có dấu' }))).rejects.toThrow(ValidationError);
    await expect(h.service.submit(filing({ formData: { big: 'x'.repeat(600_000) } }))).rejects.toThrow(
      ValidationError,
    );
    const after = await sql<{ n: number }>`select count(*)::int as n from dossiers.dossiers`.execute(
      h.database.db,
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it("routes a commune-level matter to the commune's People's Committee, numbered with its identifier", async () => {
    h.clock.set('2026-11-24 10:30');
    const { dossier } = await h.service.submit(
      filing({ procedureCode: '2.000815', place: { provinceCode: '01', communeCode: '00004' } }),
    );
    expect(dossier).toMatchObject({ competentAgencyCode: 'UBND-00004', receivingAgencyCode: 'UBND-00004' });
    // Phường Ba Đình's identifier, generated under Hà Nội's (H26): see the agencies module.
    expect(dossier.code).toMatch(/^000\.A0\.04\.H26-261124-\d{4}$/);
  });

  it('is idempotent by key: a repeat returns the same dossier; the key with another request is refused', async () => {
    h.clock.set('2026-11-30 09:00');
    const input = filing();
    const first = await h.service.submit(input);
    h.clock.advance(60_000);
    const again = await h.service.submit(input);
    expect(again.created).toBe(false);
    expect(again.dossier.code).toBe(first.dossier.code);
    await expect(h.service.submit({ ...input, summary: 'Một hồ sơ khác' })).rejects.toThrow(ConflictError);
    // Another account may use the same key.
    const other = h.account();
    const theirs = await h.service.submit(
      filing({
        accountId: other.id,
        applicant: { accountId: other.id, kind: 'citizen', name: other.name },
        idempotencyKey: input.idempotencyKey,
      }),
    );
    expect(theirs.created).toBe(true);
    expect(theirs.dossier.code).not.toBe(first.dossier.code);
  });

  it('claims the staged uploads in its own transaction: one gone or already attached is a 409, nothing written', async () => {
    h.clock.set('2026-12-01 09:00');
    const staged = async () => {
      const r = await sql<{ id: string; blob_key: string }>`
        insert into dossiers.uploads (account_id, document_code, file_name, media_type, size_bytes, sha256, blob_key)
        values (${citizen.id}, 'TK', 'to-khai.pdf', 'application/pdf', 10, ${'a'.repeat(64)}, ${randomUUID()})
        returning id, blob_key`.execute(h.database.db);
      return r.rows[0]!;
    };
    const file = (u: { id: string; blob_key: string }) => ({
      fileName: 'to-khai.pdf',
      mediaType: 'application/pdf',
      sizeBytes: 10,
      sha256: 'a'.repeat(64),
      blobKey: u.blob_key,
      uploadId: u.id,
    });
    const a = await staged();
    const first = await h.service.submit(filing({ attachments: [file(a)] }));
    const used = await sql<{ used_by_dossier: string }>`
      select used_by_dossier from dossiers.uploads where id = ${a.id}`.execute(h.database.db);
    expect(used.rows[0]!.used_by_dossier).toBe(first.dossier.code);
    const count = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from dossiers.dossiers`.execute(h.database.db))
        .rows[0]!.n;
    const before = await count();
    // The same upload again (its blob key on a fresh row, so only the claim can object).
    await expect(
      h.service.submit(filing({ attachments: [{ ...file(a), blobKey: randomUUID() }] })),
    ).rejects.toThrow(ConflictError);
    // An upload deleted (by the cleanup) after the caller looked it up.
    const b = await staged();
    await sql`delete from dossiers.uploads where id = ${b.id}`.execute(h.database.db);
    await expect(h.service.submit(filing({ attachments: [file(b)] }))).rejects.toThrow(/không còn/);
    expect(await count()).toBe(before);
    // Nothing half-written: the next dossier takes the next number.
    const next = await h.service.submit(filing());
    expect(Number(next.dossier.code.split('-').at(-1))).toBe(
      Number(first.dossier.code.split('-').at(-1)) + 1,
    );
  });
});

describe('the one-stop workflow', () => {
  it('runs a dossier from submission to the returned result, with the history the national portal expects', async () => {
    h.clock.set('2026-11-30 08:00'); // Monday
    const { dossier } = await h.service.submit(filing());
    const code = dossier.code;
    expect(show(dossier.dueAt)).toBe('2026-12-14 08:00');

    h.clock.set('2026-11-30 09:00');
    let d = await h.service.act({ accountId: receiver.id, code, action: 'receive' });
    expect(d).toMatchObject({ state: 'received', status: 2, receivedAt: vn('2026-11-30 09:00') });
    h.clock.set('2026-11-30 10:00');
    d = await h.service.act({ accountId: receiver.id, code, action: 'forward' });
    expect(d).toMatchObject({ state: 'processing', status: 4 });
    expect(d.stepDueAt).toEqual(d.dueAt);

    // A supplement request stops the clock from Tuesday 08:00 to Wednesday noon.
    h.clock.set('2026-12-01 08:00');
    d = await h.service.act({
      accountId: processor.id,
      code,
      action: 'request-supplement',
      reason: 'Bổ sung bản sao căn cước',
    });
    expect(d).toMatchObject({ state: 'supplement-requested', status: 5, pauseCount: 1 });
    expect(d.pausedSince).toEqual(vn('2026-12-01 08:00'));
    expect(d.deadline.flag).toBe('paused');
    expect(d.dueAt).toEqual(vn('2026-12-14 08:00'));
    h.clock.set('2026-12-02 12:00');
    d = await h.service.act({ accountId: citizen.id, code, action: 'supplement-received' });
    expect(d).toMatchObject({ state: 'processing', status: 4, pausedSince: null, pausedMinutes: 690 });
    // 690 working minutes (Tuesday 08:00–17:00 and Wednesday 07:00–11:30) later: 15 December 11:30.
    expect(show(d.dueAt)).toBe('2026-12-15 11:30');

    h.clock.set('2026-12-03 09:00');
    d = await h.service.act({ accountId: processor.id, code, action: 'request-payment' });
    expect(d).toMatchObject({ state: 'payment-requested', status: 6 });
    h.clock.set('2026-12-03 10:00');
    d = await h.service.act({ accountId: cashier.id, code, action: 'record-payment' });
    expect(d).toMatchObject({ state: 'processing', status: 4 });

    h.clock.set('2026-12-07 14:00');
    d = await h.service.act({ accountId: approver.id, code, action: 'approve' });
    expect(d).toMatchObject({ state: 'resolved', status: 9, outcome: 'approved' });
    expect(d.finishedAt).toEqual(vn('2026-12-07 14:00'));
    expect(d.deadline).toEqual({ finished: true, flag: 'early' });

    h.clock.set('2026-12-08 08:00');
    d = await h.service.act({ accountId: receiver.id, code, action: 'return-result' });
    expect(d).toMatchObject({
      state: 'returned',
      status: 10,
      returnedAt: vn('2026-12-08 08:00'),
      allowedActions: [],
    });

    expect(
      d.history.map((r) => [
        r.action,
        r.status,
        r.actor.name,
        r.actor.title,
        r.actor.department,
        r.agencyCode,
      ]),
    ).toEqual([
      ['submit', 1, 'Nguyễn Văn Minh', null, null, null],
      ['receive', 2, 'Đỗ Tiếp Nhận', 'Chuyên viên', 'Phòng TTPVHCC-01', 'TTPVHCC-01'],
      ['forward', 4, 'Đỗ Tiếp Nhận', 'Chuyên viên', 'Phòng TTPVHCC-01', 'TTPVHCC-01'],
      ['request-supplement', 5, 'Lê Thẩm Định', 'Chuyên viên', 'Phòng UBND-01', 'STP-01'],
      ['supplement-received', 4, 'Nguyễn Văn Minh', null, null, null],
      ['request-payment', 6, 'Lê Thẩm Định', 'Chuyên viên', 'Phòng UBND-01', 'STP-01'],
      ['record-payment', 4, 'Ngô Thu Ngân', 'Chuyên viên', 'Phòng TTPVHCC-01', 'TTPVHCC-01'],
      ['approve', 9, 'Trần Phê Duyệt', 'Chuyên viên', 'Phòng UBND-01', 'STP-01'],
      ['return-result', 10, 'Đỗ Tiếp Nhận', 'Chuyên viên', 'Phòng TTPVHCC-01', 'TTPVHCC-01'],
    ]);
    // NgayBatDau and NgayKetThucTheoQuyDinh: the step each action completed, and when it was due.
    const receive = d.history[1]!;
    expect(receive.stepStartedAt).toEqual(vn('2026-11-30 08:00'));
    expect(receive.stepDueAt).toEqual(vn('2026-12-01 08:00'));
    expect(d.history[3]!).toMatchObject({
      form: '02',
      content: 'Yêu cầu bổ sung, hoàn thiện hồ sơ: Bổ sung bản sao căn cước',
    });
    expect(d.history[4]!.details).toEqual({ pausedWorkingMinutes: 690 });

    const events = await outbox(code);
    expect(events.map((e) => [e.topic, (e.payload.to as { status: number }).status])).toEqual([
      ['dossier.status-changed', 1],
      ['dossier.status-changed', 2],
      ['dossier.status-changed', 4],
      ['dossier.status-changed', 5],
      ['dossier.status-changed', 4],
      ['dossier.status-changed', 6],
      ['dossier.status-changed', 4],
      ['dossier.status-changed', 9],
      ['dossier.status-changed', 10],
    ]);
    expect((await audit(code)).map((a) => a.action)).toEqual([
      'dossier.submit',
      'dossier.receive',
      'dossier.forward',
      'dossier.request-supplement',
      'dossier.supplement-received',
      'dossier.request-payment',
      'dossier.record-payment',
      'dossier.approve',
      'dossier.return-result',
    ]);
    expect((await verifyAuditChain(h.database.db)).ok).toBe(true);
    const pauses = await sql<{ working_minutes: number }>`
      select working_minutes from dossiers.clock_pauses where dossier_code = ${code}`.execute(h.database.db);
    expect(pauses.rows).toEqual([{ working_minutes: 690 }]);
  });

  it('refuses an action not allowed now with 409 naming the state and the allowed actions', async () => {
    h.clock.set('2026-12-01 09:00');
    const { dossier } = await h.service.submit(filing());
    const error = await h.service
      .act({ accountId: approver.id, code: dossier.code, action: 'approve' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).extras).toEqual({ state: 'submitted', status: 1, allowedActions: [] });
    const forReceiver = await h.service
      .act({ accountId: receiver.id, code: dossier.code, action: 'forward' })
      .catch((e: unknown) => e);
    expect((forReceiver as ConflictError).extras).toMatchObject({
      state: 'submitted',
      allowedActions: ['receive', 'refuse'],
    });
    await expect(
      h.service.act({ accountId: receiver.id, code: dossier.code, action: 'nonsense' }),
    ).rejects.toThrow(ConflictError);
  });

  it('answers 403 to someone in scope without the role, 400 without a needed reason', async () => {
    h.clock.set('2026-12-01 09:00');
    const { dossier } = await h.service.submit(filing());
    // The applicant sees the dossier but cannot receive it.
    await expect(
      h.service.act({ accountId: citizen.id, code: dossier.code, action: 'receive' }),
    ).rejects.toThrow(ForbiddenError);
    await expect(
      h.service.act({ accountId: receiver.id, code: dossier.code, action: 'refuse' }),
    ).rejects.toThrow(ValidationError);
    await expect(
      h.service.act({ accountId: receiver.id, code: dossier.code, action: 'refuse', reason: '   ' }),
    ).rejects.toThrow(ValidationError);
    const refused = await h.service.act({
      accountId: receiver.id,
      code: dossier.code,
      action: 'refuse',
      reason: 'Thiếu tờ khai',
    });
    expect(refused).toMatchObject({ state: 'refused', status: 3, allowedActions: [] });
    expect(refused.finishedAt).toEqual(vn('2026-12-01 09:00'));
    expect(refused.history[1]).toMatchObject({ form: '03', details: { reason: 'Thiếu tờ khai' } });
  });

  it('lets the applicant withdraw, and stops an open pause with the dossier', async () => {
    h.clock.set('2026-12-01 09:00');
    const { dossier } = await h.service.submit(filing());
    const code = dossier.code;
    await h.service.act({ accountId: receiver.id, code, action: 'receive' });
    await h.service.act({ accountId: receiver.id, code, action: 'forward' });
    await h.service.act({ accountId: processor.id, code, action: 'request-supplement', reason: 'Ảnh 4x6' });
    h.clock.set('2026-12-01 11:00');
    const d = await h.service.act({ accountId: citizen.id, code, action: 'withdraw' });
    expect(d).toMatchObject({ state: 'withdrawn', status: 7, pausedSince: null, pausedMinutes: 120 });
    const open = await sql<{ n: number }>`
      select count(*)::int as n from dossiers.clock_pauses where dossier_code = ${code} and ended_at is null`.execute(
      h.database.db,
    );
    expect(open.rows[0]!.n).toBe(0);
  });

  it('extends with a new date and a reason (form 04); a later pause moves the new date', async () => {
    h.clock.set('2026-12-01 09:00');
    const { dossier } = await h.service.submit(filing());
    const code = dossier.code;
    await h.service.act({ accountId: receiver.id, code, action: 'receive' });
    await h.service.act({ accountId: receiver.id, code, action: 'forward' });
    h.clock.set('2026-12-15 10:00'); // the due date (15 December 09:00) has passed
    expect((await h.service.get(citizen.id, code)).deadline.flag).toBe('overdue');
    await expect(
      h.service.act({ accountId: processor.id, code, action: 'extend', reason: 'Chờ xác minh' }),
    ).rejects.toThrow(/ngày hẹn/i);
    await expect(
      h.service.act({
        accountId: processor.id,
        code,
        action: 'extend',
        reason: 'Chờ xác minh',
        newDueAt: vn('2026-12-14 17:00'),
      }),
    ).rejects.toThrow(ValidationError);
    let d = await h.service.act({
      accountId: processor.id,
      code,
      action: 'extend',
      reason: 'Chờ kết quả xác minh của cơ quan công an',
      newDueAt: vn('2026-12-18 17:00'),
    });
    expect(d).toMatchObject({ state: 'processing', extensionCount: 1, dueAt: vn('2026-12-18 17:00') });
    expect(d.stepDueAt).toEqual(vn('2026-12-18 17:00'));
    expect(d.history.at(-1)).toMatchObject({
      action: 'extend',
      form: '04',
      fromState: 'processing',
      toState: 'processing',
      details: { previousDueAt: '2026-12-15T02:00:00.000Z', newDueAt: '2026-12-18T10:00:00.000Z' },
    });
    expect((await outbox(code)).at(-1)).toMatchObject({ topic: 'dossier.extended' });

    h.clock.set('2026-12-16 08:00');
    await h.service.act({ accountId: processor.id, code, action: 'request-supplement', reason: 'Bổ sung' });
    h.clock.set('2026-12-16 10:00');
    d = await h.service.act({ accountId: citizen.id, code, action: 'supplement-received' });
    // Two working hours later than the new date: 18 December 17:00 → 21 December 09:00.
    expect(show(d.dueAt)).toBe('2026-12-21 09:00');
  });

  it('applies an action only to the revision it was decided on', async () => {
    h.clock.set('2026-12-01 09:00');
    const { dossier } = await h.service.submit(filing());
    await expect(
      h.service.act({ accountId: receiver.id, code: dossier.code, action: 'receive', expectedRevision: 7 }),
    ).rejects.toThrow(ConflictError);
    const second = h.officer('TTPVHCC-01', ['receiver']);
    const results = await Promise.allSettled([
      h.service.act({ accountId: receiver.id, code: dossier.code, action: 'receive' }),
      h.service.act({ accountId: second.id, code: dossier.code, action: 'receive' }),
      h.service.act({ accountId: receiver.id, code: dossier.code, action: 'refuse', reason: 'Trùng' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    const d = await h.service.get(citizen.id, dossier.code);
    expect(d.revision).toBe(2);
    expect(d.history).toHaveLength(2);
  });
});

describe('who may see and act', () => {
  it('hides a dossier from officers of another agency and from other citizens (404, like a missing one)', async () => {
    h.clock.set('2026-12-01 09:00');
    const { dossier } = await h.service.submit(filing());
    const stranger = h.account();
    const ministryOfficer = h.officer('BTP', ['receiver', 'processor', 'approver']);
    for (const accountId of [stranger.id, hcmReceiver.id, ministryOfficer.id]) {
      await expect(h.service.get(accountId, dossier.code)).rejects.toThrow(NotFoundError);
      await expect(h.service.act({ accountId, code: dossier.code, action: 'receive' })).rejects.toThrow(
        NotFoundError,
      );
    }
    await expect(h.service.get(citizen.id, '000.00.00.H26-261201-9999')).rejects.toThrow(NotFoundError);
  });

  it('lets officers with a role where the dossier is see it, roles at an agency above included', async () => {
    h.clock.set('2026-12-01 09:00');
    const { dossier } = await h.service.submit(filing());
    expect((await h.service.get(receiver.id, dossier.code)).allowedActions).toEqual(['receive', 'refuse']);
    expect((await h.service.get(processor.id, dossier.code)).allowedActions).toEqual([]);
    // A receiver granted at the People's Committee covers its one-stop centre.
    const above = h.officer('UBND-01', ['receiver']);
    expect((await h.service.get(above.id, dossier.code)).allowedActions).toEqual(['receive', 'refuse']);
    // A processor at the one-stop centre is not at the competent agency: out of scope.
    const misplaced = h.officer('TTPVHCC-01', ['processor']);
    await expect(h.service.get(misplaced.id, dossier.code)).rejects.toThrow(NotFoundError);
  });

  it('lets a business’s delegate file and follow its dossiers; the business owns them', async () => {
    h.clock.set('2026-12-01 09:00');
    const business = h.account('Công ty TNHH Ánh Dương');
    const delegate = h.account('Phạm Ủy Quyền');
    const input = filing({
      accountId: delegate.id,
      applicant: { accountId: business.id, kind: 'business', name: business.name },
      procedureCode: '1.001612',
    });
    await expect(h.service.submit(input)).rejects.toThrow(ForbiddenError);
    h.delegate(delegate.id, business.id, ['1.001612']);
    const { dossier } = await h.service.submit(input);
    expect(dossier).toMatchObject({
      applicant: { accountId: business.id, kind: 'business' },
      filedBy: delegate.id,
    });
    expect(dossier.history[0]).toMatchObject({
      actor: { name: 'Phạm Ủy Quyền' },
      details: { onBehalfOf: business.id },
    });
    expect((await h.service.get(business.id, dossier.code)).allowedActions).toEqual(['withdraw']);
    expect((await h.service.get(delegate.id, dossier.code)).code).toBe(dossier.code);
    // A delegate for other procedures only does not see it.
    const other = h.account();
    h.delegate(other.id, business.id, ['2.000815']);
    await expect(h.service.get(other.id, dossier.code)).rejects.toThrow(NotFoundError);
    // A citizen cannot be acted for.
    await expect(
      h.service.submit(
        filing({
          accountId: delegate.id,
          applicant: { accountId: citizen.id, kind: 'citizen', name: citizen.name },
        }),
      ),
    ).rejects.toThrow(ForbiddenError);
  });
});

describe('the catalogue as the source of procedures', () => {
  it('files a published procedure of the catalogue under its current version', async () => {
    const catalogue = createCatalogueModule({
      db: h.database.db,
      clock: h.clock,
      can: async () => false,
      agenciesWhere: async () => [],
      agencies: async () => [],
      provinces: async () => [],
      subtreeOf: async () => [],
    }).service;
    const source = procedureSourceFrom(catalogue);
    expect(await source.find('9.999999')).toBeUndefined();
    const judicialRecord = await source.find('2.000505');
    expect(judicialRecord).toMatchObject({
      code: '2.000505',
      levels: ['province'],
      audiences: ['citizen'],
      after15hRule: false,
    });
    expect(judicialRecord!.channels.map((c) => c.channel)).toContain('online');
    h.clock.set('2026-12-01 09:00');
    const { dossier } = await h.serviceWith(source).submit(filing());
    expect(dossier).toMatchObject({
      procedure: { code: '2.000505', version: judicialRecord!.version, name: judicialRecord!.name },
      competentAgencyCode: 'STP-01',
    });
  });
});

describe('overdue', () => {
  it('is the same in the inbox’s SQL as in the pages (domain isOverdue), whatever the dates', async () => {
    const { dossier } = await h.service.submit(filing());
    const at = (n: number) => new Date(Date.UTC(2026, 10, 24, 0, 0) + n * 3_600_000);
    // Few distinct hours, so equal moments (the edges) come up often.
    const instant = fc.option(fc.integer({ min: 0, max: 4 }), { nil: null, freq: 2 });
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          due: fc.integer({ min: 0, max: 4 }),
          paused: instant,
          finished: instant,
          returned: instant,
        }),
        fc.integer({ min: 0, max: 4 }),
        async (d, now) => {
          const row = {
            dueAt: at(d.due),
            pausedSince: d.paused === null ? null : at(d.paused),
            finishedAt: d.finished === null ? null : at(d.finished),
            returnedAt: d.returned === null ? null : at(d.returned),
          };
          await sql`update dossiers.dossiers set due_at = ${row.dueAt}, paused_since = ${row.pausedSince},
                      finished_at = ${row.finishedAt}, returned_at = ${row.returnedAt}
                     where code = ${dossier.code}`.execute(h.database.db);
          const r = await sql<{ overdue: boolean }>`
            select ${overdueWhere(at(now))} as overdue from dossiers.dossiers where code = ${dossier.code}`.execute(
            h.database.db,
          );
          expect(r.rows[0]!.overdue).toBe(isOverdue(row, at(now)));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('storage', () => {
  it('keeps history in the partitioned table, and monthly partitions can be made ahead', async () => {
    const r = await sql<{
      name: string;
    }>`select dossiers.create_history_partition('2027-01-15') as name`.execute(h.database.db);
    expect(r.rows[0]!.name).toBe('history_2027_01');
    h.clock.set('2027-01-05 09:00');
    const { dossier } = await h.service.submit(filing());
    const where = await sql<{ partition: string }>`
      select tableoid::regclass::text as partition from dossiers.history where dossier_code = ${dossier.code}`.execute(
      h.database.db,
    );
    expect(where.rows).toEqual([{ partition: 'dossiers.history_2027_01' }]);
  });

  it('stores attachment metadata with the dossier', async () => {
    h.clock.set('2026-12-01 09:00');
    const sha = 'a'.repeat(64);
    const { dossier } = await h.service.submit(
      filing({
        attachments: [
          {
            documentCode: 'TK-LLTP',
            fileName: 'tờ khai.pdf',
            mediaType: 'application/pdf',
            sizeBytes: 1234,
            sha256: sha,
            blobKey: `k/${randomUUID()}`,
          },
        ],
      }),
    );
    expect(dossier.attachments).toEqual([
      expect.objectContaining({
        documentCode: 'TK-LLTP',
        fileName: 'tờ khai.pdf',
        sizeBytes: 1234,
        sha256: sha,
        purpose: 'application',
      }),
    ]);
  });

  it('has a comment on every column of its tables', async () => {
    const r = await sql<{ col: string }>`
      select c.relname || '.' || a.attname as col
        from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'dossiers' and c.relkind in ('r', 'p') and not c.relispartition
         and a.attnum > 0 and not a.attisdropped and col_description(c.oid, a.attnum) is null`.execute(
      h.database.db,
    );
    expect(r.rows).toEqual([]);
  });
});
