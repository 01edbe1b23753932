/**
 * Message templates, Vietnamese first: one text per template and channel, from which the e-mail's
 * plain-text and HTML parts are both made (email-html.ts). Each template has a rule (`RULES`): whether
 * its SMS goes without diacritics (GSM 7-bit, 160 characters a segment — what brand-name gateways
 * require of registered service templates such as one-time codes) or with them (UCS-2, 70), in how many
 * segments it must fit, whether it is transactional (no List-Unsubscribe) and, for a one-time code, how
 * long it is worth sending.
 */
import { fitSms, foldToGsm7 } from './sms-text.ts';

export interface Rendered {
  subject?: string;
  body: string;
}

export interface TemplateRule {
  /** The SMS keeps its Vietnamese diacritics (UCS-2); false: folded to GSM 7-bit. */
  smsDiacritics: boolean;
  /** The SMS fits in this many segments (a longer one is cut at a word, with "..."). */
  smsSegments: 1 | 2;
  /** Sent because the person just did something (codes, account security): no List-Unsubscribe. */
  transactional: boolean;
  /** A one-time code: not worth sending once this many minutes have passed since it was queued. */
  validForMinutes?: (params: Record<string, string>) => number | undefined;
  /** What the message is about, for the account's choice of channels (TOPICS). */
  topic: Topic;
}

/**
 * What messages are about. An optional topic can be turned off per channel (SMS, e-mail) on
 * /tai-khoan/thong-bao — its messages then reach the person only in the portal inbox; codes and
 * account/security notices cannot (they protect the account, or the law requires them).
 */
export type Topic = 'codes' | 'account' | 'dossier-status' | 'deadlines' | 'payments' | 'escalations';

export const TOPICS: ReadonlyArray<{
  topic: Topic;
  optional: boolean;
  vi: string;
  en: string;
  /** Only officers receive these. */
  officers?: true;
}> = [
  {
    topic: 'dossier-status',
    optional: true,
    vi: 'Thay đổi trạng thái hồ sơ, gia hạn',
    en: 'Dossier status changes, extensions',
  },
  {
    topic: 'deadlines',
    optional: true,
    vi: 'Nhắc hạn, hồ sơ sắp đến hạn hoặc quá hạn',
    en: 'Deadlines and reminders',
  },
  {
    topic: 'payments',
    optional: true,
    vi: 'Yêu cầu nộp phí, lệ phí; biên lai khi đã nộp',
    en: 'Payment requests; receipts when paid',
  },
  {
    topic: 'account',
    optional: false,
    vi: 'Thông báo về tài khoản và an toàn',
    en: 'Account and security notices',
  },
  { topic: 'codes', optional: false, vi: 'Mã xác minh dùng một lần', en: 'One-time codes' },
  {
    topic: 'escalations',
    optional: false,
    vi: 'Báo cáo lãnh đạo về hồ sơ quá hạn',
    en: 'Overdue dossiers reported to leaders',
    officers: true,
  },
];

export const isOptionalTopic = (topic: string): topic is Topic =>
  TOPICS.some((t) => t.topic === topic && t.optional);

const minutes = (p: Record<string, string>) => {
  const n = Number(p.minutes);
  return Number.isInteger(n) && n > 0 ? n : undefined;
};
const code: TemplateRule = {
  smsDiacritics: false,
  smsSegments: 1,
  transactional: true,
  validForMinutes: minutes,
  topic: 'codes',
};
const security: TemplateRule = {
  smsDiacritics: false,
  smsSegments: 1,
  transactional: true,
  topic: 'account',
};
const service: TemplateRule = {
  smsDiacritics: false,
  smsSegments: 2,
  transactional: false,
  topic: 'dossier-status',
};
const deadline: TemplateRule = { ...service, topic: 'deadlines' };

