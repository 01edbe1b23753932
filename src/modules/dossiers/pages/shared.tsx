/** What the dossier pages share: their dependencies, request helpers, labels, the dossier list table. */
import { Type } from 'typebox';
import type { StoredBlob } from '../../../platform/files/index.ts';
import { access } from '../../../platform/http/index.ts';
import { STATUS_NAMES, type StatusCode } from '../../../platform/kernel/index.ts';
import { DataTable } from '../../../platform/web/index.ts';
import { isOverdue } from '../domain/deadline.ts';
import type { Desk, InboxTab, ListItem } from '../dossiers.desk.ts';
import type { FeeFlow } from '../dossiers.fee-flow.ts';
import { vnWhen } from '../dossiers.notify.ts';
import type { People, SyncedDossiers } from '../dossiers.ports.ts';
import type { DossiersService } from '../dossiers.service.ts';
import type { UnitDirectory } from '../dossiers.units.ts';

export interface PagesDeps {
  service: DossiersService;
  desk: Desk;
  people: People;
  /** Dossiers synced from agencies' systems whose applicant is the account (citizens). */
  synced?: SyncedDossiers | undefined;
  units: UnitDirectory;
  agencyName(code: string): Promise<string | undefined>;
  /** The present moment (the module's clock). */
  now(): Date;
  /** Fees paid online: the bill to pay, the dossier's payments, whether the agency collects online. */
  fees?: { flow: FeeFlow; online(agencyCode: string): Promise<boolean> } | undefined;
}

/** What a file part of a multipart form became while it was parsed. */
export type FilePart = { stored: StoredBlob; fileName: string } | { error: string; fileName: string };

export const CodeParams = Type.Object({ code: Type.String({ maxLength: 60 }) });
export const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
export const Loose = Type.Record(Type.String(), Type.Unknown());
export const APPLICANTS = access.account('citizen', 'business', 'organisation');
export const OFFICERS = access.officer('receiver', 'processor', 'approver', 'cashier');

/** The first string of a form value (a repeated field posts an array). */
export const one = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;

export const TAB_LABELS: Record<InboxTab, string> = {
  new: 'Mới nộp',
  mine: 'Được giao cho tôi',
  'due-soon': 'Sắp đến hạn',
  overdue: 'Quá hạn',
  escalated: 'Đã báo cáo lãnh đạo',
  open: 'Đang giải quyết',
  all: 'Tất cả',
};

export const FLAG_LABELS: Record<string, string> = {
  'on-time': 'Trong hạn',
  'due-soon': 'Sắp đến hạn',
  overdue: 'Quá hạn',
  paused: 'Tạm dừng tính thời gian (chờ bổ sung)',
  early: 'Trước hạn',
  late: 'Trễ hạn',
};

/** Names of agencies, one look-up each. */
export async function agencyNames(
  codes: Iterable<string>,
  agencyName: PagesDeps['agencyName'],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const code of new Set(codes)) names.set(code, (await agencyName(code)) ?? code);
  return names;
}

/** Dossiers in a table: the applicant's list and the officers' inbox. */
export function DossierTable({
  items,
  names,
  caption,
  officer,
  now,
}: {
  items: ListItem[];
  names: Map<string, string>;
  caption: string;
  officer?: boolean;
  now: Date;
}) {
  return (
    <DataTable
      caption={caption}
      rows={items}
      rowKey={(i) => i.code}
      empty="Không có hồ sơ nào."
      columns={[
        { header: 'Mã hồ sơ', cell: (i) => <a href={`/ho-so/${encodeURIComponent(i.code)}`}>{i.code}</a> },
        { header: 'Thủ tục', cell: (i) => i.procedureName },
        ...(officer ? [{ header: 'Người nộp', cell: (i: ListItem) => i.applicantName }] : []),
        {
          header: 'Cơ quan giải quyết',
          cell: (i) => names.get(i.competentAgencyCode) ?? i.competentAgencyCode,
        },
        {
          header: 'Trạng thái',
          cell: (i) => (
            <>
              {STATUS_NAMES[i.status as StatusCode].vi}
              {officer && i.escalationLevel ? (
                <>
                  {' '}
                  <strong>— đã báo cáo lãnh đạo (lần {i.escalationLevel})</strong>
                </>
              ) : null}
            </>
          ),
        },
        { header: 'Ngày nộp', cell: (i) => vnWhen(i.submittedAt) },
        {
          header: 'Hẹn trả',
          cell: (i) => (
            <>
              {vnWhen(i.dueAt)}
              {isOverdue(i, now) ? (
                <>
                  {' '}
                  <strong class="tag tag--danger">Quá hạn</strong>
                </>
              ) : null}
            </>
          ),
        },
      ]}
    />
  );
}
