/**
 * A dossier's documents, each under its name in the procedure (not only the file name) with an inline
 * preview for PDFs and images; the files' digests only in an officers' details section.
 */
import { vietnamWhen } from '../../../platform/clock/index.ts';
import { DataTable } from '../../../platform/web/index.ts';
import type { DossierView } from '../dossiers.service.ts';

/** Shown in the page (an image, a PDF in a frame) rather than downloaded. */
export const PREVIEWABLE = new Set(['application/pdf', 'image/jpeg', 'image/png']);

export function DocumentsSection({
  attachments,
  href,
  officer,
  documentName,
}: {
  attachments: DossierView['attachments'];
  href: string;
  officer: boolean;
  documentName: (code: string | null) => string | undefined;
}) {
  return (
    <section aria-labelledby="giay-to">
      <h2 id="giay-to">Giấy tờ, tệp đính kèm</h2>
      {attachments.length === 0 ? <p class="empty">Chưa có tệp nào.</p> : null}
      <ul class="documents">
        {attachments.map((a) => {
          const name =
            (a.documentCode ? documentName(a.documentCode) : undefined) ??
            ({
              application: 'Giấy tờ nộp kèm',
              supplement: 'Hồ sơ bổ sung',
              result: 'Kết quả giải quyết',
            }[a.purpose] ||
              a.purpose);
          const url = `${href}/tep/${a.id}`;
          return (
            <li key={a.id} class="documents__item">
              <p class="documents__name">
                <strong>{name}</strong>
                {a.purpose !== 'application' ? (
                  <span class="tag">{a.purpose === 'result' ? 'Kết quả' : 'Bổ sung'}</span>
                ) : null}
              </p>
              <p>
                <a href={url}>{a.fileName}</a> ({Math.ceil(a.sizeBytes / 1024)} KB)
              </p>
              {a.reuse ? <ReuseNote reuse={a.reuse} /> : null}
              {PREVIEWABLE.has(a.mediaType) ? (
                <details class="preview">
                  <summary>Xem trước</summary>
                  {a.mediaType === 'application/pdf' ? (
                    <iframe src={`${url}?xem=1`} title={`${name}: ${a.fileName}`} loading="lazy" />
                  ) : (
                    <img src={`${url}?xem=1`} alt={`${name}: ${a.fileName}`} loading="lazy" />
                  )}
                </details>
              ) : null}
            </li>
          );
        })}
      </ul>
      {officer && attachments.length > 0 ? (
        <details class="officer-details">
          <summary>Chi tiết kỹ thuật của tệp (cán bộ)</summary>
          <DataTable
            caption="Dấu vân tay SHA-256 của các tệp"
            rows={attachments}
            rowKey={(a) => a.id}
            empty="Chưa có tệp nào."
            columns={[
              { header: 'Tệp', cell: (a) => a.fileName },
              { header: 'Kiểu', cell: (a) => a.mediaType },
              {
                header: 'Dung lượng',
                cell: (a) => `${a.sizeBytes.toLocaleString('vi-VN')} byte`,
                numeric: true,
              },
              { header: 'SHA-256', cell: (a) => <code class="digest">{a.sha256}</code> },
            ]}
          />
        </details>
      ) : null}
    </section>
  );
}

/**
 * A file taken from the applicant's wallet: the portal's verdict on its digital signature when it was
 * taken (the dossier keeps its own copy, so the verdict recorded then is the one shown, with its time).
 */
export function ReuseNote({ reuse }: { reuse: NonNullable<DossierView['attachments'][number]['reuse']> }) {
  const v = reuse.verification;
  if (!v)
    return (
      <p class="documents__reuse">
        <span class="tag">Lấy từ kho dữ liệu</span> — không có kết quả xác thực chữ ký số.
      </p>
    );
  const when = vietnamWhen(new Date(v.checkedAt));
  return v.verified ? (
    <p class="documents__reuse documents__reuse--verified">
      <span class="tag">Lấy từ kho dữ liệu</span>
      {` — đã xác thực chữ ký số (${[v.signer, when].filter(Boolean).join(', ')})`}
    </p>
  ) : (
    <p class="documents__reuse documents__reuse--unverified">
      <span class="tag tag--danger">Lấy từ kho dữ liệu</span>
      {` — chưa xác thực được chữ ký số: ${v.summary.vi} (kiểm tra lúc ${when})`}
    </p>
  );
}
