/**
 * The two ways an agency system talks to the portal: the REST sync API (client-credentials token, one
 * POST per batch) and the DVCQG-compatible adapter (login, then DongBoHoSoMC / CapNhatTienDoHoSoMC, as
 * written for the national portal). Both retry what can be retried — network errors, a portal that is
 * restarting, 5xx, 429 with Retry-After, the adapter's "busy" (9) and "log in again" (2) — until the batch
 * is answered or `giveUpAfterMs` has passed. Re-sending a batch is safe: the API is idempotent.
 */
import type { ExpectedRow, ProcedureInfo, SimEvent } from './generate.ts';
import { fetchOfficeDays, type OfficeDays } from './office-calendar.ts';

export interface Delivery {
  accepted: number;
  duplicate: number;
  rejected: number;
  reasons: Array<{ code: string | null; reason: string }>;
}

/** A dossier as the portal holds it, in the shape of the simulator's own record. */
export interface ReadBack {
  MaTTHC: string;
  TrangThaiHoSo: string;
  dates: Record<'NgayNopHoSo' | 'NgayTiepNhan' | 'NgayHenTra' | 'NgayKetThucXuLy' | 'NgayTra', string | null>;
  history: ExpectedRow[];
}

export interface Transport {
  catalogue(identifiers: string[], province?: string): Promise<ProcedureInfo[]>;
  deliver(items: SimEvent[]): Promise<Delivery>;
  read(code: string): Promise<ReadBack | undefined>;
}

export interface TransportOptions {
  url: string;
  clientId: string;
  clientSecret: string;
  /** Keep retrying one request this long before giving up. */
  giveUpAfterMs: number;
  /** One HTTP request's time limit. */
  timeoutMs: number;
  onRetry(reason: string, waitMs: number): void;
}

/** The portal could not be reached (or kept failing) for longer than the retry window. */
export class GiveUpError extends Error {}
/** An answer that retrying will not change (a bad request, wrong credentials): a bug or a setup mistake. */
export class FatalError extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function networkReason(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timeout';
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

/**
 * `fetch` with retries: network errors and 5xx with backoff (0.2 s doubling to 5 s), 429 and 503 after
 * their Retry-After. Returns any other answer (2xx, 4xx) to the caller.
 */
async function fetchRetrying(o: TransportOptions, url: string, init: () => RequestInit): Promise<Response> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    let reason: string;
    let wait = Math.min(5000, 200 * 2 ** attempt) * (0.5 + Math.random() / 2);
    try {
      const r = await fetch(url, { ...init(), signal: AbortSignal.timeout(o.timeoutMs) });
      if (r.status < 500 && r.status !== 429) return r;
      const retryAfter = Number(r.headers.get('retry-after'));
      if ((r.status === 429 || r.status === 503) && Number.isFinite(retryAfter) && retryAfter > 0)
        wait = Math.min(30, retryAfter) * 1000;
      reason = `HTTP ${r.status}`;
      await r.body?.cancel().catch(() => undefined);
    } catch (e) {
      reason = networkReason(e);
    }
    if (Date.now() - started + wait > o.giveUpAfterMs)
      throw new GiveUpError(
        `${url}: still failing after ${Math.round((Date.now() - started) / 1000)} s (${reason})`,
      );
    o.onRetry(reason, wait);
    await sleep(wait);
  }
}

const KENH: Record<string, 1 | 2 | 3> = { 'in-person': 1, online: 2, postal: 3 };
const UNIT: Record<string, string> = {
  'ngày làm việc': 'working-day',
  ngày: 'day',
  'giờ làm việc': 'working-hour',
  giờ: 'hour',
  tháng: 'month',
};
/** `1.001193.000.00.00.H26` → the identifier of the province variant; undefined for a national code. */
const localIdentifier = (code: string) => /\.(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})$/.exec(code)?.[1];

