/**
 * Appointments over HTTP on a fresh database (PGlite; PostgreSQL with DATABASE_URL): offices and slots,
 * booking with an Idempotency-Key, holds, rescheduling and cancelling, the counter's side, reminders — and
 * the last place of a slot raced by 200 real concurrent HTTP requests, of which exactly one wins.
 */
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/helpers/browser.ts';
import type { TestAccount } from '../../../../test/helpers/sessions.ts';
import { appointmentsHarness, type Harness, vn } from './appointments.test-support.ts';

let h: Harness;
const db = () => h.database.db;
const OFFICE = 'UBND-00070';
// Monday 7 December 2026, 09:00 in Hà Nội; Tuesday the 8th is an ordinary working day.
const START = '2026-12-07 09:00';

beforeAll(async () => {
  h = await appointmentsHarness(START);
});
afterAll(async () => {
  await h?.close();
});

const call = (
  who: TestAccount | null,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) =>
  h.app.inject({
    method,
    url,
    headers: { ...(who ? { cookie: `sid=${who.token}` } : {}), ...headers },
    ...(body !== undefined ? { payload: body as object } : {}),
  });

let keys = 0;
const book = (who: TestAccount, body: Record<string, unknown>, key = `k-${++keys}`) =>
  call(who, 'POST', '/api/v1/certification/appointments', body, { 'idempotency-key': key });

