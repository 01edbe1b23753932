/** The REST sync API for agency systems, the DVCQG-compatible adapter and the public lookup API. */
import { Readable } from 'node:stream';
import {
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
} from '../../platform/errors/index.ts';
import { type AppInstance, access, type Problem } from '../../platform/http/index.ts';
import { statusName } from '../../platform/kernel/index.ts';
import type { Limit, RateLimiter, SharedCounterLimiter } from '../../platform/security/index.ts';
import { type AdapterAnswer, type AdapterService, ERR } from './adapter.service.ts';
import { formatDvcqgDate } from './domain/records.ts';
import type { GuardedLookup } from './lookup-guard.ts';
import { LOOKUP_LIMIT } from './pages/lookup.pages.tsx';
import {
  AdapterAnswerSchema,
  AdapterBody,
  CodeParams,
  LookupQuery,
  SyncBatch,
  SyncBatchResult,
  SyncedDossierSchema,
} from './sync.schemas.ts';
import { type LookupFound, MAX_BATCH, type SyncService } from './sync.service.ts';

export interface SyncRoutesDeps {
  sync: SyncService;
  adapter: AdapterService;
  /** Exact: adapter logins. */
  limiter: RateLimiter;
  /** Shared counters: public lookups. */
  lookupLimiter: Pick<SharedCounterLimiter, 'hit'>;
  /** The public lookup behind its limit per dossier code (lookup-guard.ts). */
  guardedLookup(code: string, last4: string): Promise<GuardedLookup<LookupFound>>;
  agencyName(code: string): Promise<string | undefined>;
  /** The agency and those above it (for "is this dossier one of the caller's agencies"). */
  lineageOf(code: string): Promise<string[]>;
}

/**
 * The largest sync batch body, REST and adapter alike. Measured on the agency simulator's records
 * (sim/agency, with its lists of documents, fees and results): 1,000 typical dossier records are 0.97 MB
 * of JSON, the 1,000 largest of 9,000 generated 1.47 MB (1.8 KB at most each), 1,000 history rows
 * 0.38 MB. 8 MiB leaves more than 5× headroom over the largest (8 KB a record on average) while a body
 * no batch needs is refused before it is read.
 */
export const BATCH_BODY_LIMIT = 8 * 1_048_576;

/**
 * The adapter's session is in its body (the protocol's), so a large body would be read whole before
 * anyone knew who sent it. A body larger than this must name a live session in its first bytes (agency
 * systems write `session` first, as the protocol lists it) or it is refused with 401 unread.
 */
export const ADAPTER_SESSION_PREFIX_BYTES = 64 * 1024;

const SESSION_IN_BODY = /"session"\s*:\s*"([A-Za-z0-9_-]{20,200})"/;