/** Keeps national procedures and our own local variants; a local variant replaces the national one. */
function ours<T extends { code: string }>(list: T[], identifiers: string[]): T[] {
  const kept = list.filter((p) => {
    const id = localIdentifier(p.code);
    return id === undefined || identifiers.includes(id);
  });
  const localised = new Set(
    kept
      .filter((p) => localIdentifier(p.code))
      .map((p) => p.code.slice(0, -(localIdentifier(p.code)!.length + 1))),
  );
  return kept.filter((p) => !localised.has(p.code));
}

const MAX_PROCEDURES = 60;

/** The portal's working days of `years` (its public calendar API; the same in both modes). */
export function portalCalendar(o: TransportOptions, years: number[]): Promise<OfficeDays> {
  return fetchOfficeDays(async (path) => {
    const r = await fetchRetrying(o, `${o.url}${path}`, () => ({ headers: { accept: 'application/json' } }));
    if (!r.ok) throw new FatalError(`${path}: HTTP ${r.status}`);
    return r.json();
  }, years);
}

// -------------------------------------------------------------------------------------------------------
// REST
// -------------------------------------------------------------------------------------------------------

export function restTransport(o: TransportOptions): Transport {
  const base = o.url.replace(/\/+$/, '');
  let token: { value: string; until: number } | undefined;

  async function bearer(force = false): Promise<string> {
    if (!force && token && token.until > Date.now()) return token.value;
    const r = await fetchRetrying(o, `${base}/oidc/token`, () => ({
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(o.clientId)}:${encodeURIComponent(o.clientSecret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials&scope=sync',
    }));
    const body = (await r.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      error_description?: string;
      error?: string;
    };
    if (r.status !== 200 || !body.access_token)
      throw new FatalError(
        `no token for ${o.clientId}: HTTP ${r.status} ${body.error ?? ''} ${body.error_description ?? ''}`.trim(),
      );
    token = {
      value: body.access_token,
      until: Date.now() + Math.max(60, (body.expires_in ?? 3600) - 120) * 1000,
    };
    return token.value;
  }

  /** A call with the bearer token; a 401 (expired token, or a portal restarted with new keys) gets a new one. */
  async function authed(url: string, init: RequestInit = {}): Promise<Response> {
    for (let i = 0; ; i++) {
      const value = await bearer(i > 0);
      const r = await fetchRetrying(o, url, () => ({
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${value}` },
      }));
      if (r.status !== 401 || i >= 2) return r;
      await r.body?.cancel().catch(() => undefined);
    }
  }

  async function json(r: Response, what: string) {
    const text = await r.text();
    if (!r.ok) throw new FatalError(`${what}: HTTP ${r.status} ${text.slice(0, 500)}`);
    return JSON.parse(text);
  }

  return {
    async catalogue(identifiers, province) {
      type Item = {
        code: string;
        name: string;
        sectors: Array<{ code: string; name: string }>;
        levels: string[];
        audiences: string[];
        provinceCode: string | null;
        popularity: number;
      };
      const items: Item[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 20; page++) {
        const q = new URLSearchParams({ limit: '100', facets: 'false', ...(cursor ? { cursor } : {}) });
        const r = await json(
          await fetchRetrying(o, `${base}/api/v1/procedures?${q}`, () => ({})),
          'GET /api/v1/procedures',
        );
        items.push(...(r.items as Item[]));
        cursor = r.nextCursor;
        if (!cursor) break;
      }
      const local = items.filter(
        (p) =>
          p.levels.some((l) => l === 'province' || l === 'commune') &&
          (p.provinceCode === null || p.provinceCode === province || localIdentifier(p.code) !== undefined),
      );
      const chosen = ours(local, identifiers)
        .sort((a, b) => b.popularity - a.popularity || (a.code < b.code ? -1 : 1))
        .slice(0, MAX_PROCEDURES);
      const out: ProcedureInfo[] = [];
      for (const p of chosen) {
        const r = await fetchRetrying(
          o,
          `${base}/api/v1/procedures/${encodeURIComponent(p.code)}`,
          () => ({}),
        );
        if (r.status !== 200) {
          await r.body?.cancel().catch(() => undefined);
          continue;
        }
        const detail = (await r.json()) as {
          content: {
            channels: Array<{ channel: string; times: Array<{ amount: number; unit: string }> }>;
            after15hRule: boolean;
            results: Array<{ name: string }>;
          };
        };
        out.push({
          code: p.code,
          name: p.name,
          sectorCode: p.sectors[0]?.code ?? null,
          sectorName: p.sectors[0]?.name ?? null,
          audiences: p.audiences,
          channels: detail.content.channels
            .filter((c) => KENH[c.channel] && c.times[0])
            .map((c) => ({ channel: KENH[c.channel]!, amount: c.times[0]!.amount, unit: c.times[0]!.unit })),
          weight: Math.max(1, p.popularity),
          rule15h: detail.content.after15hRule,
          results: detail.content.results.map((x) => x.name),
        });
      }
      return out;
    },

    async deliver(items) {
      const body = JSON.stringify({
        dossiers: items.filter((e) => e.kind === 'dossier').map((e) => e.body),
        history: items.filter((e) => e.kind === 'history').map((e) => e.body),
      });
      const r = await authed(`${base}/api/v1/sync/dossiers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const answer = (await json(r, 'POST /api/v1/sync/dossiers')) as {
        dossiers: Array<{ code: string | null; result: string; reason?: string }>;
        history: Array<{ code: string | null; result: string; reason?: string }>;
        summary: { accepted: number; duplicate: number; rejected: number };
      };
      return {
        ...answer.summary,
        reasons: [...answer.dossiers, ...answer.history]
          .filter((x) => x.result === 'rejected')
          .slice(0, 5)
          .map((x) => ({ code: x.code, reason: x.reason ?? '' })),
      };
    },

    async read(code) {
      const r = await authed(`${base}/api/v1/sync/dossiers/${encodeURIComponent(code)}`);
      if (r.status === 404) {
        await r.body?.cancel().catch(() => undefined);
        return undefined;
      }
      const d = await json(r, `GET /api/v1/sync/dossiers/${code}`);
      return {
        MaTTHC: d.MaTTHC,
        TrangThaiHoSo: String(d.TrangThaiHoSo),
        dates: {
          NgayNopHoSo: d.NgayNopHoSo ?? null,
          NgayTiepNhan: d.NgayTiepNhan ?? null,
          NgayHenTra: d.NgayHenTra ?? null,
          NgayKetThucXuLy: d.NgayKetThucXuLy ?? null,
          NgayTra: d.NgayTra ?? null,
        },
        history: (d.history as Array<Record<string, unknown>>).map(row),
      };
    },
  };
}

const row = (h: Record<string, unknown>): ExpectedRow => ({
  ThoiDiemXuLy: String(h.ThoiDiemXuLy ?? ''),
  TrangThai: String(h.TrangThai ?? ''),
  NguoiXuLy: String(h.NguoiXuLy ?? ''),
  ChucDanh: String(h.ChucDanh ?? ''),
  PhongBanXuLy: String(h.PhongBanXuLy ?? ''),
  NoiDungXuLy: String(h.NoiDungXuLy ?? ''),
});

// -------------------------------------------------------------------------------------------------------
// DVCQG-compatible adapter
// -------------------------------------------------------------------------------------------------------

type Answer = { error_code: number | string; message?: string } & Record<string, unknown>;
type ItemAnswer = { MaHoSo: string | null; result: string; message?: string };

export function dvcqgTransport(o: TransportOptions & { identifiers: string[] }): Transport {
  const base = o.url.replace(/\/+$/, '');
  let session: string | undefined;
  const started = () => Date.now();

  async function post(path: string, body: Record<string, unknown>): Promise<Answer> {
    const r = await fetchRetrying(o, `${base}${path}`, () => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }));
    const text = await r.text();
    if (r.status !== 200) throw new FatalError(`${path}: HTTP ${r.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as Answer;
  }

  async function login(): Promise<string> {
    const t0 = started();
    for (;;) {
      const a = await post('/adapter/dvcqg/auth', { username: o.clientId, password: o.clientSecret });
      if (Number(a.error_code) === 0 && typeof a.session === 'string') return a.session;
      if (Number(a.error_code) !== 9)
        throw new FatalError(`đăng nhập: error_code ${a.error_code} ${a.message ?? ''}`);
      if (Date.now() - t0 > o.giveUpAfterMs) throw new GiveUpError(`đăng nhập: ${a.message}`);
      o.onRetry('error_code 9 (busy)', 3000);
      await sleep(3000);
    }
  }

  /** A service call; "log in again" (2) and "busy" (9) are handled here, every other answer returned. */
  async function call(
    service: string,
    madonvi: string,
    params: Record<string, unknown> = {},
  ): Promise<Answer> {
    const t0 = started();
    for (;;) {
      session ??= await login();
      const a = await post('/adapter/dvcqg/service', { session, madonvi, service, ...params });
      const code = Number(a.error_code);
      if (code === 2) {
        session = undefined;
        o.onRetry('error_code 2 (session)', 0);
        continue;
      }
      if (code !== 9) return a;
      if (Date.now() - t0 > o.giveUpAfterMs) throw new GiveUpError(`${service}: ${a.message}`);
      const wait = 1000 + Math.random() * 2000;
      o.onRetry('error_code 9 (busy)', wait);
      await sleep(wait);
    }
  }

  const identifierOf = (code: string) => code.split('-')[0]!;
  const exists = (x: ItemAnswer) => x.result === 'rejected' && /đã tồn tại/.test(x.message ?? '');

  return {
    async catalogue(identifiers) {
      const madonvi = identifiers[0]!;
      type Item = {
        MATTHC: string;
        TENTTHC: string;
        LINHVUCTHUCHIEN: Array<{ MALINHVUC: string; TENLINHVUC: string }>;
      };
      const items: Item[] = [];
      let cursor = '';
      for (let page = 0; page < 20; page++) {
        const a = await call('LayDanhSachTTHC', madonvi, { limit: 100, ...(cursor ? { cursor } : {}) });
        if (Number(a.error_code) !== 0) throw new FatalError(`LayDanhSachTTHC: ${a.error_code} ${a.message}`);
        items.push(...(a.result as Item[]));
        cursor = String(a.cursor ?? '');
        if (!cursor) break;
      }
      const chosen = ours(
        items.map((p) => ({ ...p, code: p.MATTHC })),
        identifiers,
      ).slice(0, MAX_PROCEDURES);
      const out: ProcedureInfo[] = [];
      for (const [rank, p] of chosen.entries()) {
        const a = await call('LayThuTuc', madonvi, { maTTHC: p.MATTHC });
        if (Number(a.error_code) !== 0) continue;
        const t = a.result as {
          CACHTHUCTHUCHIEN: Array<{
            KENH: string;
            THOIGIAN: Array<{ THOIGIANGIAIQUYET: string; DONVITINH: string; MOTA: string }>;
          }>;
          KETQUATHUCHIEN: Array<{ TENKETQUA: string }>;
          MOTADOITUONGTHUCHIEN: string;
        };
        const business = /doanh nghiệp|công ty|hộ kinh doanh/i.test(`${p.TENTTHC} ${t.MOTADOITUONGTHUCHIEN}`);
        out.push({
          code: p.MATTHC,
          name: p.TENTTHC,
          sectorCode: p.LINHVUCTHUCHIEN[0]?.MALINHVUC ?? null,
          sectorName: p.LINHVUCTHUCHIEN[0]?.TENLINHVUC ?? null,
          audiences: business ? ['citizen', 'business'] : ['citizen'],
          channels: t.CACHTHUCTHUCHIEN.filter(
            (c) => ['1', '2', '3'].includes(String(c.KENH)) && c.THOIGIAN[0],
          ).map((c) => ({
            channel: Number(c.KENH) as 1 | 2 | 3,
            amount: Number(String(c.THOIGIAN[0]!.THOIGIANGIAIQUYET).replace(',', '.')) || 5,
            unit: UNIT[c.THOIGIAN[0]!.DONVITINH.toLowerCase()] ?? 'working-day',
          })),
          // The list carries no popularity: the first ones are taken as the most used.
          weight: Math.round(1000 / (rank + 1)),
          rule15h: t.CACHTHUCTHUCHIEN.some((c) => c.THOIGIAN.some((x) => /sau 15 giờ/.test(x.MOTA ?? ''))),
          results: t.KETQUATHUCHIEN.map((x) => x.TENKETQUA),
        });
      }
      return out;
    },

    async deliver(items) {
      const out: Delivery = { accepted: 0, duplicate: 0, rejected: 0, reasons: [] };
      const count = (list: ItemAnswer[]) => {
        for (const x of list) {
          if (x.result === 'accepted') out.accepted++;
          else if (x.result === 'duplicate') out.duplicate++;
          else {
            out.rejected++;
            if (out.reasons.length < 5) out.reasons.push({ code: x.MaHoSo, reason: x.message ?? '' });
          }
        }
      };
      const results = (a: Answer, service: string): ItemAnswer[] => {
        const code = Number(a.error_code);
        if (![0, 3, 4].includes(code) || !Array.isArray(a.results))
          throw new FatalError(`${service}: error_code ${a.error_code} ${a.message ?? ''}`);
        return a.results as ItemAnswer[];
      };
      // One call per service and agency identifier (madonvi), records first: as the agency's system does.
      for (const madonvi of [...new Set(items.map((e) => identifierOf(e.code)))].sort()) {
        const mine = items.filter((e) => identifierOf(e.code) === madonvi);
        const records = mine.filter((e) => e.kind === 'dossier');
        // A new dossier is sent with isUpdating "False"; "đã tồn tại" means it came before (a retry, a
        // duplicate, or a later record that overtook it): send it again as an update, as DVCQG clients do.
        const fresh = records.filter((e) => e.first);
        const updates = records.filter((e) => !e.first);
        if (fresh.length > 0) {
          const list = results(
            await call('DongBoHoSoMC', madonvi, { isUpdating: 'False', data: fresh.map((e) => e.body) }),
            'DongBoHoSoMC',
          );
          count(list.filter((x) => !exists(x)));
          updates.push(...fresh.filter((_, i) => list[i] && exists(list[i]!)));
        }
        if (updates.length > 0)
          count(
            results(
              await call('DongBoHoSoMC', madonvi, { isUpdating: 'True', data: updates.map((e) => e.body) }),
              'DongBoHoSoMC',
            ),
          );
        const rows = mine.filter((e) => e.kind === 'history');
        if (rows.length > 0)
          count(
            results(
              await call('CapNhatTienDoHoSoMC', madonvi, { data: rows.map((e) => e.body) }),
              'CapNhatTienDoHoSoMC',
            ),
          );
      }
      return out;
    },

    async read(code) {
      const a = await call('TraCuuHoSo', identifierOf(code), { mahoso: code });
      if (Number(a.error_code) === 5) return undefined;
      if (Number(a.error_code) !== 0)
        throw new FatalError(`TraCuuHoSo ${code}: ${a.error_code} ${a.message}`);
      const d = a.result as Record<string, unknown>;
      const date = (f: string) => (typeof d[f] === 'string' && d[f] !== '' ? (d[f] as string) : null);
      return {
        MaTTHC: String(d.MaTTHC),
        TrangThaiHoSo: String(d.TrangThaiHoSo),
        dates: {
          NgayNopHoSo: date('NgayNopHoSo'),
          NgayTiepNhan: date('NgayTiepNhan'),
          NgayHenTra: date('NgayHenTra'),
          NgayKetThucXuLy: date('NgayKetThucXuLy'),
          NgayTra: date('NgayTra'),
        },
        history: (d.QuaTrinhXuLy as Array<Record<string, unknown>>).map(row),
      };
    },
  };
}
