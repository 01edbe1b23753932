/**
 * An agency system's webhook endpoint, for trying outbound delivery by hand: it checks each request's
 * Standard Webhooks signature with node:crypto (not the portal's code), prints the dossier it carries,
 * remembers webhook-ids (a redelivery is reported as such), and can fail on purpose to show retries and
 * dead letters.
 *
 *   WEBHOOK_SECRET=whsec_… PORT=4100 FAIL_RATE=0.3 node --import tsx sim/webhook-receiver/main.ts
 *
 * Register it first (the secret is printed once), e.g. from /quan-tri/dong-bo/webhook as a system
 * administrator, or with the system's token: POST /api/v1/sync/webhooks {"url": "http://localhost:4100/hooks"}.
 * The portal refuses loopback endpoints when WEBHOOK_ALLOW_PRIVATE=false (the production default).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

const secret = process.env.WEBHOOK_SECRET ?? '';
const port = Number(process.env.PORT ?? 4100);
const failRate = Number(process.env.FAIL_RATE ?? 0);
const seen = new Set<string>();

function verified(headers: http.IncomingHttpHeaders, body: string): boolean {
  if (!secret.startsWith('whsec_')) return false;
  const id = String(headers['webhook-id'] ?? '');
  const ts = String(headers['webhook-timestamp'] ?? '');
  if (!/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
  return String(headers['webhook-signature'] ?? '')
    .split(' ')
    .some((part) => {
      const [v, sig] = part.split(',');
      const got = Buffer.from(sig ?? '', 'base64');
      return v === 'v1' && got.length === expected.length && timingSafeEqual(got, expected);
    });
}

http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id'] ?? '?');
      if (!verified(req.headers, body)) {
        process.stdout.write(`✗ ${id}: chữ ký không hợp lệ / bad signature\n`);
        res.writeHead(401).end();
        return;
      }
      if (Math.random() < failRate) {
        process.stdout.write(`… ${id}: trả 500 có chủ ý / failing on purpose\n`);
        res.writeHead(500).end();
        return;
      }
      const again = seen.has(id);
      seen.add(id);
      const { type, data } = JSON.parse(body) as {
        type: string;
        data: {
          cursor: number;
          MaHoSo: string;
          code?: string;
          agencyCode?: string;
          action: string;
          revision: number;
          record: Record<string, unknown>;
        };
      };
      if (type === 'feedback.routed') {
        process.stdout.write(
          `✓ ${id}${again ? ' (gửi lại / redelivered)' : ''}: phản ánh ${data.code} → ${data.agencyCode} ` +
            `(${data.action}): ${String(data.record.title)}\n`,
        );
        res.writeHead(204).end();
        return;
      }
      process.stdout.write(
        `✓ ${id}${again ? ' (gửi lại / redelivered)' : ''}: ${data.MaHoSo} r${data.revision} ${data.action} → ` +
          `TrangThaiHoSo ${String(data.record.TrangThaiHoSo)}, ${String(data.record.TenTTHC)}, ` +
          `${(data.record.TaiLieuNop as unknown[] | undefined)?.length ?? 0} tệp\n`,
      );
      res.writeHead(204).end();
    });
  })
  .listen(port, () => {
    process.stdout.write(`Nhận webhook tại / receiving at http://localhost:${port}/hooks\n`);
    if (!secret) process.stdout.write('WEBHOOK_SECRET chưa đặt: mọi yêu cầu sẽ bị từ chối (401).\n');
  });
