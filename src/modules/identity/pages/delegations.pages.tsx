/**
 * Authorisations to act for a business or organisation, on the account page: the business names a
 * citizen by personal ID number, the citizen accepts or declines, the business revokes.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { formatVietnameseDate } from '../../../platform/clock/index.ts';
import { type AppInstance, access } from '../../../platform/http/index.ts';
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import { DataTable } from '../../../platform/web/index.ts';
import type { DelegationsService } from '../delegations.service.ts';
import type { AccountKind } from '../identity.tables.ts';
import { Actions, attempt, CsrfField, Field, type FieldErrors, FormBody, S } from './forms.tsx';

/** The authorisations an account's page shows: given (a business), invitations and in force (a citizen). */
export async function delegationsOf(delegations: DelegationsService, a: { id: string; kind: AccountKind }) {
  const represents = a.kind === 'business' || a.kind === 'organisation';
  const given = represents ? await delegations.given(a.id) : [];
  const actingFor = a.kind === 'citizen' ? await delegations.actingFor(a.id) : [];
  const invitations = a.kind === 'citizen' ? await delegations.invitationsFor(a.id) : [];
  return { represents, given, actingFor, invitations };
}

export function DelegationSections({
  locale,
  token,
  errors: e,
  delegated: { represents, given, actingFor, invitations },
}: {
  locale: Locale;
  token: string;
  errors: FieldErrors;
  delegated: Awaited<ReturnType<typeof delegationsOf>>;
}) {
  const statusLabel = {
    invited: tx(locale, 'Chờ người được ủy quyền chấp nhận', 'Waiting for the person to accept'),
    accepted: tx(locale, 'Đang hiệu lực', 'In force'),
    declined: tx(locale, 'Bị từ chối', 'Declined'),
    revoked: tx(locale, 'Đã thu hồi', 'Revoked'),
    expired: tx(locale, 'Hết hạn', 'Expired'),
  };
  return (
    <>
      {represents ? (
        <>
          <h2 id="uy-quyen">
            {tx(locale, 'Ủy quyền thay mặt doanh nghiệp, tổ chức', 'Authorisations to act for you')}
          </h2>
          <p>
            {tx(
              locale,
              'Người được ủy quyền cần đăng nhập và chấp nhận; đến lúc đó Cổng không cho biết số định danh thuộc về ai.',
              'The person must sign in and accept; until then the portal does not say whose the number is.',
            )}
          </p>
          <DataTable
            caption={tx(locale, 'Người được ủy quyền', 'Authorised people')}
            columns={[
              {
                header: tx(locale, 'Người được ủy quyền', 'Person'),
                cell: (d) =>
                  d.display_name ? `${d.display_name} (${d.delegate_personal_id})` : d.delegate_personal_id,
              },
              {
                header: tx(locale, 'Phạm vi', 'Scope'),
                cell: (d) =>
                  d.all_procedures
                    ? tx(locale, 'Mọi thủ tục', 'Every procedure')
                    : d.procedure_codes.join(', '),
              },
              {
                header: tx(locale, 'Đến hết ngày', 'Until'),
                cell: (d) => formatVietnameseDate(d.valid_until),
              },
              {
                header: tx(locale, 'Trạng thái', 'Status'),
                cell: (d) => (
                  <>
                    {statusLabel[d.status]}
                    {d.status === 'invited' || d.status === 'accepted' ? (
                      <form method="post" action={`/tai-khoan/uy-quyen/${d.id}/thu-hoi`}>
                        <CsrfField token={token} />
                        <button type="submit" class="button button--secondary">
                          {tx(locale, 'Thu hồi', 'Revoke')}
                        </button>
                      </form>
                    ) : null}
                  </>
                ),
              },
            ]}
            rows={given}
            rowKey={(d) => String(d.id)}
            empty={tx(locale, 'Chưa ủy quyền cho ai.', 'Nobody is authorised yet.')}
          />
          <form method="post" action="/tai-khoan/uy-quyen" class="form" novalidate>
            <CsrfField token={token} />
            <Field
              name="personalId"
              label={tx(
                locale,
                'Số định danh cá nhân của người được ủy quyền',
                'Personal ID number of the person',
              )}
              error={e.personalId}
              inputmode="numeric"
              maxLength={20}
              required
            />
            <Field
              name="procedures"
              label={tx(locale, 'Mã thủ tục được ủy quyền', 'Procedure codes')}
              hint={tx(
                locale,
                'Để trống nếu ủy quyền mọi thủ tục; nhiều mã cách nhau bởi dấu phẩy, ví dụ 2.000815, 1.001776.',
                'Empty for every procedure; several codes separated by commas.',
              )}
              error={e.procedures}
              maxLength={2000}
            />
            <Field
              name="validUntil"
              type="date"
              label={tx(locale, 'Hiệu lực đến hết ngày', 'Valid until')}
              error={e.validUntil}
              required
            />
            <Actions>
              <button type="submit" class="button">
                {tx(locale, 'Ủy quyền', 'Authorise')}
              </button>
            </Actions>
          </form>
        </>
      ) : null}
      {invitations.length > 0 ? (
        <>
          <h2 id="de-nghi-uy-quyen">
            {tx(locale, 'Đề nghị ủy quyền gửi bạn', 'Requests to act for others')}
          </h2>
          <ul class="invitations">
            {invitations.map((d) => (
              <li key={d.id}>
                <p>
                  <strong>{d.display_name}</strong> ({tx(locale, 'mã số thuế', 'tax code')} {d.tax_code}) —{' '}
                  {d.all_procedures
                    ? tx(locale, 'mọi thủ tục', 'every procedure')
                    : d.procedure_codes.join(', ')}
                  , {tx(locale, 'đến hết', 'until')} {formatVietnameseDate(d.valid_until)}
                </p>
                <form method="post" action={`/tai-khoan/uy-quyen/${d.id}/chap-nhan`} class="inline-form">
                  <CsrfField token={token} />
                  <button type="submit" class="button">
                    {tx(locale, 'Chấp nhận', 'Accept')}
                  </button>
                </form>{' '}
                <form method="post" action={`/tai-khoan/uy-quyen/${d.id}/tu-choi`} class="inline-form">
                  <CsrfField token={token} />
                  <button type="submit" class="button button--secondary">
                    {tx(locale, 'Từ chối', 'Decline')}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {actingFor.length > 0 ? (
        <>
          <h2 id="duoc-uy-quyen">{tx(locale, 'Bạn được ủy quyền thay mặt', 'You may act for')}</h2>
          <ul>
            {actingFor.map((d) => (
              <li key={d.id}>
                {d.display_name} ({d.tax_code}) —{' '}
                {d.all_procedures
                  ? tx(locale, 'mọi thủ tục', 'every procedure')
                  : d.procedure_codes.join(', ')}
                , {tx(locale, 'đến hết', 'until')} {formatVietnameseDate(d.valid_until)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

/** The authorisation forms' actions; a refused one shows the account page again with its errors. */
export function delegationRoutes(
  app: AppInstance,
  {
    delegations,
    accountPage,
  }: {
    delegations: DelegationsService;
    accountPage(
      request: FastifyRequest,
      reply: FastifyReply,
      state: { errors?: FieldErrors; status?: number },
    ): Promise<unknown>;
  },
) {
  app.post(
    '/tai-khoan/uy-quyen',
    {
      config: { access: access.account('business', 'organisation') },
      schema: { hide: true, body: FormBody({ personalId: S(20), procedures: S(2000), validUntil: S(10) }) },
    },
    async (request, reply) => {
      const current = request.account;
      if (!current) return reply.code(303).redirect('/dang-nhap?tiep=%2Ftai-khoan');
      const b = request.body;
      const r = await attempt(() =>
        delegations.delegate(current.id, {
          personalId: b.personalId ?? '',
          procedures: (b.procedures ?? '').split(/[\s,;]+/),
          validUntil: b.validUntil ?? '',
        }),
      );
      if (!r.ok) return accountPage(request, reply, { errors: r.errors, status: r.status });
      return reply.code(303).redirect('/tai-khoan#uy-quyen');
    },
  );

  app.post(
    '/tai-khoan/uy-quyen/:id/thu-hoi',
    {
      config: { access: access.account('business', 'organisation') },
      schema: { hide: true, params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), body: FormBody({}) },
    },
    async (request, reply) => {
      const current = request.account;
      if (!current) return reply.code(303).redirect('/dang-nhap?tiep=%2Ftai-khoan');
      await delegations.revoke(current.id, request.params.id);
      return reply.code(303).redirect('/tai-khoan#uy-quyen');
    },
  );

  for (const [verb, act] of [
    ['chap-nhan', delegations.accept],
    ['tu-choi', delegations.decline],
  ] as const) {
    app.post(
      `/tai-khoan/uy-quyen/:id/${verb}`,
      {
        config: { access: access.account('citizen') },
        schema: { hide: true, params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), body: FormBody({}) },
      },
      async (request, reply) => {
        await act(request.account!.id, request.params.id);
        return reply.code(303).redirect('/tai-khoan#duoc-uy-quyen');
      },
    );
  }
}