export const RULES: Record<string, TemplateRule> = {
  'otp.register': code,
  'otp.reset-password': code,
  'otp.second-factor': code,
  'otp.change-contact': code,
  'otp.prove-identity': code,
  'otp.feedback': code,
  'account.identifier-revoked': { ...security, smsSegments: 2 },
  'account.contact-changed': security,
  'account.password-changed': security,
  'delegation.invited': { ...security, smsSegments: 2 },
  'dossier.lookup-locked': { ...security, smsSegments: 2 },
  'dossier.status-changed': service,
  'dossier.extended': service,
  'dossier.due-soon': deadline,
  'dossier.overdue': deadline,
  'dossier.escalated': { ...service, topic: 'escalations' },
  'payment.requested': { ...service, topic: 'payments' },
  'payment.succeeded': { ...service, topic: 'payments' },
  'certification.issued': service,
};

/** A free-text value inside an SMS: without diacritics, at most 60 characters. */
const foldForSms = (text: string) => foldToGsm7(text).slice(0, 60);

type Template = (params: Record<string, string>) => { sms: string; email: Rendered };

export const TEMPLATES: Record<string, Template> = {
  'payment.requested': (p) => ({
    sms: `Cong DVC: ho so ${p.code} can nop ${foldForSms(p.amount ?? '')} (${foldForSms(p.items ?? '')}). Nop truc tuyen: ${p.link}`,
    email: {
      subject: `Hồ sơ ${p.code}: cần nộp ${p.amount}`,
      body:
        `Hồ sơ ${p.code} — ${p.procedure}\n\nCơ quan giải quyết yêu cầu nộp ${p.amount} (${p.items}). ` +
        `Hồ sơ được xử lý tiếp ngay khi khoản nộp được ngân hàng xác nhận.\n\nNộp trực tuyến: ${p.link}\n\n` +
        `Dossier ${p.code} needs a payment of ${p.amount}. Pay online: ${p.link}`,
    },
  }),
  'certification.issued': (p) => ({
    sms: `Cong DVC: ban sao dien tu co chung thuc "${foldForSms(p.title ?? '')}" (so ${p.number}) da co trong kho du lieu cua ban: ${p.link}`,
    email: {
      subject: `Bản sao điện tử có chứng thực: ${p.title}`,
      body:
        `${p.office} đã chứng thực bản sao điện tử từ bản chính "${p.title}", số chứng thực ${p.number}, ` +
        `quyển số ${p.book}. Bản sao đã được ký số và lưu trong kho dữ liệu của bạn, dùng lại được khi nộp hồ sơ.\n\n` +
        `Kho dữ liệu: ${p.link}\n\n` +
        `${p.office} certified an electronic copy of "${p.title}" (entry ${p.number}, book ${p.book}); it is signed and in your document wallet: ${p.link}`,
    },
  }),
  'payment.succeeded': (p) => ({
    sms: `Cong DVC: da nhan ${foldForSms(p.amount ?? '')} cho ${foldForSms(p.what ?? '')}, ma thanh toan ${p.reference}. Bien lai: ${p.link}`,
    email: {
      subject: `Đã nhận khoản nộp ${p.amount} — ${p.reference}`,
      body:
        `Cổng Dịch vụ công đã nhận ${p.amount} cho: ${p.what}.\nMã thanh toán: ${p.reference}\nThời điểm: ${p.when}\n\n` +
        `Biên lai điện tử và chi tiết: ${p.link}\n\n` +
        `The portal received ${p.amount} for: ${p.what} (reference ${p.reference}). Receipt: ${p.link}`,
    },
  }),
  'otp.register': (p) => ({
    sms: `Cong DVC: ma xac minh dang ky tai khoan cua ban la ${p.code}, hieu luc ${p.minutes} phut. Khong chia se ma nay cho bat ky ai.`,
    email: {
      subject: 'Mã xác minh đăng ký tài khoản Cổng Dịch vụ công',
      body:
        `Mã xác minh đăng ký tài khoản của bạn là: ${p.code}\n\nMã có hiệu lực trong ${p.minutes} phút. ` +
        'Không chia sẻ mã này cho bất kỳ ai, kể cả người tự xưng là cán bộ.\n\n' +
        `Your registration code is ${p.code}, valid for ${p.minutes} minutes.`,
    },
  }),
  'otp.reset-password': (p) => ({
    sms: `Cong DVC: ma dat lai mat khau cua ban la ${p.code}, hieu luc ${p.minutes} phut. Neu ban khong yeu cau, hay bo qua tin nhan nay.`,
    email: {
      subject: 'Mã đặt lại mật khẩu Cổng Dịch vụ công',
      body:
        `Mã đặt lại mật khẩu của bạn là: ${p.code}\n\nMã có hiệu lực trong ${p.minutes} phút. ` +
        'Nếu bạn không yêu cầu đặt lại mật khẩu, hãy bỏ qua thư này; mật khẩu của bạn không thay đổi.\n\n' +
        `Your password reset code is ${p.code}, valid for ${p.minutes} minutes.`,
    },
  }),
  'otp.second-factor': (p) => ({
    sms: `Cong DVC: ma xac thuc dang nhap cua ban la ${p.code}, hieu luc ${p.minutes} phut. Khong chia se ma nay cho bat ky ai.`,
    email: {
      subject: 'Mã xác thực đăng nhập Cổng Dịch vụ công',
      body: `Mã xác thực đăng nhập của bạn là: ${p.code}\n\nMã có hiệu lực trong ${p.minutes} phút.\n\nYour sign-in code is ${p.code}.`,
    },
  }),
  'otp.change-contact': (p) => ({
    sms: `Cong DVC: ma xac minh so dien thoai moi cua ban la ${p.code}, hieu luc ${p.minutes} phut. Khong chia se ma nay cho bat ky ai.`,
    email: {
      subject: 'Mã xác minh địa chỉ thư điện tử mới — Cổng Dịch vụ công',
      body:
        `Mã xác minh địa chỉ thư điện tử mới của bạn là: ${p.code}\n\nMã có hiệu lực trong ${p.minutes} phút.\n\n` +
        `Your code to confirm the new e-mail address is ${p.code}, valid for ${p.minutes} minutes.`,
    },
  }),
  'otp.prove-identity': (p) => ({
    sms: `Cong DVC: ma xac thuc danh tinh tai khoan cua ban la ${p.code}, hieu luc ${p.minutes} phut. Khong chia se ma nay cho bat ky ai, ke ca nguoi tu xung la can bo.`,
    email: {
      subject: 'Mã xác thực danh tính tài khoản Cổng Dịch vụ công',
      body:
        `Mã xác thực danh tính tài khoản của bạn là: ${p.code}\n\nMã có hiệu lực trong ${p.minutes} phút. ` +
        'Không chia sẻ mã này cho bất kỳ ai, kể cả người tự xưng là cán bộ.\n\n' +
        `Your code to prove your identity is ${p.code}, valid for ${p.minutes} minutes.`,
    },
  }),
  'otp.feedback': (p) => ({
    sms: `Cong DVC: ma xac minh gui phan anh, kien nghi cua ban la ${p.code}, hieu luc ${p.minutes} phut. Khong chia se ma nay cho bat ky ai.`,
    email: {
      subject: 'Mã xác minh gửi phản ánh, kiến nghị — Cổng Dịch vụ công',
      body:
        `Mã xác minh để gửi phản ánh, kiến nghị của bạn là: ${p.code}\n\nMã có hiệu lực trong ${p.minutes} phút. ` +
        'Nếu bạn không gửi phản ánh, kiến nghị nào, hãy bỏ qua thư này.\n\n' +
        `Your code to send feedback is ${p.code}, valid for ${p.minutes} minutes.`,
    },
  }),
  'account.identifier-revoked': (p) => {
    const what = p.identifier === 'tax-code' ? 'ma so doanh nghiep' : 'so dinh danh ca nhan';
    const whatVi = p.identifier === 'tax-code' ? 'mã số doanh nghiệp' : 'số định danh cá nhân';
    return {
      sms: `Cong DVC: ${what} khai bao cho tai khoan cua ban da bi thu hoi vi chu so da xac thuc danh tinh voi co so du lieu quoc gia. Neu co nham lan, hay lien he tong dai ho tro.`,
      email: {
        subject: `Tài khoản Cổng Dịch vụ công: ${whatVi} đã khai báo đã bị thu hồi`,
        body:
          `${whatVi.charAt(0).toUpperCase()}${whatVi.slice(1)} khai báo cho tài khoản của bạn đã bị thu hồi, vì người (hoặc doanh nghiệp) mang số đó ` +
          'đã xác thực danh tính với cơ sở dữ liệu quốc gia. Tài khoản vẫn còn, nhưng không còn gắn với số này; các phiên đăng nhập đã kết thúc. ' +
          'Nếu đó là nhầm lẫn, hãy đăng nhập và xác thực danh tính bằng số của chính bạn, hoặc liên hệ tổng đài hỗ trợ.\n\n' +
          'The number your account declared was taken back: its holder proved it against the national register.',
      },
    };
  },
  'dossier.lookup-locked': (p) => ({
    sms: `Cong DVC: co nguoi da nhap sai nhieu lan 4 ky tu cuoi so giay to khi tra cuu ho so ${p.code}. Tra cuu ho so nay tam khoa den ${p.until}. Ban van xem ho so khi dang nhap Cong DVC.`,
    email: {
      subject: `Hồ sơ ${p.code}: tra cứu tạm khóa vì nhập sai nhiều lần`,
      body:
        `Có người đã nhập sai nhiều lần 4 ký tự cuối số giấy tờ khi tra cứu hồ sơ ${p.code} trên Cổng Dịch vụ công. ` +
        `Để bảo vệ thông tin của bạn, tra cứu công khai hồ sơ này tạm khóa đến ${p.until}. ` +
        'Bạn vẫn xem được hồ sơ khi đăng nhập, mục "Hồ sơ của tôi". Nếu không phải bạn, bạn không cần làm gì.\n\n' +
        `Someone entered wrong ID digits many times while looking up dossier ${p.code}; its public lookup is locked until ${p.until}.`,
    },
  }),
  'account.contact-changed': () => ({
    sms: 'Cong DVC: so dien thoai cua tai khoan vua duoc thay doi. Neu khong phai ban, hay lien he tong dai ho tro ngay.',
    email: {
      subject: 'Thông tin liên hệ của tài khoản Cổng Dịch vụ công đã thay đổi',
      body:
        'Địa chỉ liên hệ của tài khoản bạn vừa được thay đổi. Nếu không phải bạn thực hiện, hãy đặt lại mật khẩu và liên hệ tổng đài hỗ trợ ngay.\n\n' +
        'The contact address of your account was just changed.',
    },
  }),
  'delegation.invited': (p) => ({
    sms: `Cong DVC: ${foldForSms(p.business ?? '')} (MST ${p.taxCode}) de nghi uy quyen cho ban thay mat. Dang nhap Cong DVC, muc Tai khoan de chap nhan hoac tu choi.`,
    email: {
      subject: 'Đề nghị ủy quyền thay mặt doanh nghiệp trên Cổng Dịch vụ công',
      body:
        `${p.business} (mã số thuế ${p.taxCode}) đề nghị ủy quyền cho bạn thay mặt thực hiện thủ tục hành chính. ` +
        'Đăng nhập Cổng Dịch vụ công, mục Tài khoản, để chấp nhận hoặc từ chối. Nếu bạn không biết doanh nghiệp này, hãy từ chối.\n\n' +
        `${p.business} (tax code ${p.taxCode}) asks you to act for it. Sign in and open your account page to accept or decline.`,
    },
  }),
  'account.password-changed': () => ({
    sms: 'Cong DVC: mat khau tai khoan cua ban vua duoc thay doi. Neu khong phai ban, hay dat lai mat khau ngay.',
    email: {
      subject: 'Mật khẩu tài khoản Cổng Dịch vụ công đã thay đổi',
      body:
        'Mật khẩu tài khoản của bạn vừa được thay đổi và mọi phiên đăng nhập khác đã kết thúc. ' +
        'Nếu không phải bạn thực hiện, hãy đặt lại mật khẩu ngay.\n\nThe password of your account was just changed.',
    },
  }),
  'dossier.status-changed': (p) => ({
    sms: `Cong DVC: ho so ${p.code} (${foldForSms(p.procedure ?? '')}) chuyen sang trang thai: ${foldForSms(p.status ?? '')}.${p.due ? ` Hen tra: ${p.due}.` : ''}${p.reason ? ` Ly do: ${foldForSms(p.reason)}.` : ''}`,
    email: {
      subject: `Hồ sơ ${p.code}: ${p.status}`,
      body:
        `Hồ sơ ${p.code} — ${p.procedure}

Trạng thái mới: ${p.status}` +
        (p.reason
          ? `
Lý do, nội dung: ${p.reason}`
          : '') +
        (p.due
          ? `
Ngày hẹn trả kết quả: ${p.due}`
          : '') +
        `

Xem hồ sơ và lịch sử xử lý: ${p.link}

` +
        `Dossier ${p.code} is now: ${p.statusEn ?? p.status}. Details: ${p.link}`,
    },
  }),
  'dossier.extended': (p) => ({
    sms: `Cong DVC: ho so ${p.code} duoc gia han, hen tra moi: ${p.due}. Ly do: ${foldForSms(p.reason ?? '')}. Co quan xin loi vi su cham tre.`,
    email: {
      subject: `Hồ sơ ${p.code}: thư xin lỗi và hẹn lại ngày trả kết quả`,
      body:
        `Cơ quan giải quyết xin lỗi vì hồ sơ ${p.code} — ${p.procedure} chưa có kết quả đúng hẹn.
` +
        `Lý do: ${p.reason}
Ngày hẹn trả kết quả mới: ${p.due}

Xem hồ sơ: ${p.link}

` +
        `Dossier ${p.code} was extended; new date ${p.due}.`,
    },
  }),
  'dossier.due-soon': (p) => ({
    sms: `Cong DVC: ho so ${p.code} sap den han tra ket qua (${p.due}).`,
    email: {
      subject: `Hồ sơ ${p.code} sắp đến hạn`,
      body: `Hồ sơ ${p.code} — ${p.procedure} đến hạn trả kết quả lúc ${p.due} (còn chưa đến một ngày làm việc).\n\nXử lý hồ sơ: ${p.link}\n\nDossier ${p.code} is due at ${p.due}.`,
    },
  }),
  'dossier.overdue': (p) => ({
    sms: `Cong DVC: ho so ${p.code} da qua han tra ket qua (${p.due}).`,
    email: {
      subject: `Hồ sơ ${p.code} đã quá hạn`,
      body: `Hồ sơ ${p.code} — ${p.procedure} đã quá hạn trả kết quả (hẹn ${p.due}). Hãy xử lý hoặc gia hạn kèm thư xin lỗi (Mẫu 04).\n\nXử lý hồ sơ: ${p.link}\n\nDossier ${p.code} is overdue (due ${p.due}).`,
    },
  }),
  'dossier.escalated': (p) => ({
    sms: `Cong DVC: ho so ${p.code} qua han tra ket qua (hen ${p.due}), bao cao lanh dao lan ${p.level}.`,
    email: {
      subject: `Báo cáo lãnh đạo (lần ${p.level}): hồ sơ ${p.code} quá hạn`,
      body:
        `Hồ sơ ${p.code} — ${p.procedure} tại ${p.agency} đã quá hạn trả kết quả (hẹn ${p.due}) và chưa được giải quyết.\n` +
        `Cán bộ được giao: ${p.assignee}.\n` +
        (p.level === '1'
          ? 'Cơ quan cần gửi người nộp thư xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04) nếu chưa gửi.\n'
          : 'Hồ sơ vẫn chưa được giải quyết ba ngày làm việc sau ngày hẹn.\n') +
        `\nXem hồ sơ: ${p.link}\nHồ sơ quá hạn đã báo cáo: ${p.inbox}\n\n` +
        `Dossier ${p.code} is overdue (due ${p.due}); escalation level ${p.level}.`,
    },
  }),
};

