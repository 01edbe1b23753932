/** Who may read the Prometheus metrics (MetricsConfig): a bearer token, or an address of their own. */
import type { Field, Read } from './fields.ts';

/**
 * The metrics tell how busy the portal is, its routes and its database: not for anyone. With a token,
 * `/metrics` on the portal's port asks for it as a bearer token; with a listen address, the metrics are
 * served there only (a port the monitoring network reaches), not on the portal's port. With neither
 * (development only), `/metrics` answers only connections from this machine.
 */
export interface MetricsConfig {
  token: string | undefined;
  listen: { host: string; port: number } | undefined;
}

const metricsToken: Field<string> = {
  expects: 'a token of 32 to 500 printable characters without spaces',
  parse: (raw) => (/^[\x21-\x7e]{32,500}$/.test(raw) ? raw : undefined),
};

const listenAddress: Field<{ host: string; port: number }> = {
  expects: 'host:port, such as 127.0.0.1:9464 or [::1]:9464',
  parse: (raw) => {
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9._-]{1,253})):(\d{1,5})$/.exec(raw);
    const port = m ? Number(m[3]) : Number.NaN;
    return m && port >= 1 && port <= 65535 ? { host: (m[1] ?? m[2]) as string, port } : undefined;
  },
};

/** METRICS_TOKEN and METRICS_LISTEN; in production, one of them is required. */
export function readMetrics(read: Read): MetricsConfig {
  return {
    token: read('METRICS_TOKEN', metricsToken),
    listen: read('METRICS_LISTEN', listenAddress),
  };
}

export function checkMetrics(metrics: MetricsConfig, production: boolean, problems: string[]): void {
  if (production && !metrics.token && !metrics.listen) {
    problems.push(
      'METRICS_TOKEN or METRICS_LISTEN is required when NODE_ENV=production (who may read the metrics: a bearer token, or an address only the monitoring network reaches)',
    );
  }
}