/** The first `max` bytes of a stream (or all of it, when shorter), the rest left unread in the stream. */
function readPrefix(stream: Readable, max: number): Promise<{ head: Buffer; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.pause();
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= max) {
        cleanup();
        resolve({ head: Buffer.concat(chunks), ended: false });
      }
    };
    const onEnd = () => {
      cleanup();
      resolve({ head: Buffer.concat(chunks), ended: true });
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

async function* replay(head: Buffer, rest: Readable): AsyncGenerator<Buffer> {
  yield head;
  for await (const chunk of rest) yield chunk as Buffer;
}

/** Problems of the adapter's routes carry the protocol's fields too: its clients read only `error_code`. */
const adapterProblem = (p: Problem) => ({
  error_code: p.status === 401 ? ERR.session : p.status === 429 || p.status >= 500 ? ERR.busy : ERR.invalid,
  message: p.detail ?? p.title,
});

const ADAPTER_LOGIN_LIMIT: Limit = {
  name: 'sync-adapter-login-ip',
  max: 20,
  windowSeconds: 60,
  per: 'address',
};

export async function syncRoutes(app: AppInstance, deps: SyncRoutesDeps) {
  const { sync, adapter } = deps;
  const date = (d: Date | null) => (d ? formatDvcqgDate(d) : null);

  async function present(found: Omit<LookupFound, 'source'>) {
    const d = found.dossier;
    return {
      MaHoSo: d.code,
      MaTTHC: d.procedure_code,
      TenTTHC: d.procedure_name,
      agencyCode: d.agency_code,
      agencyName: (await deps.agencyName(d.agency_code).catch(() => undefined)) ?? null,
      TrangThaiHoSo: d.status,
      TenTrangThaiHoSo: statusName(d.status),
      KenhThucHien: d.channel,
      NgayNopHoSo: date(d.submitted_at),
      NgayTiepNhan: date(d.received_at),
      NgayHenTra: date(d.due_at),
      NgayKetThucXuLy: date(d.finished_at),
      NgayTra: date(d.returned_at),
      history: found.history.map((h) => ({
        ThoiDiemXuLy: formatDvcqgDate(h.event_at),
        TrangThai: h.status,
        TenTrangThai: statusName(h.status),
        NguoiXuLy: h.handler_name,
        ChucDanh: h.handler_title,
        PhongBanXuLy: h.department,
        NoiDungXuLy: h.content,
      })),
    };
  }

  app.post(
    '/api/v1/sync/dossiers',
    {
      // Each dossier and history row is checked alone at the edge: a poisoned item is rejected with its
      // reason, the others are stored.
      config: { access: access.machine('sync'), input: { items: ['dossiers', 'history'] } },
      // 1,000 records with their lists of documents and fees: above the 1 MiB default (see the constant).
      bodyLimit: BATCH_BODY_LIMIT,
      schema: {
        tags: ['sync'],
        summary: 'An agency system syncs dossiers and their processing history (up to 1,000 items)',
        description:
          'Đồng bộ hồ sơ (DongBoHoSoMC) và tiến độ xử lý (CapNhatTienDoHoSoMC) từ hệ thống một cửa của bộ, ngành, địa phương. Mỗi mục có kết quả riêng: accepted, duplicate (đã nhận trước đó) hoặc rejected kèm lý do. Gửi lại, gửi trễ, sai thứ tự đều cho trạng thái đúng (mới nhất theo thời điểm, rồi theo sequence). Mã hồ sơ phải bắt đầu bằng mã định danh của cơ quan mà ứng dụng được phép đồng bộ. Quá tải: 429 với Retry-After.',
        body: SyncBatch,
        response: { 200: SyncBatchResult },
      },
    },
    async (request) => {
      const body = request.body;
      const size = (body.dossiers?.length ?? 0) + (body.history?.length ?? 0);
      if (size > MAX_BATCH) throw new ValidationError(`Một lô có tối đa ${MAX_BATCH} mục (nhận ${size}).`);
      return sync.ingest(request.machine!, body);
    },
  );

  app.get(
    '/api/v1/sync/dossiers/:code',
    {
      config: { access: access.machine('sync') },
      schema: {
        tags: ['sync'],
        summary: 'A synced dossier of one of the caller’s agencies: current status and history',
        params: CodeParams,
        response: { 200: SyncedDossierSchema },
      },
    },
    async (request) => {
      const found = await sync.findDossier(request.params.code);
      const lineage = found ? await deps.lineageOf(found.dossier.agency_code) : [];
      if (!found || !lineage.some((a) => request.machine!.agencyCodes.includes(a)))
        throw new NotFoundError(`Không có hồ sơ ${request.params.code}.`);
      return present(found);
    },
  );

  app.get(
    '/api/v1/lookup/:code',
    {
      config: { access: access.public },
      schema: {
        tags: ['sync'],
        summary:
          'Public lookup of a dossier by its code and the last 4 characters of the applicant’s ID number',
        description:
          'Tra cứu hồ sơ: cần mã hồ sơ và 4 ký tự cuối số giấy tờ của chủ hồ sơ. Giới hạn số lần tra cứu theo địa chỉ IP, và theo mã hồ sơ: 10 lần nhập sai trong một giờ, từ bất kỳ địa chỉ nào, khóa tra cứu mã đó một giờ (429). Mã không có và 4 ký tự sai đều trả 404 như nhau.',
        params: CodeParams,
        querystring: LookupQuery,
        response: { 200: SyncedDossierSchema },
      },
    },
    async (request) => {
      const verdict = await deps.lookupLimiter.hit(LOOKUP_LIMIT, request.ip);
      if (!verdict.allowed)
        throw new TooManyRequestsError(
          'Bạn đã tra cứu quá nhiều lần, vui lòng thử lại sau.',
          verdict.retryAfterSeconds,
        );
      const r = await deps.guardedLookup(request.params.code.trim().toUpperCase(), request.query.last4);
      if (r.kind === 'locked')
        throw new TooManyRequestsError(
          'Hồ sơ này đã bị tra cứu sai quá nhiều lần nên tạm khóa tra cứu công khai. Vui lòng thử lại sau một giờ; chủ hồ sơ đã được thông báo.',
          r.retryAfterSeconds,
        );
      if (r.kind === 'not-found')
        throw new NotFoundError('Không tìm thấy hồ sơ với mã và 4 ký tự cuối số giấy tờ đã nhập.');
      return present(r.found);
    },
  );

  // The adapter's two routes are public on purpose: agency systems written for the national portal
  // authenticate with the protocol's own login (`auth` → session) and send the session in each body,
  // which the adapter checks itself (sync.adapter_sessions); a bearer token is not part of that protocol.
  const answer = async (run: () => Promise<AdapterAnswer>): Promise<AdapterAnswer> => {
    try {
      return await run();
    } catch (e) {
      if (e instanceof TooManyRequestsError)
        return { error_code: ERR.busy, message: 'Hệ thống đang bận, vui lòng gửi lại sau ít giây' };
      throw e;
    }
  };

  app.post(
    '/adapter/dvcqg/auth',
    {
      config: { access: access.public, problemExtras: adapterProblem },
      schema: {
        tags: ['sync'],
        summary:
          'DVCQG-compatible login: {username: client_id, password: client secret} → {error_code, session}',
        body: AdapterBody,
        response: { 200: AdapterAnswerSchema },
      },
    },
    async (request) =>
      answer(async () => {
        // Client secrets are long and random, but a login that can be tried without limit invites it.
        if (!(await deps.limiter.hit(ADAPTER_LOGIN_LIMIT, request.ip)).allowed)
          return { error_code: ERR.busy, message: 'Đăng nhập quá nhiều lần, vui lòng thử lại sau' };
        return adapter.auth(request.body);
      }),
  );

  app.post(
    '/adapter/dvcqg/service',
    {
      // `data` items are checked one by one at the edge (a poisoned dossier is rejected alone).
      config: { access: access.public, input: { items: ['data'] }, problemExtras: adapterProblem },
      bodyLimit: BATCH_BODY_LIMIT,
      // A large body is read only once its first bytes name a live session.
      preParsing: async (request, reply, payload) => {
        const declared = Number(request.headers['content-length']);
        if (Number.isFinite(declared) && declared <= ADAPTER_SESSION_PREFIX_BYTES) return payload;
        const { head, ended } = await readPrefix(payload, ADAPTER_SESSION_PREFIX_BYTES);
        if (!ended) {
          const token = SESSION_IN_BODY.exec(head.toString('latin1'))?.[1];
          if (!token || !(await sync.sessionCaller(token))) {
            reply.header('connection', 'close');
            throw new UnauthorizedError(
              'Phiên làm việc không hợp lệ hoặc đã hết hạn, vui lòng đăng nhập lại (với nội dung lớn, trường session phải đứng đầu).',
            );
          }
        }
        return Readable.from(replay(head, payload), { objectMode: false });
      },
      schema: {
        tags: ['sync'],
        summary:
          'DVCQG-compatible call {session, madonvi, service, …}: DongBoHoSoMC, CapNhatTienDoHoSoMC, TraCuuHoSo, LayThuTuc, LayDanhSachTTHC, LayDanhMucCoQuan, LayDanhMucLinhVuc, TraCuuTechID',
        body: AdapterBody,
        response: { 200: AdapterAnswerSchema },
      },
    },
    async (request) => answer(() => adapter.service(request.body)),
  );
}
