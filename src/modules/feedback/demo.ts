/**
 * The embedded demo's feedback (README): a few items from the demo citizen and business, each taken as far
 * as its story goes through the service's own steps — answered by Hà Nội and published (so the public page
 * and its search show something), one waiting for Hà Nội, one waiting for the Government Office's triage.
 * Once: nothing is written when any item exists.
 */
import { sql } from 'kysely';
import type { AnyDb } from '../../platform/db/index.ts';
import type { Command } from './domain/workflow.ts';
import type { FeedbackService } from './feedback.service.ts';

export interface DemoPeople {
  citizen?: string | undefined;
  business?: string | undefined;
  /** The Government Office's supervisor and Hà Nội's one-stop officer (answers for UBND-01). */
  office?: string | undefined;
  hanoi?: string | undefined;
}

type Step = 'triage' | 'hanoi' | 'published';

interface DemoItem {
  from: 'citizen' | 'business';
  title: string;
  content: string;
  category: 'regulation' | 'dossier-handling' | 'other';
  procedureCode?: string;
  until: Step;
  answer?: string;
  rated?: boolean;
}

const ITEMS: DemoItem[] = [
  {
    from: 'citizen',
    title: 'Chậm trả Phiếu lý lịch tư pháp số 1',
    content:
      'Tôi nộp hồ sơ cấp Phiếu lý lịch tư pháp trực tuyến, được hẹn trả kết quả sau 10 ngày nhưng đến ngày hẹn vẫn chưa nhận được phiếu và không có thông báo lý do chậm.',
    category: 'dossier-handling',
    procedureCode: '2.000505',
    until: 'published',
    answer:
      'Sở Tư pháp Hà Nội đã kiểm tra: hồ sơ chậm do chờ kết quả xác minh từ cơ quan công an. Phiếu đã được ký và gửi tới kho dữ liệu của ông. Sở đã chấn chỉnh việc thông báo lý do chậm cho người nộp hồ sơ.',
    rated: true,
  },
  {
    from: 'citizen',
    title: 'Đề nghị không yêu cầu bản sao giấy tờ khi đăng ký thường trú',
    content:
      'Khi đăng ký thường trú, tôi vẫn bị yêu cầu nộp bản sao có chứng thực giấy tờ chứng minh chỗ ở hợp pháp dù thông tin đã có trong cơ sở dữ liệu quốc gia về dân cư. Đề nghị bỏ yêu cầu này.',
    category: 'regulation',
    procedureCode: '1.004222',
    until: 'published',
    answer:
      'Theo Luật Cư trú và Nghị định 154/2024/NĐ-CP, cơ quan đăng ký cư trú khai thác thông tin đã có trong Cơ sở dữ liệu quốc gia về dân cư, người dân không phải nộp bản sao. UBND thành phố đã chỉ đạo công an các phường, xã thực hiện đúng quy định.',
  },
  {
    from: 'business',
    title: 'Không thanh toán trực tuyến được lệ phí chứng thực',
    content:
      'Công ty chúng tôi chọn thanh toán trực tuyến lệ phí chứng thực bản sao nhưng trang thanh toán báo lỗi, phải nộp tiền mặt tại bộ phận một cửa.',
    category: 'other',
    procedureCode: '2.000815',
    until: 'published',
    answer:
      'Lỗi kết nối với ngân hàng đã được khắc phục. Các khoản lệ phí chứng thực nay thanh toán trực tuyến được qua các ngân hàng và trung gian thanh toán đã kết nối với Cổng.',
    rated: false,
  },
  {
    from: 'citizen',
    title: 'Hẹn trả kết quả đăng ký khai sinh nhiều lần',
    content:
      'Hồ sơ đăng ký khai sinh cho con tôi bị lùi ngày hẹn trả kết quả hai lần mà không có giải thích. Đề nghị cơ quan kiểm tra và trả lời.',
    category: 'dossier-handling',
    procedureCode: '1.001193',
    until: 'hanoi',
  },
  {
    from: 'citizen',
    title: 'Đề nghị bỏ yêu cầu xác nhận tình trạng hôn nhân khi đăng ký kết hôn tại nơi cư trú',
    content:
      'Khi đăng ký kết hôn tại nơi tôi đang cư trú, cán bộ vẫn yêu cầu giấy xác nhận tình trạng hôn nhân. Thông tin này đã có trong cơ sở dữ liệu hộ tịch điện tử; đề nghị bỏ yêu cầu.',
    category: 'regulation',
    procedureCode: '1.000894',
    until: 'triage',
  },
];

/** Seeds the demo's items; the number written (0 when there were items already or people are missing). */
export async function seedFeedbackDemo(
  db: AnyDb,
  service: Pick<FeedbackService, 'submit' | 'act'>,
  people: DemoPeople,
): Promise<number> {
  const { citizen, business, office, hanoi } = people;
  if (!citizen || !business || !office || !hanoi) return 0;
  const any = await sql<{ n: number }>`select count(*)::int as n from feedback.items`.execute(db);
  if (Number(any.rows[0]?.n ?? 0) > 0) return 0;
  let n = 0;
  for (const [i, item] of ITEMS.entries()) {
    const accountId = item.from === 'citizen' ? citizen : business;
    const { item: row } = await service.submit(
      {
        title: item.title,
        content: item.content,
        category: item.category,
        ...(item.procedureCode ? { procedureCode: item.procedureCode } : {}),
      },
      // Each from its own address: the submission limit per address is not the demo's concern.
      { accountId, channel: 'web', ip: `demo-seed-${i}` },
      `demo-feedback-${i}`,
    );
    n++;
    if (item.until === 'triage') continue;
    const step = (command: Command, by: string, agency?: string) =>
      service.act(row.code, command, { accountId: by, ...(agency ? { agency } : {}) });
    await step({ action: 'forward', agencies: ['UBND-01'] }, office);
    if (item.until === 'hanoi') continue;
    await step({ action: 'answer', text: item.answer ?? '' }, hanoi, 'UBND-01');
    await step({ action: 'publish' }, office);
    if (item.rated !== undefined) await step({ action: 'rate', satisfied: item.rated }, accountId);
  }
  return n;
}