const slotsOf = async (day: string) => {
  const r = await call(null, 'GET', `/api/v1/certification/offices/${OFFICE}/slots?from=${day}&to=${day}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json().items as Array<{ start: string; onlineRemaining: number }>;
};

describe('offices and slots', () => {
  it('lists the offices of a commune or province', async () => {
    const all = await call(null, 'GET', '/api/v1/certification/offices');
    expect(all.statusCode).toBe(200);
    expect(
      all
        .json()
        .items.map((o: { code: string }) => o.code)
        .sort(),
    ).toEqual(['UBND-00004', 'UBND-00070', 'UBND-26743']);
    const hcm = await call(null, 'GET', '/api/v1/certification/offices?province=79');
    expect(hcm.json().items).toEqual([
      expect.objectContaining({
        code: 'UBND-26743',
        kind: 'commune',
        communeCode: '26743',
        provinceCode: '79',
      }),
    ]);
    const commune = await call(null, 'GET', '/api/v1/certification/offices?commune=00070');
    expect(commune.json().items).toHaveLength(1);
    expect((await call(null, 'GET', '/api/v1/certification/offices?commune=7')).statusCode).toBe(400);
  });

  it('derives the day’s slots from the rules, none at the weekend, with the places left', async () => {
    const tuesday = await slotsOf('2026-12-08');
    // 7:30–11:30 and 13:30–17:00 in 30 minutes: 8 + 7 slots of 3 online places.
    expect(tuesday).toHaveLength(15);
    expect(tuesday[0]).toMatchObject({ start: vn('2026-12-08 07:30').toISOString(), onlineRemaining: 3 });
    expect(tuesday.at(-1)!.start).toBe(vn('2026-12-08 16:30').toISOString());
    expect(await slotsOf('2026-12-12')).toEqual([]);
    // Today: only what has not started yet (it is 9:00).
    const today = await slotsOf('2026-12-07');
    expect(today[0]!.start).toBe(vn('2026-12-07 09:30').toISOString());
  });

  it('refuses bad ranges and unknown offices with a problem', async () => {
    const bad = await call(
      null,
      'GET',
      `/api/v1/certification/offices/${OFFICE}/slots?from=2026-12-10&to=2026-12-08`,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const long = await call(
      null,
      'GET',
      `/api/v1/certification/offices/${OFFICE}/slots?from=2026-12-08&to=2027-02-08`,
    );
    expect(long.statusCode).toBe(400);
    const unknown = await call(
      null,
      'GET',
      '/api/v1/certification/offices/UBND-99999/slots?from=2026-12-08&to=2026-12-08',
    );
    expect(unknown.statusCode).toBe(404);
  });
});

describe('booking', () => {
  const start = vn('2026-12-08 08:00').toISOString();

  it('needs a signed-in person and an Idempotency-Key', async () => {
    const anon = await call(
      null,
      'POST',
      '/api/v1/certification/appointments',
      { office: OFFICE, start },
      {
        'idempotency-key': 'x',
      },
    );
    expect(anon.statusCode).toBe(401);
    const c = await h.citizen();
    const noKey = await call(c, 'POST', '/api/v1/certification/appointments', {
      office: OFFICE,
      start,
      documents: 'Giấy khai sinh',
    });
    expect(noKey.statusCode).toBe(400);
  });

  it('books with a queue number; the same key and body answer the same, another body is 409', async () => {
    const c = await h.citizen('Nguyễn Văn Đặt');
    const body = { office: OFFICE, start, documents: 'Giấy khai sinh, bằng tốt nghiệp', copies: 2 };
    const first = await book(c, body, 'dat-1');
    expect(first.statusCode, first.body).toBe(201);
    const a = first.json();
    expect(a).toMatchObject({
      office: OFFICE,
      status: 'booked',
      start,
      queueNumber: expect.any(Number),
      copies: 2,
    });
    const again = await book(c, body, 'dat-1');
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(a.id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await book(c, { ...body, copies: 3 }, 'dat-1');
    expect(other.statusCode).toBe(409);
    const mine = await call(c, 'GET', '/api/v1/certification/appointments');
    expect(mine.json().items.map((x: { id: string }) => x.id)).toEqual([a.id]);
    // Another person does not see it.
    const stranger = await h.citizen();
    expect((await call(stranger, 'GET', `/api/v1/certification/appointments/${a.id}`)).statusCode).toBe(404);
    expect(
      (await call(stranger, 'POST', `/api/v1/certification/appointments/${a.id}/cancel`)).statusCode,
    ).toBe(404);
    // The confirmation was queued for the account's inbox and e-mail.
    const n = await sql<{ n: number }>`
      select count(*)::int as n from notifications.messages where template = 'appointment.booked'`.execute(
      db(),
    );
    expect(Number(n.rows[0]!.n)).toBeGreaterThanOrEqual(1);
  });

  it('refuses a time that is not a slot, and a day off', async () => {
    const c = await h.citizen();
    const odd = await book(c, {
      office: OFFICE,
      start: vn('2026-12-08 08:10').toISOString(),
      documents: 'x',
    });
    expect(odd.statusCode).toBe(400);
    const sunday = await book(c, {
      office: OFFICE,
      start: vn('2026-12-13 08:00').toISOString(),
      documents: 'x',
    });
    expect(sunday.statusCode).toBe(400);
    const past = await book(c, {
      office: OFFICE,
      start: vn('2026-12-07 08:00').toISOString(),
      documents: 'x',
    });
    expect(past.statusCode).toBe(400);
  });

  it('reschedules and cancels, giving the place back', async () => {
    const c = await h.citizen();
    const from = vn('2026-12-09 09:00').toISOString();
    const to = vn('2026-12-09 10:00').toISOString();
    const r = await book(c, { office: OFFICE, start: from, documents: 'Sổ hộ khẩu' });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id;
    const remaining = async (iso: string) =>
      (await slotsOf('2026-12-09')).find((s) => s.start === iso)!.onlineRemaining;
    expect(await remaining(from)).toBe(2);
    const moved = await call(c, 'POST', `/api/v1/certification/appointments/${id}/reschedule`, { start: to });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ start: to, status: 'booked' });
    expect(await remaining(from)).toBe(3);
    expect(await remaining(to)).toBe(2);
    const cancelled = await call(c, 'POST', `/api/v1/certification/appointments/${id}/cancel`);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', allowedActions: [] });
    expect(await remaining(to)).toBe(3);
    // Cancelling again answers the same; rescheduling a cancelled one is a conflict naming the state.
    expect((await call(c, 'POST', `/api/v1/certification/appointments/${id}/cancel`)).statusCode).toBe(200);
    const late = await call(c, 'POST', `/api/v1/certification/appointments/${id}/reschedule`, {
      start: from,
    });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ state: 'cancelled', allowedActions: [] });
  });

  it('holds a place for ten minutes, then confirms; a lapsed hold gives it back', async () => {
    const c = await h.citizen();
    const start = vn('2026-12-10 14:00').toISOString();
    const held = await book(c, { office: OFFICE, start, hold: true });
    expect(held.statusCode, held.body).toBe(201);
    expect(held.json()).toMatchObject({ status: 'held', queueNumber: null });
    const ok = await call(c, 'POST', `/api/v1/certification/appointments/${held.json().id}/confirm`, {
      documents: 'Hộ chiếu',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'booked', queueNumber: 1, documents: 'Hộ chiếu' });

    const slow = await book(c, { office: OFFICE, start: vn('2026-12-10 14:30').toISOString(), hold: true });
    h.clock.set(new Date(vn(START).getTime() + 11 * 60_000));
    try {
      const lapsed = await call(c, 'POST', `/api/v1/certification/appointments/${slow.json().id}/confirm`, {
        documents: 'Hộ chiếu',
      });
      expect(lapsed.statusCode).toBe(409);
      expect(lapsed.json().allowedActions).toEqual(['expire']);
      const remaining = async () =>
        (await slotsOf('2026-12-10')).find((x) => x.start === vn('2026-12-10 14:30').toISOString())!
          .onlineRemaining;
      // Lapsed holds are free places at once, before the job sweeps them and after.
      expect(await remaining()).toBe(3);
      expect(await h.appointments.service.expireHolds()).toBe(1);
      expect(await remaining()).toBe(3);
    } finally {
      h.clock.set(START);
    }
  });
});

describe('the last place of a slot', () => {
  it('goes to exactly one of 200 simultaneous HTTP requests; the others hear "Khung giờ đã hết chỗ"', async () => {
    const start = vn('2026-12-11 10:00');
    // Two of the three online places are taken.
    for (let i = 0; i < 2; i++) {
      const r = await book(await h.citizen(), {
        office: OFFICE,
        start: start.toISOString(),
        documents: 'CCCD',
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const racers: TestAccount[] = [];
    for (let i = 0; i < 200; i++) racers.push(await h.citizen());
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}/api/v1/certification/appointments`;
    const answers = await Promise.all(
      racers.map(async (who, i) => {
        const r = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            cookie: `sid=${who.token}`,
            'idempotency-key': `race-${i}`,
          },
          body: JSON.stringify({ office: OFFICE, start: start.toISOString(), documents: 'Giấy khai sinh' }),
        });
        return { status: r.status, body: (await r.json()) as { detail?: string } };
      }),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(199);
    expect(
      answers.filter((a) => a.status === 409).every((a) => a.body.detail?.includes('Khung giờ đã hết chỗ')),
    ).toBe(true);
    const racersBooked = await sql<{ n: number }>`
      select count(*)::int as n from documents.appointments where idempotency_key like 'race-%'`.execute(
      db(),
    );
    expect(Number(racersBooked.rows[0]!.n)).toBe(1);
    const held = await sql<{ n: number }>`
      select count(*)::int as n from documents.appointments
       where agency_code = ${OFFICE} and starts_at = ${start} and status in ('held', 'booked')`.execute(db());
    expect(Number(held.rows[0]!.n)).toBe(3);
    const counter = await sql<{ online_taken: number }>`
      select online_taken from documents.slot_counters where agency_code = ${OFFICE} and starts_at = ${start}`.execute(
      db(),
    );
    expect(Number(counter.rows[0]!.online_taken)).toBe(3);
  });
});