export function ruleOf(template: string): TemplateRule {
  const rule = RULES[template];
  if (!rule) throw new Error(`notification template ${template} has no rule`);
  return rule;
}

/** The text of a template for a channel; an SMS follows the template's rule (alphabet, segments). */
export function render(template: string, channel: 'sms' | 'email', params: Record<string, string>): Rendered {
  const t = TEMPLATES[template];
  if (!t) throw new Error(`unknown notification template ${template}`);
  const rule = ruleOf(template);
  const r = t(params);
  if (channel === 'email') return r.email;
  const text = rule.smsDiacritics ? r.sms.normalize('NFC') : foldToGsm7(r.sms);
  return { body: fitSms(text, rule.smsSegments) };
}

// ——— Hotline (src/modules/hotline): the support answer given on a call, sent to the caller ——————————
// The caller just called: transactional. The desk keeps an SMS answer within 200 characters.
RULES['hotline.answer'] = { smsDiacritics: false, smsSegments: 2, transactional: true, topic: 'account' };
TEMPLATES['hotline.answer'] = (p) => ({
  sms: `Cong DVC - tong dai 18001096, cuoc goi ${p.code}: ${p.answer ?? ''}`,
  email: {
    subject: `Trả lời cuộc gọi ${p.code} — Tổng đài hỗ trợ Cổng Dịch vụ công`,
    body:
      `Tổng đài hỗ trợ 18001096 gửi lại nội dung đã trả lời bạn trong cuộc gọi ${p.code}:\n\n${p.answer ?? ''}\n\n` +
      'Nếu cần hỗ trợ thêm, vui lòng gọi 18001096 (miễn phí) và đọc mã cuộc gọi trên.\n\n' +
      `The hotline's answer to your call ${p.code} is above. Call 18001096 (free) for more help.`,
  },
});
// ——— end of hotline templates ———

