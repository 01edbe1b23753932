/** The HTML error page people see in a browser; API callers get problem+json instead (problem.ts). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Problem } from '../http/index.ts';
import type { Locale, Text } from '../i18n/index.ts';
import { PageHeading } from './components.tsx';
import { Layout } from './layout.tsx';
import { inShell, pageLocale, plainShellFor, renderDocument } from './render.ts';

interface Explanation {
  heading: Text;
  body: Text;
}

const EXPLANATIONS: Record<number, Explanation> = {
  400: {
    heading: { vi: 'Yêu cầu không hợp lệ', en: 'The request is not valid' },
    body: {
      vi: 'Địa chỉ hoặc thông tin gửi lên có chỗ chưa đúng. Vui lòng kiểm tra lại rồi thử lại.',
      en: 'Something in the address or the information sent is not right. Please check it and try again.',
    },
  },
  401: {
    heading: { vi: 'Cần đăng nhập', en: 'Please sign in' },
    body: {
      vi: 'Bạn cần đăng nhập để xem trang này.',
      en: 'You need to sign in to see this page.',
    },
  },
  403: {
    heading: { vi: 'Không có quyền truy cập', en: 'Access denied' },
    body: {
      vi: 'Tài khoản của bạn không có quyền thực hiện thao tác này.',
      en: 'Your account is not allowed to do this.',
    },
  },
  404: {
    heading: { vi: 'Không tìm thấy trang', en: 'Page not found' },
    body: {
      vi: 'Trang bạn tìm không tồn tại hoặc đã được chuyển sang địa chỉ khác. Vui lòng kiểm tra lại đường dẫn.',
      en: 'The page you are looking for does not exist or has moved. Please check the address.',
    },
  },
  405: {
    heading: { vi: 'Thao tác không được hỗ trợ', en: 'Action not supported' },
    body: {
      vi: 'Trang này không hỗ trợ thao tác bạn vừa thực hiện.',
      en: 'This page does not support what you just did.',
    },
  },
  409: {
    heading: { vi: 'Không thực hiện được thao tác', en: 'The action could not be done' },
    body: {
      vi: 'Dữ liệu đã thay đổi trạng thái nên thao tác này không còn phù hợp. Vui lòng tải lại trang và kiểm tra.',
      en: 'The data has changed state, so this action no longer applies. Please reload the page and check.',
    },
  },
  413: {
    heading: { vi: 'Dữ liệu gửi lên quá lớn', en: 'Too much data sent' },
    body: {
      vi: 'Tệp hoặc nội dung gửi lên vượt quá dung lượng cho phép.',
      en: 'The file or content sent is larger than allowed.',
    },
  },
  422: {
    heading: { vi: 'Dữ liệu không hợp lệ', en: 'Invalid information' },
    body: {
      vi: 'Thông tin gửi lên chưa đúng quy định. Vui lòng kiểm tra lại.',
      en: 'The information sent does not meet the rules. Please check it.',
    },
  },
  429: {
    heading: { vi: 'Quá nhiều yêu cầu', en: 'Too many requests' },
    body: {
      vi: 'Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng chờ một lát rồi thử lại.',
      en: 'You have sent too many requests in a short time. Please wait a moment and try again.',
    },
  },
  500: {
    heading: { vi: 'Hệ thống đang gặp sự cố', en: 'Something went wrong' },
    body: {
      vi: 'Hệ thống chưa xử lý được yêu cầu của bạn. Vui lòng thử lại sau ít phút; nếu lỗi lặp lại, hãy báo mã yêu cầu dưới đây cho bộ phận hỗ trợ.',
      en: 'The system could not complete your request. Please try again in a few minutes; if it happens again, give the request id below to support.',
    },
  },
  502: {
    heading: { vi: 'Hệ thống liên thông không phản hồi', en: 'A connected system did not respond' },
    body: {
      vi: 'Một hệ thống liên thông chưa phản hồi. Vui lòng thử lại sau ít phút.',
      en: 'A connected system did not answer. Please try again in a few minutes.',
    },
  },
  503: {
    heading: { vi: 'Dịch vụ tạm thời gián đoạn', en: 'Service temporarily unavailable' },
    body: {
      vi: 'Hệ thống đang bảo trì hoặc quá tải. Vui lòng thử lại sau ít phút.',
      en: 'The system is under maintenance or overloaded. Please try again in a few minutes.',
    },
  },
};

const WORDS = {
  status: { vi: 'Mã lỗi', en: 'Error code' },
  detail: { vi: 'Chi tiết', en: 'Details' },
  requestId: { vi: 'Mã yêu cầu', en: 'Request id' },
  requestIdHint: {
    vi: 'Khi liên hệ bộ phận hỗ trợ, vui lòng cung cấp mã yêu cầu này.',
    en: 'Please give this request id when you contact support.',
  },
  home: { vi: 'Về trang chủ', en: 'Go to the home page' },
  search: { vi: 'Tìm kiếm trên Cổng', en: 'Search the portal' },
  whatNext: { vi: 'Bạn có thể', en: 'You can' },
} as const satisfies Record<string, Text>;

export function explanationFor(status: number): Explanation {
  return EXPLANATIONS[status] ?? (status >= 500 ? EXPLANATIONS[500]! : EXPLANATIONS[400]!);
}

export function ErrorPage({ locale, path, problem }: { locale: Locale; path: string; problem: Problem }) {
  const { heading, body } = explanationFor(problem.status);
  const showDetail = problem.status < 500 && problem.detail !== undefined && problem.detail !== '';
  return (
    <Layout locale={locale} title={heading[locale]} path={path}>
      <div class="error-page">
        <p class="error-page__status">
          {WORDS.status[locale]} {problem.status}
        </p>
        <PageHeading title={heading[locale]} lead={body[locale]} />
        {showDetail ? (
          <div class="notice notice--warning">
            <p class="notice__title">{WORDS.detail[locale]}</p>
            <p>{problem.detail}</p>
          </div>
        ) : null}
        <dl class="facts">
          <div>
            <dt>{WORDS.requestId[locale]}</dt>
            <dd>
              <code>{problem.requestId}</code>
            </dd>
          </div>
        </dl>
        <p class="hint">{WORDS.requestIdHint[locale]}</p>
        <p>{WORDS.whatNext[locale]}:</p>
        <ul class="actions">
          <li>
            <a class="button" href="/">
              {WORDS.home[locale]}
            </a>
          </li>
          <li>
            <a class="button button--secondary" href="/tim-kiem">
              {WORDS.search[locale]}
            </a>
          </li>
        </ul>
      </div>
    </Layout>
  );
}

/** The `htmlErrorRenderer` the web plugin installs on the app. */
export function renderErrorPage(request: FastifyRequest, _reply: FastifyReply, problem: Problem): string {
  // Synchronous: the header's plain links (no counts), and no sign-out token.
  return renderDocument(
    inShell(
      plainShellFor(request),
      <ErrorPage locale={pageLocale(request)} path={request.url} problem={problem} />,
    ),
  );
}
