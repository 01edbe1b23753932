/** Every template's SMS within its rule: alphabet and number of segments, whatever the parameters. */
import { describe, expect, it } from 'vitest';
import { fitSms, foldToGsm7, smsSize } from './sms-text.ts';
import { RULES, render, TEMPLATES } from './templates.ts';

/** Parameters as long as real ones get: a long procedure name, a long reason, a long business name. */
const LONG: Record<string, string> = {
  code: '123456',
  minutes: '5',
  taxCode: '0106789017',
  business: 'Công ty Trách nhiệm hữu hạn Thương mại và Dịch vụ Xuất nhập khẩu Hoàng Nam Đông Anh Hà Nội',
  identifier: 'tax-code',
  procedure:
    'Cấp phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam (thủ tục cấp tỉnh)',
  status: 'Yêu cầu bổ sung, hoàn thiện hồ sơ',
  statusEn: 'Supplement requested',
  reason:
    'Thiếu bản sao có chứng thực giấy khai sinh; tờ khai chưa ghi đầy đủ nơi cư trú hiện tại và nghề nghiệp',
  due: '31/12/2026 16:30',
  link: 'https://dichvucong.example.vn/ho-so/H26.99-261231-0001',
  inbox: 'https://dichvucong.example.vn/quan-tri/ho-so?tab=bao-cao',
  agency: 'Sở Tư pháp thành phố Hà Nội',
  assignee: 'Nguyễn Thị Hồng Nhung',
  level: '2',
  until: '14:30 ngày 31/12/2026',
  // The hotline's answers sent by SMS are at most 200 characters (src/modules/hotline/domain/call-input.ts).
  answer:
    'Hồ sơ của anh đang chờ bổ sung bản sao giấy khai sinh có chứng thực; anh nộp bổ sung trực tuyến tại mục Hồ sơ của tôi hoặc tại bộ phận một cửa, hạn giải quyết tính lại từ ngày nộp đủ hồ sơ nhé.',
  title: 'Thủ tục cấp đổi giấy phép lái xe quá phức tạp, đề nghị bỏ yêu cầu nộp bản sao giấy khám sức khỏe',
  clock: 'hạn yêu cầu bổ sung',
};

describe('SMS templates', () => {
  it('every template has a rule', () => {
    expect(Object.keys(RULES).sort()).toEqual(Object.keys(TEMPLATES).sort());
  });

  for (const name of Object.keys(TEMPLATES)) {
    it(`${name}: fits its segments in its alphabet without being cut`, () => {
      const rule = RULES[name]!;
      const text = render(name, 'sms', LONG).body;
      const size = smsSize(text);
      expect(size.encoding).toBe(rule.smsDiacritics ? 'ucs2' : 'gsm7');
      expect(size.segments).toBeLessThanOrEqual(rule.smsSegments);
      expect(text.endsWith('...')).toBe(false);
    });
  }

  it('one-time codes go in one GSM 7-bit segment with the code whole, worth sending for their minutes', () => {
    for (const name of Object.keys(TEMPLATES).filter((n) => n.startsWith('otp.'))) {
      const text = render(name, 'sms', LONG).body;
      expect(smsSize(text)).toMatchObject({ encoding: 'gsm7', segments: 1 });
      expect(text).toContain('123456');
      expect(RULES[name]!.validForMinutes?.(LONG)).toBe(5);
    }
  });

  it('folds Vietnamese in parameters to GSM 7-bit', () => {
    const text = render('delegation.invited', 'sms', {
      business: 'Công ty Hòa Bình Đông Á',
      taxCode: '0101243150',
    }).body;
    expect(text).toContain('Cong ty Hoa Binh Dong A');
  });

  it('e-mails keep their diacritics', () => {
    expect(render('otp.register', 'email', LONG).subject).toBe(
      'Mã xác minh đăng ký tài khoản Cổng Dịch vụ công',
    );
  });
});

describe('SMS size', () => {
  it('counts GSM 7-bit and UCS-2 segments, the extension table twice', () => {
    expect(smsSize('a'.repeat(160))).toEqual({ encoding: 'gsm7', units: 160, segments: 1 });
    expect(smsSize('a'.repeat(161))).toEqual({ encoding: 'gsm7', units: 161, segments: 2 });
    expect(smsSize('a'.repeat(306)).segments).toBe(2);
    expect(smsSize('a'.repeat(307)).segments).toBe(3);
    expect(smsSize('€'.repeat(80))).toEqual({ encoding: 'gsm7', units: 160, segments: 1 });
    expect(smsSize('ă'.repeat(70))).toEqual({ encoding: 'ucs2', units: 70, segments: 1 });
    expect(smsSize('ă'.repeat(71)).segments).toBe(2);
    expect(smsSize('ă'.repeat(134)).segments).toBe(2);
    expect(smsSize('ă'.repeat(135)).segments).toBe(3);
  });

  it('folds to GSM 7-bit and cuts what does not fit at a word, marked', () => {
    expect(foldToGsm7('Đường “Lê Duẩn” – Hà Nội…')).toBe('Duong "Le Duan" - Ha Noi...');
    expect(foldToGsm7('Phường 中')).toBe('Phuong ?');
    const long = `Cong DVC: ${'ho so dang duoc xu ly '.repeat(20)}`;
    const cut = fitSms(long, 1);
    expect(smsSize(cut).units).toBeLessThanOrEqual(160);
    expect(cut.endsWith('...')).toBe(true);
    expect(fitSms('ngắn', 1)).toBe('ngắn');
  });
});
