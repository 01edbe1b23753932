import { describe, expect, it } from 'vitest';
import {
  dongBoHoSoMC,
  endpointProblem,
  isPrivateAddress,
  newWebhookSecret,
  type PortalDossier,
  signWebhook,
  verifyWebhook,
} from './outbound.ts';

describe('Standard Webhooks signatures', () => {
  it('reproduces the specification’s published test vector', () => {
    expect(
      signWebhook(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies within the tolerance, among several signatures, and nothing tampered or stale', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const now = 1_750_000_000_000;
    const ts = now / 1000;
    const sig = signWebhook(secret, 'entry_1', ts, '{"a":1}');
    const h = { id: 'entry_1', timestamp: String(ts), signature: `v1,bm9wZQ== ${sig}` };
    expect(verifyWebhook(secret, h, '{"a":1}', now)).toBe(true);
    expect(verifyWebhook(secret, h, '{"a":2}', now)).toBe(false);
    expect(verifyWebhook(secret, { ...h, id: 'entry_2' }, '{"a":1}', now)).toBe(false);
    expect(verifyWebhook(secret, h, '{"a":1}', now + 301_000)).toBe(false);
    expect(verifyWebhook(newWebhookSecret(), h, '{"a":1}', now)).toBe(false);
  });
});

describe('where webhooks may go', () => {
  it('knows private, loopback and link-local addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
    ])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '203.113.131.1', '172.32.0.1', '2001:4860:4860::8888'])
      expect(isPrivateAddress(a), a).toBe(false);
  });

  it('takes http(s) URLs without credentials; https only when asked', () => {
    expect(endpointProblem('https://motcua.hanoi.gov.vn/hooks', { httpsOnly: true })).toBeUndefined();
    expect(endpointProblem('http://motcua.hanoi.gov.vn/hooks', { httpsOnly: true })).toContain('https');
    expect(endpointProblem('http://motcua.hanoi.gov.vn/hooks', { httpsOnly: false })).toBeUndefined();
    expect(endpointProblem('ftp://x.example', { httpsOnly: false })).toBeDefined();
    expect(endpointProblem('https://u:p@x.example', { httpsOnly: false })).toBeDefined();
    expect(endpointProblem('not a url', { httpsOnly: false })).toBeDefined();
  });
});

