/**
 * The simulator's own record, one JSON object a line: first what it generated (the options, the "now" of
 * the run, the procedures taken from the catalogue, a fingerprint of the plan), then one line for each
 * batch the portal acknowledged. Generation is deterministic, so this is enough to rebuild every event and
 * to send again, after a crash or a kill, exactly the batches that were never acknowledged. Each line is
 * written with one append and flushed to disk before the batch counts as done; a line torn by a crash is
 * ignored (its batch is simply sent again: the API is idempotent).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ProcedureInfo } from './generate.ts';
import type { OfficeDays } from './office-calendar.ts';

export interface JournalHeader {
  kind: 'header';
  version: 1;
  createdAt: string;
  options: {
    seed: number;
    dossiers: number;
    identifiers: string[];
    days: number;
    mode: 'rest' | 'dvcqg';
    duplicates: number;
    shuffle: boolean;
    batch: number;
    codeOffset: number;
  };
  anchor: string;
  procedures: ProcedureInfo[];
  /** The portal's working days for the run (absent in journals of older simulators: read at resume). */
  calendar?: OfficeDays;
  plan: { events: number; batches: number; digest: string };
}

export interface AckLine {
  kind: 'ack';
  batch: number;
  at: string;
  accepted: number;
  duplicate: number;
  rejected: number;
  /** The first few rejections, with the portal's reasons. */
  reasons?: Array<{ code: string | null; reason: string }>;
}

export interface Journal {
  file: string;
  header: JournalHeader;
  acks: Map<number, AckLine>;
  ack(line: Omit<AckLine, 'kind' | 'at'>): void;
}

function append(fd: number, value: unknown) {
  fs.writeSync(fd, `${JSON.stringify(value)}\n`);
  fs.fsyncSync(fd);
}

/** The journal at `file`, or undefined when there is none. */
export function readJournal(file: string): { header: JournalHeader; acks: Map<number, AckLine> } | undefined {
  if (!fs.existsSync(file)) return undefined;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  let header: JournalHeader | undefined;
  const acks = new Map<number, AckLine>();
  for (const line of lines) {
    if (line.trim() === '') continue;
    let value: { kind?: string };
    try {
      value = JSON.parse(line);
    } catch {
      continue; // torn by a crash
    }
    if (value.kind === 'header') header = value as JournalHeader;
    else if (value.kind === 'ack') acks.set((value as AckLine).batch, value as AckLine);
  }
  return header ? { header, acks } : undefined;
}

export function openJournal(file: string, header: JournalHeader, acks = new Map<number, AckLine>()): Journal {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fresh = acks.size === 0 && !fs.existsSync(file);
  const fd = fs.openSync(file, fresh ? 'w' : 'a');
  if (fresh) append(fd, header);
  return {
    file,
    header,
    acks,
    ack(line) {
      const full: AckLine = { kind: 'ack', at: new Date().toISOString(), ...line };
      append(fd, full);
      acks.set(line.batch, full);
    },
  };
}
