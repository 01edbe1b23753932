/**
 * Form 01 of Circular 01/2018/TT-VPCP, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", as a PDF: A4, the
 * national motto, the receiving unit, the applicant, the procedure, the documents received, the
 * processing time, the moment of reception and the appointment. The text is set in the platform's
 * serif face (platform/pdf: DejaVu Serif, embedded and subset; it has every Vietnamese glyph).
 */
import { PDFDocument } from 'pdf-lib';
import { formatVietnameseDate, vietnamDateTime } from '../../../platform/clock/index.ts';
import { embedSerifFonts, Writer } from '../../../platform/pdf/index.ts';
import type { DossierView } from '../dossiers.service.ts';

const UNIT_WORDS: Record<string, string> = {
  'working-day': 'ngày làm việc',
  'working-hour': 'giờ làm việc',
  day: 'ngày',
  hour: 'giờ',
  month: 'tháng',
};

/** "08 giờ 30 phút, ngày 24/11/2026" (Vietnam time), as the form writes moments. */
export function formMoment(d: Date): string {
  const [date, time] = vietnamDateTime(d).split(' ') as [string, string];
  const [h, m] = time.split(':');
  return `${h} giờ ${m} phút, ngày ${formatVietnameseDate(date)}`;
}

export async function receiptPdf(
  v: DossierView,
  names: { receiving: string; competent: string },
  filed: {
    /** Every answer the applicant gave, as the e-form labels it (dossiers.answers.ts). */
    answers: ReadonlyArray<{ label: string; value: string }>;
    /** The document's name in the procedure, by document code. */
    documentName: (code: string | null) => string | undefined;
    /** The applicant's address in words (the place of residence they gave), when they gave one. */
    address?: string | undefined;
  } = { answers: [], documentName: () => undefined },
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const { regular, bold } = await embedSerifFonts(doc);
  doc.setTitle(`Giấy tiếp nhận hồ sơ và hẹn trả kết quả — ${v.code}`);
  doc.setSubject('Mẫu số 01, Thông tư 01/2018/TT-VPCP');
  doc.setLanguage('vi-VN');
  doc.setCreator('Cổng Dịch vụ công');
  const page = doc.addPage([595.28, 841.89]);
  const w = new Writer(page, regular, bold, 60, 535, () => doc.addPage([595.28, 841.89]));

  // Heading: the unit on the left, the national motto on the right.
  const top = w.y;
  w.text(names.receiving.toUpperCase(), { size: 10.5, align: 'center', x: 40, width: 230 });
  w.text('BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ', { size: 10.5, bold: true, align: 'center', x: 40, width: 230 });
  const leftEnd = w.y;
  w.y = top;
  w.text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', {
    size: 10.5,
    bold: true,
    align: 'center',
    x: 280,
    width: 275,
  });
  w.text('Độc lập - Tự do - Hạnh phúc', { size: 11, bold: true, align: 'center', x: 280, width: 275 });
  page.drawLine({ start: { x: 360, y: w.y + 7 }, end: { x: 475, y: w.y + 7 }, thickness: 0.6 });
  w.y = Math.min(w.y, leftEnd) - 6;
  w.text(`Mã hồ sơ: ${v.code}`, { size: 11, x: 40, width: 230, align: 'center' });
  const [date] = vietnamDateTime(v.submittedAt).split(' ') as [string];
  const [yyyy, mm, dd] = date.split('-');
  w.y += 11 * 1.45;
  w.text(`ngày ${dd} tháng ${mm} năm ${yyyy}`, { size: 11, x: 280, width: 275, align: 'center', gap: 14 });

  w.text('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', { size: 14, bold: true, align: 'center', gap: 12 });

  w.text(`Bộ phận tiếp nhận và trả kết quả ${names.receiving}`, { gap: 2 });
  w.text(`Tiếp nhận hồ sơ của: ${v.applicant.name}`, { gap: 2 });
  const phone = typeof v.formData.soDienThoai === 'string' ? v.formData.soDienThoai : '';
  const email = typeof v.formData.email === 'string' ? v.formData.email : '';
  w.text(`Địa chỉ: ${filed.address || '……………………………………'}`, { gap: 2 });
  w.text(`Số điện thoại: ${phone || '……………………'}      Email: ${email || '……………………'}`, { gap: 2 });
  w.text(`Nội dung yêu cầu giải quyết: ${v.procedure.name} (mã thủ tục ${v.procedure.code})`, { gap: 2 });
  w.text(`Cơ quan giải quyết: ${names.competent}`, { gap: 6 });

  w.text('1. Thành phần hồ sơ nộp gồm:', { bold: true, gap: 2 });
  const application = v.attachments.filter((a) => a.purpose === 'application');
  w.text(`    - Tờ khai điện tử${filed.answers.length > 0 ? ' (nội dung kê khai ở cuối giấy này)' : ''};`, {
    size: 11,
    gap: 1,
  });
  application.forEach((a, i) => {
    const name = filed.documentName(a.documentCode);
    w.text(
      `    ${i + 1}. ${name ? `${name}: ` : ''}${a.fileName} — bản điện tử, ${Math.ceil(a.sizeBytes / 1024)} KB, SHA-256 ${a.sha256.slice(0, 16)}…`,
      {
        size: 11,
        gap: 1,
      },
    );
  });
  w.y -= 4;
  w.text('2. Số lượng hồ sơ: 01 (bộ), nộp trực tuyến.', { gap: 2 });
  const t = v.processingTime;
  w.text(
    `3. Thời gian giải quyết hồ sơ theo quy định là: ${String(t.amount).replace('.', ',')} ${UNIT_WORDS[t.unit] ?? t.unit}.`,
    { gap: 2 },
  );
  w.text(`4. Thời gian nhận hồ sơ: ${formMoment(v.submittedAt)}.`, { gap: 2 });
  w.text(`5. Thời gian trả kết quả giải quyết hồ sơ: ${formMoment(v.dueAt)}.`, { bold: true, gap: 2 });
  w.text(
    '6. Đăng ký nhận kết quả tại: Cổng Dịch vụ công (bản điện tử) hoặc Bộ phận tiếp nhận và trả kết quả.',
    {
      gap: 2,
    },
  );
  w.text(`Vào Sổ theo dõi hồ sơ, Quyển số: ……… Số thứ tự: ${v.code.split('-').at(-1)}`, { gap: 24 });

  const sig = w.y;
  w.text('NGƯỜI NỘP HỒ SƠ', { bold: true, align: 'center', x: 40, width: 230 });
  w.text('(Ký và ghi rõ họ tên)', { size: 10, align: 'center', x: 40, width: 230 });
  w.y = sig;
  w.text('NGƯỜI TIẾP NHẬN HỒ SƠ', { bold: true, align: 'center', x: 300, width: 255 });
  w.text('(Ký và ghi rõ họ tên)', { size: 10, align: 'center', x: 300, width: 255 });
  w.y -= 40;
  w.text(
    'Hồ sơ nộp trực tuyến được hệ thống tiếp nhận tự động; giấy này có giá trị như giấy tiếp nhận bản giấy. Tra cứu tình trạng hồ sơ tại trang “Tra cứu hồ sơ” của Cổng Dịch vụ công bằng mã hồ sơ và 4 ký tự cuối số giấy tờ của người nộp.',
    { size: 9, gap: 10 },
  );
  if (filed.answers.length > 0) {
    w.text('NỘI DUNG KÊ KHAI TRÊN TỜ KHAI ĐIỆN TỬ', { bold: true, align: 'center', gap: 4 });
    for (const a of filed.answers) w.text(`${a.label}: ${a.value}`, { size: 10.5, gap: 1 });
  }
  return doc.save();
}

