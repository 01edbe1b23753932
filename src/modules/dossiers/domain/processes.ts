/**
 * The published process definitions. A version, once a dossier may have started with it, never changes
 * (processes.test.ts pins each one by a hash): a change is a new version added beside it.
 *
 * one-stop v1 — the one-stop process (cơ chế một cửa, Decree 61/2018/NĐ-CP; forms of Circular
 * 01/2018/TT-VPCP): the desk receives (or refuses, form 03) and forwards; the competent agency processes,
 * may ask for a supplement (form 02, the clock stops until it arrives) or for payment (status 6, a cashier
 * records it), approves or rejects, or stops (form 05); the desk returns the result. The applicant may
 * withdraw until the dossier is processed. An officer late with a dossier extends it with a new date and
 * a reason (form 04, the apology). Receivers and cashiers act at the receiving unit, processors and
 * approvers at the competent agency.
 *
 * Step limits: the desk receives an online dossier, and forwards a received one, within one working day
 * (Decree 61/2018/NĐ-CP Art. 19 asks for forwarding "no later than the next working day"; the one-day
 * figure for online reception is this project's choice, unverified); processing and returning the result
 * run to the dossier's due date.
 */
import type { ProcessDefinition } from './workflow.ts';

const ACTIVE = ['received', 'processing', 'supplement-requested', 'payment-requested'] as const;

export const ONE_STOP_V1: ProcessDefinition = deepFreeze({
  id: 'one-stop',
  version: 1,
  label: { vi: 'Quy trình một cửa', en: 'One-stop process' },
  initial: 'submitted',
  states: {
    submitted: {
      label: { vi: 'Chờ tiếp nhận', en: 'Awaiting reception' },
      status: 1,
      clock: 'running',
      terminal: false,
      limit: { amount: 1, unit: 'working-day' },
    },
    received: {
      label: { vi: 'Đã tiếp nhận', en: 'Received' },
      status: 2,
      clock: 'running',
      terminal: false,
      limit: { amount: 1, unit: 'working-day' },
    },
    processing: {
      label: { vi: 'Đang xử lý', en: 'Being processed' },
      status: 4,
      clock: 'running',
      terminal: false,
      limit: 'dossier-due',
    },
    'supplement-requested': {
      label: { vi: 'Chờ bổ sung hồ sơ', en: 'Awaiting a supplement' },
      status: 5,
      clock: 'paused',
      terminal: false,
    },
    'payment-requested': {
      label: { vi: 'Chờ thực hiện nghĩa vụ tài chính', en: 'Awaiting payment' },
      status: 6,
      clock: 'running',
      terminal: false,
    },
    resolved: {
      label: { vi: 'Đã có kết quả, chờ trả', en: 'Result ready' },
      status: 9,
      clock: 'stopped',
      terminal: false,
      limit: 'dossier-due',
    },
    refused: {
      label: { vi: 'Không được tiếp nhận', en: 'Refused' },
      status: 3,
      clock: 'stopped',
      terminal: true,
    },
    withdrawn: {
      label: { vi: 'Đã rút hồ sơ', en: 'Withdrawn' },
      status: 7,
      clock: 'stopped',
      terminal: true,
    },
    stopped: {
      label: { vi: 'Dừng xử lý', en: 'Processing stopped' },
      status: 8,
      clock: 'stopped',
      terminal: true,
    },
    returned: {
      label: { vi: 'Đã trả kết quả', en: 'Result returned' },
      status: 10,
      clock: 'stopped',
      terminal: true,
    },
  },
  actions: {
    receive: {
      label: { vi: 'Tiếp nhận', en: 'Receive' },
      from: ['submitted'],
      to: 'received',
      roles: ['receiver'],
      needs: [],
      history: 'Tiếp nhận hồ sơ',
    },
    refuse: {
      label: { vi: 'Từ chối tiếp nhận', en: 'Refuse' },
      from: ['submitted'],
      to: 'refused',
      roles: ['receiver'],
      needs: ['reason'],
      form: '03',
      history: 'Từ chối tiếp nhận hồ sơ',
    },
    forward: {
      label: { vi: 'Chuyển xử lý', en: 'Forward for processing' },
      from: ['received'],
      to: 'processing',
      roles: ['receiver'],
      needs: [],
      history: 'Chuyển hồ sơ đến cơ quan có thẩm quyền giải quyết',
    },
    'request-supplement': {
      label: { vi: 'Yêu cầu bổ sung', en: 'Request a supplement' },
      from: ['processing'],
      to: 'supplement-requested',
      roles: ['processor'],
      needs: ['reason'],
      form: '02',
      history: 'Yêu cầu bổ sung, hoàn thiện hồ sơ',
    },
    'supplement-received': {
      label: { vi: 'Đã nhận bổ sung', en: 'Supplement received' },
      from: ['supplement-requested'],
      to: 'processing',
      roles: ['applicant', 'receiver'],
      needs: [],
      history: 'Tiếp nhận hồ sơ bổ sung',
    },
    'request-payment': {
      label: { vi: 'Yêu cầu nộp phí, lệ phí', en: 'Request payment' },
      from: ['processing'],
      to: 'payment-requested',
      roles: ['processor'],
      needs: [],
      history: 'Yêu cầu thực hiện nghĩa vụ tài chính',
    },
    'record-payment': {
      label: { vi: 'Ghi nhận đã nộp', en: 'Record the payment' },
      from: ['payment-requested'],
      to: 'processing',
      roles: ['cashier'],
      needs: [],
      history: 'Ghi nhận đã thực hiện nghĩa vụ tài chính',
    },
    approve: {
      label: { vi: 'Phê duyệt', en: 'Approve' },
      from: ['processing'],
      to: 'resolved',
      roles: ['approver'],
      needs: [],
      outcome: 'approved',
      history: 'Phê duyệt kết quả giải quyết',
    },
    reject: {
      label: { vi: 'Không phê duyệt', en: 'Reject' },
      from: ['processing'],
      to: 'resolved',
      roles: ['approver'],
      needs: ['reason'],
      outcome: 'rejected',
      history: 'Không giải quyết, trả lời bằng văn bản nêu rõ lý do',
    },
    'return-result': {
      label: { vi: 'Trả kết quả', en: 'Return the result' },
      from: ['resolved'],
      to: 'returned',
      roles: ['receiver'],
      needs: [],
      history: 'Trả kết quả giải quyết',
    },
    stop: {
      label: { vi: 'Dừng xử lý', en: 'Stop processing' },
      from: ['processing', 'supplement-requested', 'payment-requested'],
      to: 'stopped',
      roles: ['processor', 'approver'],
      needs: ['reason'],
      form: '05',
      history: 'Dừng xử lý hồ sơ',
    },
    withdraw: {
      label: { vi: 'Rút hồ sơ', en: 'Withdraw' },
      from: ['submitted', ...ACTIVE],
      to: 'withdrawn',
      roles: ['applicant'],
      needs: [],
      history: 'Công dân yêu cầu rút hồ sơ',
    },
    extend: {
      label: { vi: 'Gia hạn (xin lỗi, hẹn lại)', en: 'Extend (apology with a new date)' },
      from: [...ACTIVE],
      roles: ['processor', 'approver'],
      needs: ['reason', 'new-due-date'],
      form: '04',
      history: 'Xin lỗi và hẹn lại ngày trả kết quả',
    },
  },
  roleSites: { receiver: 'receiving', cashier: 'receiving', processor: 'competent', approver: 'competent' },
});

