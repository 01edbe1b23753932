/**
 * The publication lifecycle of a procedure version, as a small declarative table:
 *
 *   draft ──submit──▶ testing ──publish──▶ published ──request-withdrawal──▶ pending-withdrawal
 *     ▲                  │                     ▲                                  │        │
 *     └─────return───────┘                     └──────────cancel-withdrawal───────┘        │
 *                                                                              approve-withdrawal
 *                                                                                          ▼
 *                                                                                      withdrawn
 *
 * A published (or pending-withdrawal) version becomes `superseded` when a newer version is published.
 * Agency administrators (agency-admin at the procedure's agency) edit, submit, take back and ask for
 * withdrawal; the Government Office (vpcp-supervisor) publishes, returns and approves withdrawal.
 */

export type VersionState =
  | 'draft'
  | 'testing'
  | 'published'
  | 'pending-withdrawal'
  | 'withdrawn'
  | 'superseded';

export type LifecycleAction =
  | 'edit'
  | 'submit'
  | 'return'
  | 'publish'
  | 'request-withdrawal'
  | 'cancel-withdrawal'
  | 'approve-withdrawal';

export type CatalogueRole = 'agency-admin' | 'vpcp-supervisor';

interface Transition {
  from: VersionState;
  to: VersionState;
  by: readonly CatalogueRole[];
}

export const TRANSITIONS: Readonly<Record<LifecycleAction, readonly Transition[]>> = {
  edit: [{ from: 'draft', to: 'draft', by: ['agency-admin'] }],
  submit: [{ from: 'draft', to: 'testing', by: ['agency-admin'] }],
  return: [{ from: 'testing', to: 'draft', by: ['agency-admin', 'vpcp-supervisor'] }],
  publish: [{ from: 'testing', to: 'published', by: ['vpcp-supervisor'] }],
  'request-withdrawal': [{ from: 'published', to: 'pending-withdrawal', by: ['agency-admin'] }],
  'cancel-withdrawal': [
    { from: 'pending-withdrawal', to: 'published', by: ['agency-admin', 'vpcp-supervisor'] },
  ],
  'approve-withdrawal': [{ from: 'pending-withdrawal', to: 'withdrawn', by: ['vpcp-supervisor'] }],
};

export const STATE_LABELS: Readonly<Record<VersionState, { vi: string; en: string }>> = {
  draft: { vi: 'Dự thảo', en: 'Draft' },
  testing: { vi: 'Đang kiểm thử', en: 'Testing' },
  published: { vi: 'Đang công khai', en: 'Published' },
  'pending-withdrawal': { vi: 'Chờ dừng công khai', en: 'Pending withdrawal' },
  withdrawn: { vi: 'Đã dừng công khai', en: 'Withdrawn' },
  superseded: { vi: 'Đã được thay thế', en: 'Superseded' },
};

export const ACTION_LABELS: Readonly<Record<LifecycleAction, { vi: string; en: string }>> = {
  edit: { vi: 'Sửa', en: 'Edit' },
  submit: { vi: 'Gửi kiểm thử', en: 'Submit for testing' },
  return: { vi: 'Trả về dự thảo', en: 'Return to draft' },
  publish: { vi: 'Công khai', en: 'Publish' },
  'request-withdrawal': { vi: 'Đề nghị dừng công khai', en: 'Request withdrawal' },
  'cancel-withdrawal': { vi: 'Hủy đề nghị dừng công khai', en: 'Cancel the withdrawal request' },
  'approve-withdrawal': { vi: 'Duyệt dừng công khai', en: 'Approve withdrawal' },
};

/** Is the state one the public sees (search, procedure page, filing)? */
export const isPublic = (s: VersionState) => s === 'published' || s === 'pending-withdrawal';

/** Actions possible from a state (for anyone). */
export function actionsFrom(state: VersionState): LifecycleAction[] {
  return (Object.keys(TRANSITIONS) as LifecycleAction[]).filter((a) =>
    TRANSITIONS[a].some((t) => t.from === state),
  );
}

/** Actions the holder of these roles (at the procedure's agency) may take from a state. */
export function allowedActions(state: VersionState, roles: ReadonlySet<CatalogueRole>): LifecycleAction[] {
  return actionsFrom(state).filter((a) =>
    TRANSITIONS[a].some((t) => t.from === state && t.by.some((r) => roles.has(r))),
  );
}

export type TransitionResult =
  | { ok: true; to: VersionState }
  | { ok: false; reason: 'state' | 'role'; allowed: LifecycleAction[] };

/** Decides one action: the next state, or why not (wrong state → conflict; wrong role → not allowed). */
export function transition(
  state: VersionState,
  action: LifecycleAction,
  roles: ReadonlySet<CatalogueRole>,
): TransitionResult {
  const t = TRANSITIONS[action].find((x) => x.from === state);
  if (!t) return { ok: false, reason: 'state', allowed: allowedActions(state, roles) };
  if (!t.by.some((r) => roles.has(r)))
    return { ok: false, reason: 'role', allowed: allowedActions(state, roles) };
  return { ok: true, to: t.to };
}
