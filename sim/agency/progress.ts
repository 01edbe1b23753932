/**
 * Progress: on a terminal, one line redrawn in place (a bar, rows sent, rows per second over the last few
 * seconds, batches, retries); otherwise a plain line every few seconds, for logs and CI.
 */
export interface Progress {
  /** `rows` more rows were acknowledged (one batch). */
  advance(rows: number): void;
  retry(reason: string, waitMs: number): void;
  /** Stops redrawing; prints the final line. */
  finish(): void;
  note(text: string): void;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export function createProgress(o: {
  label: string;
  totalRows: number;
  totalBatches: number;
  doneRows: number;
  doneBatches: number;
  out: NodeJS.WriteStream;
  intervalMs: number;
  quiet?: boolean;
}): Progress {
  const tty = Boolean(o.out.isTTY) && !process.env.CI;
  let rows = o.doneRows;
  let batches = o.doneBatches;
  let retries = 0;
  let lastRetry = '';
  const started = Date.now();
  const samples: Array<[number, number]> = [[started, rows]];

  const rate = () => {
    const now = Date.now();
    while (samples.length > 2 && now - samples[0]![0] > 5000) samples.shift();
    const [t0, r0] = samples[0]!;
    return now - t0 > 0 ? ((rows - r0) * 1000) / (now - t0) : 0;
  };
  const line = () => {
    const pct = o.totalRows > 0 ? rows / o.totalRows : 1;
    const text = `${fmt(rows)}/${fmt(o.totalRows)} rows (${Math.floor(pct * 100)}%), ${fmt(rate())} rows/s, batches ${batches}/${o.totalBatches}, retries ${retries}${lastRetry ? ` (last: ${lastRetry})` : ''}`;
    if (!tty) return `${o.label}: ${text}`;
    const width = 24;
    const filled = Math.round(pct * width);
    return `${o.label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${text}`;
  };
  const draw = () => {
    if (o.quiet) return;
    if (tty) o.out.write(`\r\x1b[2K${line().slice(0, (o.out.columns || 160) - 1)}`);
    else o.out.write(`${line()}\n`);
  };
  const timer = setInterval(draw, tty ? 200 : o.intervalMs);
  timer.unref();
  return {
    advance(n) {
      rows += n;
      batches++;
      samples.push([Date.now(), rows]);
    },
    retry(reason, waitMs) {
      retries++;
      lastRetry = `${reason}, next in ${(waitMs / 1000).toFixed(1)} s`;
    },
    note(text) {
      if (o.quiet) return;
      if (tty) o.out.write('\r\x1b[2K');
      o.out.write(`${text}\n`);
      if (tty) draw();
    },
    finish() {
      clearInterval(timer);
      const elapsed = (Date.now() - started) / 1000;
      const overall = elapsed > 0 ? (rows - o.doneRows) / elapsed : 0;
      if (tty) o.out.write('\r\x1b[2K');
      if (!o.quiet)
        o.out.write(
          `${o.label}: ${fmt(rows)}/${fmt(o.totalRows)} rows in ${elapsed.toFixed(1)} s (${fmt(overall)} rows/s), batches ${batches}/${o.totalBatches}, retries ${retries}\n`,
        );
    },
  };
}