// ——— Wallet (documents module, src/modules/documents/wallet/) ——————————————————————————————————————
// A dossier's signed result delivered to the applicant's wallet (kho dữ liệu điện tử).
RULES['wallet.result-delivered'] = service;
TEMPLATES['wallet.result-delivered'] = (p) => ({
  sms: `Cong DVC: ket qua ho so ${p.code} da co trong kho du lieu cua ban (da ky so): ${p.link}`,
  email: {
    subject: `Kết quả hồ sơ ${p.code} đã có trong kho dữ liệu`,
    body:
      `${p.agency} đã trả kết quả hồ sơ ${p.code}: "${p.title}". Kết quả đã được ký số và lưu trong kho dữ liệu ` +
      `điện tử của bạn, dùng lại được khi nộp hồ sơ khác.\n\nXem kết quả: ${p.link}\n\n` +
      `${p.agency} returned the result of dossier ${p.code} ("${p.title}"); it is signed and in your document wallet: ${p.link}`,
  },
});
// ——— end of wallet templates ———

// ── Appointments at certifying offices (documents/appointments) ──────────────────────────────────────
// Params: office, address, when ("08:00 08/12/2026"), queue (the day's number), documents, link; `before`
// (the old time) for a rescheduling.
const appointmentRule: TemplateRule = { ...service, topic: 'deadlines' };
Object.assign(RULES, {
  'appointment.booked': appointmentRule,
  'appointment.rescheduled': appointmentRule,
  'appointment.cancelled': appointmentRule,
  'appointment.reminder': appointmentRule,
} satisfies Record<string, TemplateRule>);
Object.assign(TEMPLATES, {
  'appointment.booked': (p) => ({
    sms: `Cong DVC: da dat lich chung thuc luc ${p.when} tai ${foldForSms(p.office ?? '')}, so thu tu ${p.queue}. Mang theo ban chinh. Chi tiet: ${p.link}`,
    email: {
      subject: `Lịch hẹn chứng thực lúc ${p.when} — số thứ tự ${p.queue}`,
      body:
        `Bạn đã đặt lịch chứng thực bản sao từ bản chính tại ${p.office} lúc ${p.when}. Số thứ tự của bạn: ${p.queue}.\n` +
        `Địa chỉ: ${p.address}\nGiấy tờ mang theo: ${p.documents}\n\n` +
        'Hãy mang theo bản chính và giấy tờ tùy thân. Bạn có thể đổi hoặc hủy lịch trước giờ hẹn.\n\n' +
        `Lịch hẹn: ${p.link}\n\n` +
        `Your appointment to certify copies at ${p.office} is at ${p.when} (queue number ${p.queue}). Bring the originals and your ID. Change or cancel: ${p.link}`,
    },
  }),
  'appointment.rescheduled': (p) => ({
    sms: `Cong DVC: lich chung thuc tai ${foldForSms(p.office ?? '')} doi tu ${p.before} sang ${p.when}, so thu tu ${p.queue}. Chi tiet: ${p.link}`,
    email: {
      subject: `Lịch hẹn chứng thực đã đổi sang ${p.when}`,
      body:
        `Lịch hẹn chứng thực của bạn tại ${p.office} đã đổi từ ${p.before} sang ${p.when}. Số thứ tự: ${p.queue}.\n` +
        `Địa chỉ: ${p.address}\n\nLịch hẹn: ${p.link}\n\n` +
        `Your appointment at ${p.office} moved from ${p.before} to ${p.when} (queue number ${p.queue}): ${p.link}`,
    },
  }),
  'appointment.cancelled': (p) => ({
    sms: `Cong DVC: da huy lich chung thuc luc ${p.when} tai ${foldForSms(p.office ?? '')}.`,
    email: {
      subject: `Đã hủy lịch hẹn chứng thực lúc ${p.when}`,
      body:
        `Lịch hẹn chứng thực của bạn tại ${p.office} lúc ${p.when} đã được hủy. Bạn có thể đặt lịch khác bất cứ lúc nào.\n\n` +
        `Your appointment at ${p.office} at ${p.when} was cancelled.`,
    },
  }),
  'appointment.reminder': (p) => ({
    sms: `Cong DVC: nhac lich chung thuc ngay mai luc ${p.when} tai ${foldForSms(p.office ?? '')}, so thu tu ${p.queue}. Mang theo ban chinh.`,
    email: {
      subject: `Nhắc lịch hẹn chứng thực ngày mai lúc ${p.when}`,
      body:
        `Ngày mai bạn có lịch chứng thực bản sao tại ${p.office} lúc ${p.when}, số thứ tự ${p.queue}.\n` +
        `Địa chỉ: ${p.address}\nGiấy tờ mang theo: ${p.documents}\n\n` +
        `Nếu không đến được, hãy hủy hoặc đổi lịch để nhường chỗ cho người khác: ${p.link}\n\n` +
        `Reminder: your appointment at ${p.office} is tomorrow at ${p.when} (queue number ${p.queue}). Change or cancel: ${p.link}`,
    },
  }),
} satisfies Record<string, Template>);