const NOTICES: Record<'02' | '03' | '04' | '05', { title: string; lead: string }> = {
  '02': {
    title: 'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
    lead: 'Sau khi xem xét hồ sơ, đề nghị ông/bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:',
  },
  '03': {
    title: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ',
    lead: 'Qua xem xét, hồ sơ không đủ điều kiện tiếp nhận, giải quyết với lý do sau:',
  },
  '04': {
    title: 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
    lead: 'Cơ quan giải quyết xin lỗi ông/bà vì hồ sơ chưa có kết quả đúng hẹn, với lý do:',
  },
  '05': {
    title: 'PHIẾU DỪNG XỬ LÝ HỒ SƠ',
    lead: 'Cơ quan giải quyết thông báo dừng xử lý hồ sơ với lý do sau:',
  },
};

/** Forms 02–05 of Circular 01/2018/TT-VPCP from the history row of the action that produced them. */
export async function noticePdf(
  v: DossierView,
  form: '02' | '03' | '04' | '05',
  entry: DossierView['history'][number],
  names: { receiving: string; competent: string },
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const { regular, bold } = await embedSerifFonts(doc);
  const n = NOTICES[form];
  doc.setTitle(`${n.title} — ${v.code}`);
  doc.setSubject(`Mẫu số ${form}, Thông tư 01/2018/TT-VPCP`);
  doc.setLanguage('vi-VN');
  const page = doc.addPage([595.28, 841.89]);
  const w = new Writer(page, regular, bold);
  const top = w.y;
  const unit = form === '03' ? names.receiving : names.competent;
  w.text(unit.toUpperCase(), { size: 10.5, bold: true, align: 'center', x: 40, width: 230 });
  const leftEnd = w.y;
  w.y = top;
  w.text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', {
    size: 10.5,
    bold: true,
    align: 'center',
    x: 280,
    width: 275,
  });
  w.text('Độc lập - Tự do - Hạnh phúc', { size: 11, bold: true, align: 'center', x: 280, width: 275 });
  page.drawLine({ start: { x: 360, y: w.y + 7 }, end: { x: 475, y: w.y + 7 }, thickness: 0.6 });
  w.y = Math.min(w.y, leftEnd) - 6;
  const [date] = vietnamDateTime(entry.at).split(' ') as [string];
  const [yyyy, mm, dd] = date.split('-');
  w.text(`ngày ${dd} tháng ${mm} năm ${yyyy}`, { size: 11, x: 280, width: 275, align: 'center', gap: 14 });
  w.text(n.title, { size: 14, bold: true, align: 'center', gap: 12 });
  w.text(`Kính gửi: ${v.applicant.name}`, { gap: 4 });
  w.text(`${names.receiving} tiếp nhận hồ sơ mã ${v.code} lúc ${formMoment(v.submittedAt)}.`, { gap: 2 });
  w.text(`Nội dung yêu cầu giải quyết: ${v.procedure.name}.`, { gap: 6 });
  w.text(n.lead, { gap: 2 });
  const reason = typeof entry.details.reason === 'string' ? entry.details.reason : entry.content;
  w.text(reason, { gap: 6 });
  if (form === '04' && typeof entry.details.newDueAt === 'string') {
    w.text(`Thời hạn trả kết quả đã hẹn: ${formMoment(new Date(String(entry.details.previousDueAt)))}.`, {
      gap: 2,
    });
    w.text(`Thời hạn trả kết quả hẹn lại: ${formMoment(new Date(entry.details.newDueAt))}.`, {
      bold: true,
      gap: 2,
    });
    w.text('Mong ông/bà thông cảm vì sự chậm trễ này.', { gap: 6 });
  }
  if (form === '02')
    w.text(
      'Ông/bà nộp phần bổ sung trên Cổng Dịch vụ công, tại trang của hồ sơ. Thời gian chờ bổ sung không tính vào thời hạn giải quyết.',
      { gap: 6 },
    );
  w.text('Xin trân trọng thông báo.', { gap: 24 });
  w.text('NGƯỜI LẬP PHIẾU', { bold: true, align: 'center', x: 300, width: 255 });
  w.text([entry.actor.name, entry.actor.title].filter(Boolean).join(', '), {
    size: 11,
    align: 'center',
    x: 300,
    width: 255,
  });
  return doc.save();
}
