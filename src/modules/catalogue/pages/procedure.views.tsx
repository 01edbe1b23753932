/**
 * Server-rendered views of one procedure: its public page (facts, channels, time limits and fees with
 * the fee calculator, documents, steps, result, legal basis, versions; an officer's preview of a version
 * not yet public) and its printable form. Both work without JavaScript.
 */
import type { ComponentChildren } from 'preact';
import type { Locale } from '../../../platform/i18n/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { documentsOf } from '../../../platform/kernel/index.ts';
import { DateText, Layout, Notice, PageHeading } from '../../../platform/web/index.ts';
import type { CatalogueService } from '../catalogue.service.ts';
import { computeFee, describeFormula, FeeInputError, formatDong } from '../domain/fees.ts';
import { ASSET_CSS } from './assets.ts';
import { audienceLabel, channelLabel, levelLabel, onlineLabel, paymentLabel, unitLabel } from './labels.ts';

export type ProcedureDetail = Awaited<ReturnType<CatalogueService['getProcedure']>>;

function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="procedure-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function ProcedurePage({
  locale,
  path,
  p,
  fee,
  preview,
}: {
  locale: Locale;
  path: string;
  p: ProcedureDetail;
  /** A fee worked out for the pages/copies the visitor typed (the certified-copy calculator). */
  fee?: { units?: number; quantity?: number } | undefined;
  /** An officer's preview of a version that is not public (its state, in words). */
  preview?: string | undefined;
}) {
  const c = p.content;
  const online = c.channels.some((ch) => ch.channel === 'online') && c.onlineLevel !== 'none';
  const docs = documentsOf(c);
  const tiered = c.channels
    .flatMap((ch) => ch.times.flatMap((t) => t.fees))
    .find((f) => f.formula.type === 'tiered');
  let feeResult: string | undefined;
  if (tiered && fee?.units !== undefined) {
    try {
      feeResult = formatDong(
        computeFee(tiered.formula, { units: fee.units, quantity: fee.quantity ?? 1 }),
        locale,
      );
    } catch (e) {
      feeResult = e instanceof FeeInputError ? e.message : undefined;
    }
  }
  return (
    <Layout
      stylesheets={[ASSET_CSS]}
      locale={locale}
      title={c.name}
      path={path}
      description={c.summary ?? c.name}
      breadcrumbs={[
        { href: '/thu-tuc', label: tx(locale, 'Thủ tục hành chính', 'Procedures') },
        { label: p.code },
      ]}
    >
      <PageHeading title={c.name}>
        {locale === 'en' && c.nameEn ? (
          <p class="lead" lang="en">
            {c.nameEn}
          </p>
        ) : null}
        {c.summary ? <p class="lead">{c.summary}</p> : null}
      </PageHeading>
      {preview ? (
        <Notice
          kind="warning"
          title={tx(
            locale,
            `Bản xem trước: phiên bản ${p.version} (${preview})`,
            `Preview: version ${p.version} (${preview})`,
          )}
        >
          <p>
            {tx(locale, 'Công dân chưa thấy phiên bản này. ', 'Citizens do not see this version yet. ')}
            <a href={`/quan-tri/thu-tuc/${encodeURIComponent(p.code)}`}>
              {tx(locale, '← Quay lại quản trị thủ tục', '← Back to the procedure administration')}
            </a>
          </p>
        </Notice>
      ) : null}
      {p.state === 'pending-withdrawal' ? (
        <Notice
          kind="warning"
          title={tx(locale, 'Thủ tục sắp dừng công khai', 'This procedure is about to be withdrawn')}
        >
          <p>
            {tx(
              locale,
              'Cơ quan công bố đã đề nghị dừng công khai thủ tục này.',
              'The publishing agency has asked to withdraw it.',
            )}
          </p>
        </Notice>
      ) : null}
      <dl class="facts">
        <div>
          <dt>{tx(locale, 'Mã thủ tục', 'Code')}:</dt>
          <dd>
            <code>{p.code}</code> · {tx(locale, 'phiên bản', 'version')} {p.version} ·{' '}
            {tx(locale, 'công khai ngày', 'published')} <DateText date={new Date(p.publishedAt)} />
          </dd>
        </div>
        <div>
          <dt>{tx(locale, 'Lĩnh vực', 'Sector')}:</dt>
          <dd>
            {p.sectors.map((s, i) => (
              <span key={s.code}>
                {i > 0 ? ', ' : ''}
                <a href={`/thu-tuc/linh-vuc/${encodeURIComponent(s.code)}`}>{s.name}</a>
              </span>
            ))}
          </dd>
        </div>
        <div>
          <dt>{tx(locale, 'Cơ quan công bố', 'Published by')}:</dt>
          <dd>
            <a href={`/thu-tuc/co-quan/${encodeURIComponent(p.ownerAgency.code)}`}>{p.ownerAgency.name}</a>
          </dd>
        </div>
        <div>
          <dt>{tx(locale, 'Cơ quan thực hiện', 'Handled by')}:</dt>
          <dd>{c.implementingAgencies.map((a) => a.name).join('; ')}</dd>
        </div>
        <div>
          <dt>{tx(locale, 'Cấp thực hiện', 'Level')}:</dt>
          <dd>{c.levels.map((l) => levelLabel(l, locale)).join(', ')}</dd>
        </div>
        <div>
          <dt>{tx(locale, 'Đối tượng thực hiện', 'Who applies')}:</dt>
          <dd>{c.audiences.map((a) => audienceLabel(a, locale)).join(', ')}</dd>
        </div>
        <div>
          <dt>{tx(locale, 'Mức độ dịch vụ', 'Online service')}:</dt>
          <dd>
            <span class={`badge badge--${c.onlineLevel}`}>{onlineLabel(c.onlineLevel, locale)}</span>
            {c.legacyLevel
              ? tx(
                  locale,
                  `(mức độ ${c.legacyLevel} theo Nghị định 43/2011/NĐ-CP)`,
                  `(level ${c.legacyLevel} under Decree 43/2011)`,
                )
              : null}
          </dd>
        </div>
        <div>
          <dt>{tx(locale, 'Phí, lệ phí', 'Fees')}:</dt>
          <dd>{paymentLabel(c.payment, locale)}</dd>
        </div>
      </dl>
      <div class="procedure-actions">
        {online && !preview ? (
          <a class="button" href={`/ho-so/nop/${encodeURIComponent(p.code)}`}>
            {tx(locale, 'Nộp hồ sơ trực tuyến', 'File online')}
          </a>
        ) : (
          <p class="hint">
            {tx(
              locale,
              'Thủ tục này chưa nộp trực tuyến được; hãy nộp trực tiếp tại cơ quan thực hiện.',
              'This procedure cannot be filed online yet; apply in person.',
            )}
          </p>
        )}
        <a href={`/api/v1/procedures/${encodeURIComponent(p.code)}`}>
          {tx(locale, 'Dữ liệu (JSON)', 'Data (JSON)')}
        </a>
      </div>
      {c.after15hRule ? (
        <Notice title={tx(locale, 'Quy định tiếp nhận sau 15 giờ', 'The 15:00 rule')}>
          <p>
            {tx(
              locale,
              'Hồ sơ tiếp nhận sau 15 giờ được giải quyết trong ngày làm việc tiếp theo.',
              'A dossier received after 15:00 is handled on the next working day.',
            )}
          </p>
        </Notice>
      ) : null}

      <Section
        id="cach-thuc"
        title={tx(locale, 'Cách thức, thời hạn và phí, lệ phí', 'How to apply, time limits and fees')}
      >
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
        <section class="table-scroll" tabIndex={0} aria-label={tx(locale, 'Cách thức thực hiện', 'Channels')}>
          <table class="data-table">
            <caption>{tx(locale, 'Cách thức thực hiện', 'Channels')}</caption>
            <thead>
              <tr>
                <th scope="col">{tx(locale, 'Hình thức nộp', 'Channel')}</th>
                <th scope="col">{tx(locale, 'Thời hạn giải quyết', 'Time limit')}</th>
                <th scope="col">{tx(locale, 'Phí, lệ phí', 'Fees')}</th>
              </tr>
            </thead>
            <tbody>
              {c.channels.flatMap((ch) =>
                ch.times.map((t, i) => (
                  <tr key={`${ch.channel}-${i}`}>
                    <td data-label={tx(locale, 'Hình thức nộp', 'Channel')}>
                      {channelLabel(ch.channel, locale)}
                    </td>
                    <td data-label={tx(locale, 'Thời hạn giải quyết', 'Time limit')}>
                      {t.amount.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB')}{' '}
                      {unitLabel(t.unit, locale)}
                      {t.description ? <p class="hint">{t.description}</p> : null}
                    </td>
                    <td data-label={tx(locale, 'Phí, lệ phí', 'Fees')}>
                      {t.fees.length === 0 ? tx(locale, 'Không quy định', 'None stated') : null}
                      <ul>
                        {t.fees.map((f) => (
                          <li key={f.name}>
                            {/^(lệ phí|phí)/i.test(f.name)
                              ? ''
                              : `${f.kind === 'le-phi' ? tx(locale, 'Lệ phí', 'Charge') : tx(locale, 'Phí', 'Fee')}: `}
                            {f.name} — {describeFormula(f.formula, locale)}
                            {f.note ? <p class="hint">{f.note}</p> : null}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </section>
        {tiered ? (
          <form class="fee-calculator" method="get" action={`/thu-tuc/${encodeURIComponent(p.code)}`}>
            <div>
              <label for="trang">{tx(locale, 'Số trang bản chính', 'Pages of the original')}</label>
              <input
                id="trang"
                name="trang"
                type="number"
                min={1}
                max={100000}
                inputMode="numeric"
                value={fee?.units ?? ''}
              />
            </div>
            <div>
              <label for="ban">{tx(locale, 'Số bản sao', 'Copies')}</label>
              <input
                id="ban"
                name="ban"
                type="number"
                min={1}
                max={100000}
                inputMode="numeric"
                value={fee?.quantity ?? 1}
              />
            </div>
            {locale === 'en' ? <input type="hidden" name="lang" value="en" /> : null}
            <button type="submit" class="button--secondary">
              {tx(locale, 'Tính lệ phí', 'Work out the fee')}
            </button>
            {feeResult ? (
              <p role="status">
                <strong>
                  {tx(locale, 'Lệ phí', 'Fee')}: {feeResult}
                </strong>
              </p>
            ) : null}
          </form>
        ) : null}
      </Section>

      <Section id="thanh-phan" title={tx(locale, 'Thành phần hồ sơ', 'Documents to provide')}>
        {c.cases.map((cs, i) => (
          <div key={cs.name}>
            {c.cases.length > 1 ? (
              <h3>
                {tx(locale, `Trường hợp ${i + 1}: `, `Case ${i + 1}: `)}
                {cs.name}
              </h3>
            ) : null}
            {cs.documents.length === 0 ? (
              <p class="empty">{tx(locale, 'Không phải nộp giấy tờ.', 'No documents needed.')}</p>
            ) : (
              <ul>
                {cs.documents.map((d) => (
                  <li key={d.code}>
                    {d.name}
                    {d.required ? '' : tx(locale, ' (nếu có)', ' (if any)')} —{' '}
                    {tx(
                      locale,
                      `bản chính: ${d.originals}, bản sao: ${d.copies}`,
                      `originals: ${d.originals}, copies: ${d.copies}`,
                    )}
                    {d.template ? (
                      <>
                        {' · '}
                        {d.template.url ? (
                          <a href={d.template.url}>{d.template.name}</a>
                        ) : (
                          <span>
                            {tx(locale, 'Mẫu: ', 'Form: ')}
                            {d.template.name}
                          </span>
                        )}
                      </>
                    ) : null}
                    {d.note ? <p class="hint">{d.note}</p> : null}
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
        <p class="hint">
          {tx(
            locale,
            `Khi nộp trực tuyến, tờ khai điện tử có ${docs.length} ô đính kèm, mỗi giấy tờ một ô. `,
            `Filed online, the e-form has ${docs.length} upload slots, one per document. `,
          )}
          <a href={`/thu-tuc/${encodeURIComponent(p.code)}/to-khai`}>
            {tx(locale, 'Xem tờ khai (bản in)', 'See the form (printable)')}
          </a>
        </p>
      </Section>

      {c.steps.length > 0 ? (
        <Section id="trinh-tu" title={tx(locale, 'Trình tự thực hiện', 'Steps')}>
          <ol class="steps">
            {c.steps.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
        </Section>
      ) : null}
      {c.conditions.length > 0 ? (
        <Section id="dieu-kien" title={tx(locale, 'Yêu cầu, điều kiện', 'Requirements')}>
          <ul class="conditions">
            {c.conditions.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </Section>
      ) : null}
      <Section id="ket-qua" title={tx(locale, 'Kết quả thực hiện', 'Result')}>
        <ul>
          {c.results.map((r) => (
            <li key={r.name}>{r.name}</li>
          ))}
        </ul>
      </Section>
      {c.legalBasis.length > 0 ? (
        <Section id="can-cu" title={tx(locale, 'Căn cứ pháp lý', 'Legal basis')}>
          <ul>
            {c.legalBasis.map((l) => (
              <li key={l.number}>
                <strong>{l.number}</strong> — {l.title}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {p.bundles.length > 0 ? (
        <Section id="lien-thong" title={tx(locale, 'Thủ tục liên thông', 'Part of a life-event bundle')}>
          <ul>
            {p.bundles.map((b) => (
              <li key={b.code}>
                <a href={`/thu-tuc/lien-thong/${b.code}`}>{b.name}</a>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {c.sourceNote ? (
        <Section id="nguon" title={tx(locale, 'Nguồn số liệu', 'Sources')}>
          <p class="hint">{c.sourceNote}</p>
        </Section>
      ) : null}
      {p.versions.length > 1 ? (
        <Section id="phien-ban" title={tx(locale, 'Các phiên bản đã công khai', 'Published versions')}>
          <ul>
            {p.versions.map((v) => (
              <li key={v.version}>
                <a href={`/thu-tuc/${encodeURIComponent(p.code)}?phien-ban=${v.version}`}>
                  {tx(locale, 'Phiên bản', 'Version')} {v.version}
                </a>{' '}
                — <DateText date={new Date(v.publishedAt)} />
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </Layout>
  );
}

export function PrintableFormPage({ locale, path, p }: { locale: Locale; path: string; p: ProcedureDetail }) {
  const field = (f: ProcedureDetail['content']['form']['fields'][number]): ComponentChildren => {
    const label = locale === 'en' && f.label.en ? f.label.en : f.label.vi;
    if (f.type === 'group')
      return (
        <li key={f.key}>
          <strong>{label}</strong>
          {f.repeatable ? tx(locale, ' (có thể kê khai nhiều lần)', ' (may repeat)') : ''}
          <ul>{f.fields.map((x) => field(x as typeof f))}</ul>
        </li>
      );
    const kind =
      f.type === 'id-number'
        ? tx(locale, 'số định danh 12 chữ số', '12-digit ID number')
        : f.type === 'address'
          ? tx(locale, 'tỉnh, xã và địa chỉ chi tiết', 'province, commune and street')
          : f.type === 'date'
            ? tx(locale, 'ngày/tháng/năm', 'dd/mm/yyyy')
            : f.type === 'choice'
              ? f.options.map((o) => (locale === 'en' && o.label.en ? o.label.en : o.label.vi)).join(' / ')
              : f.type === 'file'
                ? tx(locale, 'đính kèm giấy tờ', 'attach the document')
                : '';
    return (
      <li key={f.key}>
        {label}
        {f.required ? ' *' : ''}
        {kind ? <span class="hint"> ({kind})</span> : null}: ……………………………………
      </li>
    );
  };
  return (
    <Layout
      stylesheets={[ASSET_CSS]}
      locale={locale}
      title={`${tx(locale, 'Tờ khai', 'Form')}: ${p.content.name}`}
      path={path}
      breadcrumbs={[
        { href: '/thu-tuc', label: tx(locale, 'Thủ tục hành chính', 'Procedures') },
        { href: `/thu-tuc/${p.code}`, label: p.code },
        { label: tx(locale, 'Tờ khai', 'Form') },
      ]}
    >
      <PageHeading
        title={p.content.name}
        lead={tx(
          locale,
          'Các thông tin cần kê khai (tờ khai điện tử, bản in). Dấu * là bắt buộc.',
          'What the e-form asks for (printable). * means required.',
        )}
      />
      <ol>{p.content.form.fields.map(field)}</ol>
    </Layout>
  );
}