/**
 * one-stop-prepaid v1 — the one-stop process of a procedure whose fees are paid before (the catalogue's
 * `payment: 'before'`), beside one-stop v1 and built from it: the filing waits in `awaiting-payment`
 * (status 1 "Mới đăng ký": registered online, not yet received — no national status says "not paid
 * yet", and none is announced: the dossier is not sent to agency systems until it is paid); the payment
 * (online, told by the payments module, or cash recorded by a cashier) takes it to `submitted`, and its
 * clock starts then. The applicant may withdraw it unpaid. From `submitted` on it is one-stop v1.
 */
export const ONE_STOP_PREPAID_V1: ProcessDefinition = deepFreeze({
  id: 'one-stop-prepaid',
  version: 1,
  label: { vi: 'Quy trình một cửa, nộp phí trước', en: 'One-stop process, fees paid first' },
  initial: 'awaiting-payment',
  states: {
    'awaiting-payment': {
      label: { vi: 'Chờ nộp phí, lệ phí', en: 'Awaiting the fee' },
      status: 1,
      // No step limit and no deadline watch (dossiers.jobs.ts and the inbox leave this state out): the
      // due date is counted again from the payment. 'running' only so that paying is no clock event.
      clock: 'running',
      terminal: false,
    },
    ...ONE_STOP_V1.states,
  },
  actions: {
    'pay-fee': {
      label: { vi: 'Ghi nhận đã nộp phí, lệ phí', en: 'Record the fee' },
      from: ['awaiting-payment'],
      to: 'submitted',
      roles: ['cashier'],
      needs: [],
      history: 'Đã nộp phí, lệ phí; hồ sơ được chuyển đến bộ phận tiếp nhận',
    },
    ...ONE_STOP_V1.actions,
    withdraw: {
      ...ONE_STOP_V1.actions.withdraw!,
      from: ['awaiting-payment', ...ONE_STOP_V1.actions.withdraw!.from],
    },
  },
  roleSites: { ...ONE_STOP_V1.roleSites },
});

/** Every published definition, by `${id}@${version}`. */
const PUBLISHED: ReadonlyMap<string, ProcessDefinition> = new Map(
  [ONE_STOP_V1, ONE_STOP_PREPAID_V1].map((d) => [`${d.id}@${d.version}`, d]),
);

/** The definition a new dossier starts with when its procedure names none. */
export const DEFAULT_PROCESS = ONE_STOP_V1;

export function publishedProcesses(): ProcessDefinition[] {
  return [...PUBLISHED.values()];
}

/** A published definition; undefined for an unknown id or version. */
export function findProcess(id: string, version: number): ProcessDefinition | undefined {
  return PUBLISHED.get(`${id}@${version}`);
}

/** The latest published version of a process. */
export function latestProcess(id: string): ProcessDefinition | undefined {
  let latest: ProcessDefinition | undefined;
  for (const d of PUBLISHED.values()) if (d.id === id && (!latest || d.version > latest.version)) latest = d;
  return latest;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