describe('the DongBoHoSoMC record of a portal dossier', () => {
  const at = (iso: string) => new Date(iso);
  const dossier: PortalDossier = {
    code: '000.00.00.H26-250701-0001',
    procedure: { code: '2.000505', version: 1, name: 'Cấp Phiếu lý lịch tư pháp' },
    status: 4,
    channel: 'online',
    applicant: { accountId: 'a1', kind: 'citizen', name: 'Nguyễn Văn Minh' },
    summary: null,
    receivingAgencyCode: 'TTPVHCC-01',
    competentAgencyCode: 'UBND-01',
    submittedAt: at('2025-07-01T01:00:00Z'),
    receivedAt: at('2025-07-01T02:00:00Z'),
    finishedAt: null,
    returnedAt: null,
    attachments: [
      {
        id: 'f1',
        documentCode: 'TK',
        purpose: 'application',
        fileName: 'to-khai.pdf',
        mediaType: 'application/pdf',
        sizeBytes: 10,
        sha256: 'ab'.repeat(32),
        uploadedAt: at('2025-07-01T01:00:00Z'),
      },
      {
        id: 'f2',
        documentCode: null,
        purpose: 'result',
        fileName: 'ket-qua.pdf',
        mediaType: 'application/pdf',
        sizeBytes: 10,
        sha256: 'cd'.repeat(32),
        uploadedAt: at('2025-07-02T01:00:00Z'),
      },
    ],
    history: [
      {
        at: at('2025-07-01T01:00:00Z'),
        action: 'submit',
        status: 1,
        actorName: 'Nguyễn Văn Minh',
        actorTitle: null,
        department: null,
        content: 'Nộp hồ sơ trực tuyến',
        stepStartedAt: at('2025-07-01T01:00:00Z'),
        stepDueAt: null,
      },
      {
        at: at('2025-07-01T02:00:00Z'),
        action: 'receive',
        status: 2,
        actorName: 'Đỗ Tiếp Nhận',
        actorTitle: 'Chuyên viên',
        department: 'Bộ phận một cửa',
        content: 'Tiếp nhận hồ sơ',
        stepStartedAt: at('2025-07-01T01:00:00Z'),
        stepDueAt: null,
      },
    ],
  };

  it('is the dossier as it stood at the change: its status, due date, dates and history up to it', () => {
    const r = dongBoHoSoMC(
      dossier,
      {
        action: 'submit',
        status: 1,
        at: at('2025-07-01T01:00:00Z'),
        dueAt: at('2025-07-15T10:00:00Z'),
        revision: 1,
      },
      { applicant: { idNumber: '001088012345' }, fileUrl: (id) => `https://cong/f/${id}` },
    );
    expect(r).toMatchObject({
      MaHoSo: dossier.code,
      MaTTHC: '2.000505',
      TrangThaiHoSo: '1',
      NgayNopHoSo: '20250701080000',
      NgayTiepNhan: null,
      NgayHenTra: '20250715170000',
      KenhThucHien: '2',
      LoaiDoiTuong: '1',
      SoGiayToChuHoSo: '001088012345',
      DinhDanhCHS: [{ LoaiDinhDanh: '1', SoDinhDanh: '001088012345' }],
      TrichYeuHoSo: 'Cấp Phiếu lý lịch tư pháp',
    });
    expect((r.QuaTrinhXuLy as unknown[]).length).toBe(1);
    expect(r.TaiLieuNop).toEqual([
      expect.objectContaining({
        TepDinhKemId: 'f1',
        DuongDanTaiTepTin: 'https://cong/f/f1',
        SHA256: 'ab'.repeat(32),
      }),
    ]);
    expect(r.DanhSachGiayToKetQua).toEqual([expect.objectContaining({ GiayToId: 'f2' })]);
  });

  it('says which filed files were taken from the e-document store (DuocTaiSuDung, DuocLayTuKhoDMQG)', () => {
    const reused = {
      ...dossier,
      attachments: [
        ...dossier.attachments,
        {
          id: 'f3',
          documentCode: 'CCCD',
          purpose: 'application' as const,
          fileName: 'can-cuoc.pdf',
          mediaType: 'application/pdf',
          sizeBytes: 12,
          sha256: 'ef'.repeat(32),
          uploadedAt: at('2025-07-01T01:00:00Z'),
          fromWallet: true,
        },
      ],
    };
    const r = dongBoHoSoMC(
      reused,
      {
        action: 'submit',
        status: 1,
        at: at('2025-07-01T01:00:00Z'),
        dueAt: at('2025-07-15T10:00:00Z'),
        revision: 1,
      },
      { fileUrl: (id) => id },
    );
    expect(r.TaiLieuNop).toEqual([
      expect.objectContaining({ TepDinhKemId: 'f1', DuocTaiSuDung: '0', DuocLayTuKhoDMQG: '0' }),
      expect.objectContaining({ TepDinhKemId: 'f3', DuocTaiSuDung: '1', DuocLayTuKhoDMQG: '1' }),
    ]);
  });

  it('shows a refusal date when the change is a refusal', () => {
    const r = dongBoHoSoMC(
      dossier,
      {
        action: 'refuse',
        status: 3,
        at: at('2025-07-01T03:00:00Z'),
        dueAt: at('2025-07-15T10:00:00Z'),
        revision: 2,
        reason: 'Thiếu giấy tờ',
      },
      { fileUrl: (id) => id },
    );
    expect(r).toMatchObject({
      TrangThaiHoSo: '3',
      NgayTuChoi: '20250701100000',
      GhiChu: 'Thiếu giấy tờ',
      SoGiayToChuHoSo: null,
    });
  });
});
