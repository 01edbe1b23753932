/** How a refused input is told: the field's path and the reason, in Vietnamese and English. */
import { ValidationError } from '../errors/index.ts';
import type { FaultKind, Path } from './json.ts';
import { MAX_JSON_DEPTH } from './json.ts';
import { FAULT_TEXT, showPath } from './text.ts';

export function faultText(kind: FaultKind | 'json', locale: 'vi' | 'en' = 'vi'): string {
  const text = FAULT_TEXT[kind][locale];
  return kind === 'depth'
    ? locale === 'vi'
      ? `${text} (quá ${MAX_JSON_DEPTH} cấp)`
      : `${text} (more than ${MAX_JSON_DEPTH} levels)`
    : text;
}

/** The 400 problem for a whole request: `Trường body.formData.x chứa ký tự NUL (U+0000).` */
export function refusedInput(where: Path, kind: FaultKind | 'json'): ValidationError {
  const path = showPath(where);
  const vi = faultText(kind, 'vi');
  return new ValidationError(`Trường ${path} ${vi}. / Field ${path} ${faultText(kind, 'en')}.`, [
    { path, message: vi },
  ]);
}

/**
 * An item of a list checked one by one (a sync batch's dossier or history row) that cannot be taken:
 * it stands in the list where the item was, so that the service answers it as rejected with this
 * reason and takes the others.
 */
export class RefusedItem {
  /** Where in the item (`ChuHoSo`, `TaiLieuNop.0.TenTepDinhKem`); empty for the item as a whole. */
  readonly field: string;
  /** In Vietnamese, naming the field. */
  readonly reason: string;
  constructor(
    within: Path,
    readonly kind: FaultKind,
    /** The item as parsed, when it could be (not when it was too deep to parse). */
    readonly value?: unknown,
  ) {
    this.field = showPath(within);
    this.reason = this.field ? `Trường ${this.field} ${faultText(kind)}.` : `Mục ${faultText(kind)}.`;
  }
}

export function isRefusedItem(v: unknown): v is RefusedItem {
  return v instanceof RefusedItem;
}
