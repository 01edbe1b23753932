/**
 * Setting up an authenticator app (officers' first sign-in, the first administrator's enrolment link):
 * a QR code to scan, the key to type when the phone cannot scan its own screen, and the otpauth:// link
 * for an app on the same phone.
 */
import { type Locale, tx } from '../../../platform/i18n/index.ts';
import { Notice, QrCode } from '../../../platform/web/index.ts';

export function AuthenticatorSetup(props: { locale: Locale; title: string; secret: string; uri: string }) {
  const { locale } = props;
  return (
    <Notice kind="info" title={props.title}>
      <p>
        {tx(
          locale,
          'Mở ứng dụng xác thực (Google Authenticator, Microsoft Authenticator, FreeOTP…), quét mã QR dưới đây hoặc nhập khóa thiết lập, rồi nhập mã 6 chữ số ứng dụng hiển thị.',
          'Open your authenticator app (Google Authenticator, Microsoft Authenticator, FreeOTP…), scan the QR code below or enter the setup key, then type the 6-digit code it shows.',
        )}
      </p>
      <p>
        <QrCode
          value={props.uri}
          label={tx(locale, 'Mã QR thiết lập ứng dụng xác thực', 'QR code to set up the authenticator app')}
        />
      </p>
      <p>
        {tx(locale, 'Khóa thiết lập: ', 'Setup key: ')}
        <code class="secret">{props.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
      </p>
      <p>
        <a href={props.uri}>
          {tx(
            locale,
            'Mở trong ứng dụng xác thực trên điện thoại này',
            'Open in the authenticator app on this phone',
          )}
        </a>
      </p>
    </Notice>
  );
}