describe('the office’s side', () => {
  it('takes walk-ins on counter places, lists the day by queue number, marks served and no-show', async () => {
    const certifier = await h.officer(OFFICE, ['certifier', 'cashier']);
    const c = await h.citizen('Trần Thị Hẹn');
    // Booked a week ahead (the sessions of the test live in real time: HTTP first, then the clock moves).
    const r = await book(c, {
      office: OFFICE,
      start: vn('2026-12-14 08:00').toISOString(),
      documents: 'Bằng lái xe',
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id;
    try {
      h.clock.set('2026-12-14 08:05');
      const s = h.appointments.service;
      const w1 = await s.walkIn(certifier.id, OFFICE, {
        name: 'Lê Văn Đến',
        idNumber: '001090000001',
        documents: 'CCCD',
      });
      expect(w1).toMatchObject({ channel: 'counter', status: 'booked', startsAt: vn('2026-12-14 08:00') });
      await s.walkIn(certifier.id, OFFICE, { name: 'Người thứ hai', documents: 'Giấy khai sinh' });
      await expect(s.walkIn(certifier.id, OFFICE, { name: 'Người thứ ba', documents: 'x' })).rejects.toThrow(
        /hết chỗ/,
      );
      const day = await s.dayList(certifier.id, OFFICE, '2026-12-14');
      expect(day.appointments.map((a) => a.queueNumber)).toEqual([1, 2, 3]);
      // The counter finds the booking by its queue number or id.
      const found = await h.appointments.appointmentForCounter(OFFICE, '1', '2026-12-14');
      expect(found).toMatchObject({ id, name: 'Trần Thị Hẹn', accountId: c.id, documents: 'Bằng lái xe' });
      expect(await h.appointments.appointmentForCounter('UBND-00004', id, '2026-12-14')).toBeUndefined();
      expect((await h.appointments.appointmentForOfficer(certifier.id, id))?.id).toBe(id);
      expect(await h.appointments.appointmentForOfficer(c.id, id)).toBeUndefined();
      const certification = '5f0c8a4e-3f5e-4b7a-9d55-0a1d2c3e4f50';
      await h.appointments.markServed(id, certification);
      await h.appointments.markServed(id, certification);
      expect((await h.appointments.appointmentForCounter(OFFICE, id, '2026-12-14'))!.status).toBe('served');
      const marked = await s.mark(certifier.id, w1.id, 'no-show');
      expect(marked.status).toBe('no-show');
      // Another office's officer, or a citizen, finds nothing.
      const elsewhere = await h.officer('UBND-00004', ['certifier']);
      await expect(s.dayList(elsewhere.id, OFFICE, '2026-12-14')).rejects.toThrow(/Không tìm thấy/);
      await expect(s.mark(elsewhere.id, id, 'serve')).rejects.toThrow(/Không tìm thấy/);
    } finally {
      h.clock.set(START);
    }
  });

  it('publishes rules that change the slots, refusing bad ones by field', async () => {
    const admin = await h.officer('UBND-00004', ['agency-admin']);
    const s = h.appointments.service;
    await expect(
      s.setRules(admin.id, 'UBND-00004', [
        {
          weekdays: [6],
          startTime: '09:00',
          endTime: '08:00',
          slotMinutes: 30,
          onlineCapacity: 1,
          counterCapacity: 0,
          validFrom: '2026-12-01',
          validTo: null,
        },
      ]),
    ).rejects.toMatchObject({ extras: { errors: [{ path: 'rules.0.endTime' }] } });
    await s.setRules(admin.id, 'UBND-00004', [
      {
        weekdays: [6],
        startTime: '08:00',
        endTime: '10:00',
        slotMinutes: 60,
        onlineCapacity: 5,
        counterCapacity: 1,
        validFrom: '2026-12-01',
        validTo: null,
      },
    ]);
    const r = await call(
      null,
      'GET',
      '/api/v1/certification/offices/UBND-00004/slots?from=2026-12-07&to=2026-12-13',
    );
    expect(
      r.json().items.map((x: { start: string; onlineRemaining: number }) => [x.start, x.onlineRemaining]),
    ).toEqual([
      [vn('2026-12-12 08:00').toISOString(), 5],
      [vn('2026-12-12 09:00').toISOString(), 5],
    ]);
    const citizen = await h.citizen();
    await expect(s.setRules(citizen.id, 'UBND-00004', [])).rejects.toThrow(/Không tìm thấy/);
  });

  it('reminds everyone booked for tomorrow, once', async () => {
    const c = await h.citizen();
    const r = await book(c, {
      office: OFFICE,
      start: vn('2026-12-08 15:00').toISOString(),
      documents: 'Giấy tờ',
    });
    expect(r.statusCode).toBe(201);
    const s = h.appointments.service;
    expect(await s.sendReminders(vn('2026-12-07 05:00'))).toBe(0);
    const sent = await s.sendReminders(vn('2026-12-07 18:00'));
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(await s.sendReminders(vn('2026-12-07 19:00'))).toBe(0);
    const n = await sql<{ n: number }>`
      select count(*)::int as n from notifications.inbox where template = 'appointment.reminder' and account_id = ${c.id}`.execute(
      db(),
    );
    expect(Number(n.rows[0]!.n)).toBe(1);
  });
});

describe('pages', () => {
  const browser = (who?: TestAccount) => {
    const c = new FormClient(h.app);
    if (who) c.cookies.set('sid', who.token);
    return c;
  };

  it('explain certification and its fee, list offices, and show an office’s slots to anyone', async () => {
    const b = browser();
    const home = await b.get('/chung-thuc-ban-sao');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('2.000 đồng/trang');
    expect(home.body).toContain('200.000 đồng');
    expect(home.body).toContain('/chung-thuc-ban-sao/UBND-00070');
    const hcm = await b.get('/chung-thuc-ban-sao?tinh=79');
    expect(hcm.body).toContain('Bến Thành');
    expect(hcm.body).not.toContain('Hoàn Kiếm');
    const office = await b.get('/chung-thuc-ban-sao/UBND-00070?tu=2026-12-08');
    expect(office.statusCode).toBe(200);
    expect(office.body).toContain('Đăng nhập để đặt lịch');
    expect(office.body).toContain('07:30–08:00');
    expect(office.body).not.toContain('giu-cho');
  });

  it('hold a slot, refuse a confirmation without documents by the field, then confirm with a queue number', async () => {
    const c = await h.citizen('Phạm Thị Trang');
    const b = browser(c);
    await b.get('/chung-thuc-ban-sao/UBND-00070?tu=2026-12-15');
    const held = await b.post('/chung-thuc-ban-sao/UBND-00070/giu-cho', {
      gio: vn('2026-12-15 09:00').toISOString(),
      khoa: 'form-1',
    });
    expect(held.statusCode, held.body).toBe(303);
    const page = String(held.headers.location);
    expect(page).toMatch(/^\/tai-khoan\/lich-hen\/[0-9a-f-]{36}$/);
    const detail = await b.get(page);
    expect(detail.body).toContain('Xác nhận đặt lịch');
    const empty = await b.post(`${page}/xac-nhan`, { documents: '  ', copies: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('id="documents-loi"');
    expect(empty.body).toContain('aria-invalid="true"');
    const ok = await b.post(`${page}/xac-nhan`, { documents: 'Giấy khai sinh', copies: '2' });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('Số thứ tự của bạn: 1');
    const list = await b.get('/tai-khoan/lich-hen');
    expect(list.body).toContain(page);
    const cancelled = await b.post(`${page}/huy`, {});
    expect(cancelled.body).toContain('Đã hủy');
    // Signed out, the list sends to sign-in; another person's appointment is not found.
    expect((await browser().get('/tai-khoan/lich-hen')).statusCode).toBe(303);
    expect((await browser(await h.citizen()).get(page)).statusCode).toBe(404);
  });

  it('give the office its day, walk-ins and rules; nobody else', async () => {
    const certifier = await h.officer(OFFICE, ['certifier']);
    const b = browser(certifier);
    const day = await b.get('/quan-tri/chung-thuc/lich-hen?van-phong=UBND-00070&ngay=2026-12-07');
    expect(day.statusCode).toBe(200);
    const walkIn = await b.post(
      '/quan-tri/chung-thuc/lich-hen/tiep-nhan?van-phong=UBND-00070&ngay=2026-12-07',
      {
        'ho-ten': 'Đỗ Văn Vãng Lai',
        'so-dinh-danh': '001099000123',
        'giay-to': 'Bằng đại học',
      },
    );
    expect(walkIn.statusCode).toBe(303);
    expect(decodeURIComponent(String(walkIn.headers.location))).toContain('số thứ tự');
    const after = await b.get(String(walkIn.headers.location));
    expect(after.body).toContain('Đỗ Văn Vãng Lai (001099000123)');
    expect(after.body).toContain('Đã tiếp nhận');
    const rules = await b.get('/quan-tri/chung-thuc/lich-hen/quy-tac?van-phong=UBND-00070');
    expect(rules.statusCode).toBe(200);
    expect(rules.body).toContain('value="07:30"');
    const bad = await b.post('/quan-tri/chung-thuc/lich-hen/quy-tac?van-phong=UBND-00070', {
      'r0-thu1': '1',
      'r0-bat-dau': '07:30',
      'r0-ket-thuc': '07:00',
      'r0-phut': '30',
      'r0-truc-tuyen': '3',
      'r0-tai-quay': '2',
      'r0-tu-ngay': '2025-01-01',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Giờ kết thúc phải sau giờ bắt đầu');
    const citizen = browser(await h.citizen());
    expect((await citizen.get('/quan-tri/chung-thuc/lich-hen')).statusCode).toBe(404);
    const cashier = browser(await h.officer(OFFICE, ['cashier']));
    expect((await cashier.get('/quan-tri/chung-thuc/lich-hen')).statusCode).toBe(404);
  });
});

describe('the office’s API', () => {
  const HCM = 'UBND-26743';

  it('lets the office’s certifiers read and publish rules, list the day, take walk-ins and mark them; nobody else', async () => {
    const certifier = await h.officer(HCM, ['certifier']);
    const rules = await call(certifier, 'GET', `/api/v1/certification/offices/${HCM}/rules`);
    expect(rules.statusCode, rules.body).toBe(200);
    expect(rules.json().rules).toHaveLength(2);
    const bad = await call(certifier, 'PUT', `/api/v1/certification/offices/${HCM}/rules`, {
      rules: [{ ...rules.json().rules[0], startTime: '12:00', endTime: '11:00' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'rules.0.endTime' })]);
    const walkIn = await call(certifier, 'POST', `/api/v1/certification/offices/${HCM}/walk-ins`, {
      name: 'Võ Thị Quầy',
      documents: 'Giấy khai sinh',
    });
    expect(walkIn.statusCode, walkIn.body).toBe(201);
    expect(walkIn.json()).toMatchObject({
      channel: 'counter',
      queueNumber: 1,
      start: vn('2026-12-07 09:00').toISOString(),
    });
    const day = await call(
      certifier,
      'GET',
      `/api/v1/certification/offices/${HCM}/appointments?day=2026-12-07`,
    );
    expect(day.json().items.map((a: { name: string }) => a.name)).toEqual(['Võ Thị Quầy']);
    const served = await call(
      certifier,
      'POST',
      `/api/v1/certification/appointments/${walkIn.json().id}/served`,
    );
    expect(served.json().status).toBe('served');
    const again = await call(
      certifier,
      'POST',
      `/api/v1/certification/appointments/${walkIn.json().id}/no-show`,
    );
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ state: 'served', allowedActions: [] });

    const other = await h.officer(OFFICE, ['certifier']);
    expect((await call(other, 'GET', `/api/v1/certification/offices/${HCM}/rules`)).statusCode).toBe(404);
    expect(
      (await call(other, 'GET', `/api/v1/certification/offices/${HCM}/appointments?day=2026-12-07`))
        .statusCode,
    ).toBe(404);
    expect(
      (await call(other, 'POST', `/api/v1/certification/appointments/${walkIn.json().id}/served`)).statusCode,
    ).toBe(404);
    const citizen = await h.citizen();
    expect((await call(citizen, 'GET', `/api/v1/certification/offices/${HCM}/rules`)).statusCode).toBe(404);
    expect(
      (await call(null, 'PUT', `/api/v1/certification/offices/${HCM}/rules`, { rules: [] })).statusCode,
    ).toBe(401);
  });
});