// ── Feedback (phản ánh, kiến nghị): the deadline watch (src/modules/feedback/feedback.jobs.ts) ──────────
// Params: code (PAKN-…), title, clock (which limit, Vietnamese), due ("16:30 31/12/2026"), agency (codes
// responsible), link (the item's handling page).
Object.assign(RULES, {
  'feedback.deadline-warning': deadline,
  'feedback.escalated': { ...service, topic: 'escalations' },
} satisfies Record<string, TemplateRule>);
Object.assign(TEMPLATES, {
  'feedback.deadline-warning': (p) => ({
    sms: `Cong DVC: phan anh ${p.code} sap den ${foldForSms(p.clock ?? '')} (${p.due}). Xu ly: ${p.link}`,
    email: {
      subject: `Phản ánh ${p.code} sắp đến ${p.clock}`,
      body:
        `Phản ánh, kiến nghị ${p.code} — “${p.title}” sắp đến ${p.clock} (${p.due}); cơ quan chịu trách nhiệm: ${p.agency}.\n` +
        `Còn chưa đến một ngày làm việc.\n\nXử lý phản ánh: ${p.link}\n\n` +
        `Feedback ${p.code} is due soon (${p.due}): ${p.link}`,
    },
  }),
  'feedback.escalated': (p) => ({
    sms: `Cong DVC: phan anh ${p.code} da qua ${foldForSms(p.clock ?? '')} (han ${p.due}), bao cao lanh dao. ${p.link}`,
    email: {
      subject: `Báo cáo lãnh đạo: phản ánh ${p.code} quá hạn`,
      body:
        `Phản ánh, kiến nghị ${p.code} — “${p.title}” đã quá ${p.clock} (hạn ${p.due}) và chưa được xử lý.\n` +
        `Cơ quan chịu trách nhiệm: ${p.agency}.\n\nXem phản ánh: ${p.link}\n\n` +
        `Feedback ${p.code} is overdue (due ${p.due}) and was escalated: ${p.link}`,
    },
  }),
} satisfies Record<string, Template>);
