/**
 * Benchmarks: `npm run bench -- <name>` (or no name for all). Each prints a table — figure, ours,
 * limit, ratio — where the limit is measured in the same run on the same machine.
 */
import os from 'node:os';
import { catalogSearch } from './catalog-search.ts';
import { dossierSubmit } from './dossier-submit.ts';
import { feedbackSearch } from './feedback-search.ts';
import { healthReady } from './health-ready.ts';
import { lookup } from './lookup.ts';
import { notify } from './notify.ts';
import { payments } from './payments.ts';
import { signVerify } from './sign-verify.ts';
import { startup } from './startup.ts';
import { syncIngest } from './sync-ingest.ts';

export interface Row {
  figure: string;
  ours: number;
  limit: number;
  unit: string;
  /** higher-is-better figures show ours/limit; lower-is-better show limit/ours… both as "ratio". */
  better: 'higher' | 'lower';
  note?: string;
}

const BENCHES: Record<string, () => Promise<Row[]>> = {
  'health-ready': healthReady,
  startup,
  'catalog-search': catalogSearch,
  'dossier-submit': dossierSubmit,
  'sync-ingest': syncIngest,
  lookup,
  notify,
  payments,
  'sign-verify': signVerify,
  'feedback-search': feedbackSearch,
};

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

export function printTable(name: string, rows: Row[]): void {
  const lines = [
    `## ${name} — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
    '',
    '| figure | ours | limit | ratio (ours/limit) |',
    '|---|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.figure} | ${fmt(r.ours)} ${r.unit} | ${fmt(r.limit)} ${r.unit} | ${(r.ours / r.limit).toFixed(2)}${r.note ? ` (${r.note})` : ''} |`,
    ),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : Object.keys(BENCHES);
for (const name of names) {
  const bench = BENCHES[name];
  if (!bench) {
    process.stderr.write(`unknown benchmark ${name}; known: ${Object.keys(BENCHES).join(', ')}\n`);
    process.exit(2);
  }
  printTable(name, await bench());
}
process.exit(0);
