/** The variables with their defaults and meaning, for the README and `--help`. */
export const CONFIG_VARIABLES: ReadonlyArray<{ name: string; default: string; meaning: string }> = [
  { name: 'PORT', default: '3000', meaning: 'HTTP port' },
  { name: 'HOST', default: '127.0.0.1', meaning: 'address to listen on (0.0.0.0 in a container)' },
  {
    name: 'PUBLIC_URL',
    default: 'http://localhost:$PORT',
    meaning: 'public base URL (https, required in production)',
  },
  { name: 'DATABASE_URL', default: '(none: embedded PGlite)', meaning: 'postgres:// URL of PostgreSQL 15+' },
  { name: 'DATABASE_POOL_MAX', default: '10', meaning: 'PostgreSQL connections per process' },
  {
    name: 'PORTAL_PROCESSES',
    default: '1',
    meaning:
      'processes serving the port (node:cluster), or auto for one per CPU core; above 1 needs DATABASE_URL',
  },
  { name: 'DATA_DIR', default: './data', meaning: 'embedded database and local files' },
  { name: 'LOG_LEVEL', default: 'info', meaning: 'fatal, error, warn, info, debug, trace or silent' },
  { name: 'NODE_ENV', default: 'development', meaning: 'development, production or test' },
  {
    name: 'TRUST_PROXY',
    default: 'false',
    meaning: 'trust X-Forwarded-*: true, a hop count, or proxy addresses/CIDRs',
  },
  { name: 'OUTBOX_POLL_MS', default: '1000', meaning: 'how often the outbox dispatcher looks for work' },
  {
    name: 'OUTBOX_LEASE_MS',
    default: '60000',
    meaning:
      'how long a message being delivered is held; longer than the slowest delivery (a crashed process’s messages are delivered again after it)',
  },
  {
    name: 'WEBHOOK_TIMEOUT_MS',
    default: '10000',
    meaning: 'deadline of one webhook POST to an agency system',
  },
  { name: 'WEBHOOK_MAX_ATTEMPTS', default: '12', meaning: 'tries of a webhook before its dead letter' },
  {
    name: 'WEBHOOK_RETRY_BASE_MS',
    default: '30000',
    meaning: 'first retry wait; doubles per try (±20%), at most 6 hours',
  },
  {
    name: 'WEBHOOK_ALLOW_PRIVATE',
    default: 'true (false in production)',
    meaning: 'allow webhook endpoints on loopback and private networks',
  },
  {
    name: 'SHUTDOWN_TIMEOUT_MS',
    default: '10000',
    meaning: 'grace period for in-flight requests on SIGTERM',
  },
  { name: 'UPLOAD_MAX_MB', default: '20', meaning: 'largest file a person may upload, in MB' },
  {
    name: 'S3_ENDPOINT, S3_BUCKET, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_PREFIX',
    default: '(none: files in DATA_DIR/blobs)',
    meaning: 'an S3-compatible object store for files (all but the prefix, or none)',
  },
  {
    name: 'OPERATOR_NAME',
    default: '(none; required in production)',
    meaning: 'the operating agency, shown in the footer',
  },
  {
    name: 'OPERATOR_HOTLINE',
    default: '(none; required in production)',
    meaning: 'support hotline, a Vietnamese number (1900 1234, 024 3825 1234…), shown as a tel: link',
  },
  {
    name: 'OPERATOR_EMAIL',
    default: '(none; required in production)',
    meaning: 'support e-mail address, shown as a mailto: link',
  },
  { name: 'OPERATOR_ADDRESS', default: '(none)', meaning: 'postal address of the operator, in the footer' },
  {
    name: 'POPULATION_REGISTER_URL, POPULATION_REGISTER_API_KEY',
    default: '(none; required in production; the embedded demo starts a simulator)',
    meaning:
      'the national population database that proves citizens at registration, and the portal key to it',
  },
  {
    name: 'BUSINESS_REGISTER_URL, BUSINESS_REGISTER_API_KEY',
    default: '(none; required in production; the embedded demo starts a simulator)',
    meaning: 'the national business registration database that proves businesses, and the portal key to it',
  },
  {
    name: 'REGISTER_TIMEOUT_MS',
    default: '5000',
    meaning: 'deadline of one request to a national register',
  },
  {
    name: 'POLICE_URL, POLICE_WEBHOOK_SECRET',
    default: '(none; the embedded demo starts a simulator)',
    meaning:
      'the traffic police system of penalty decisions, told when a fine is paid (POST /api/v1/fines/paid), and the secret (8+ characters) the notices are signed with (HMAC-SHA256)',
  },
  {
    name: 'SOCIAL_INSURANCE_URL, SOCIAL_INSURANCE_API_KEY',
    default: '(none; the embedded demo starts a simulator)',
    meaning:
      'Vietnam Social Security: voluntary social-insurance participants and contributions, and the portal key to it',
  },
  {
    name: 'METRICS_TOKEN',
    default: '(none; this or METRICS_LISTEN required in production)',
    meaning: 'bearer token the monitoring system sends to read /metrics on the portal port',
  },
  {
    name: 'METRICS_LISTEN',
    default: '(none)',
    meaning:
      'host:port where the metrics are served instead of the portal port (only what the monitoring network reaches); with neither, /metrics answers this machine only',
  },
  {
    name: 'SMTP_URL',
    default: '(none; required in production, or off; the embedded demo starts a mail sink)',
    meaning:
      'the mail server e-mails leave through: smtp://user:password@host:587 (STARTTLS, required in production) or smtps://…:465 (TLS); off sends no e-mail',
  },
  { name: 'MAIL_FROM', default: '(none; required with SMTP_URL)', meaning: 'the sender address of e-mails' },
  { name: 'MAIL_FROM_NAME', default: 'Cổng Dịch vụ công', meaning: 'the sender name of e-mails' },
  {
    name: 'DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY_FILE',
    default: '(none: not signed)',
    meaning:
      'DKIM signing of e-mails: the signing domain, the selector and a PEM private key file (all or none)',
  },
  {
    name: 'SMS_GATEWAY_URL',
    default: '(none; required in production, or off; the embedded demo starts a simulator)',
    meaning: 'the brand-name SMS gateway (HTTP API); off sends no SMS',
  },
  {
    name: 'SMS_GATEWAY_API_KEY, SMS_BRAND_NAME, SMS_GATEWAY_REPORT_SECRET',
    default: '(none; required with SMS_GATEWAY_URL)',
    meaning:
      'the portal key to the gateway, the brand name registered with the operators, and the secret (32+ characters) the gateway signs delivery reports with',
  },
  { name: 'NOTIFY_MAX_ATTEMPTS', default: '8', meaning: 'tries of a message before it is failed (1–10)' },
  {
    name: 'NOTIFY_TIMEOUT_MS',
    default: '10000',
    meaning: 'deadline of one SMTP step or SMS gateway request',
  },
  {
    name: 'PAYMENTS_CRASH_AT',
    default: '(none; refused in production)',
    meaning:
      'tests only: after-receive or after-ledger, where a payment callback kills the process (SIGKILL), for the crash tests',
  },
  {
    name: 'AGENCY_IDENTIFIERS_FILE',
    default: '(none)',
    meaning:
      'CSV of agency identifier codes (identifier,agency_code,valid_from,valid_to,verified,source) that overrides the shipped list',
  },
];
