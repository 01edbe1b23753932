/**
 * Which level of government is competent for a dossier. Since 1 July 2025 (Decree 118/2025/NĐ-CP) a
 * dossier goes to the agency competent for it, wherever it was filed; the applicant says where the
 * matter is (a province, and a commune for commune-level matters), the procedure says which levels
 * handle it. The most local level the procedure allows and the applicant's choice reaches wins.
 */

export type Level = 'central' | 'province' | 'commune';

export interface Place {
  /** Two-digit province code. */
  readonly provinceCode: string;
  /** Five-digit commune code, for matters handled at commune level. */
  readonly communeCode?: string | undefined;
}

export type LevelChoice =
  | { readonly ok: true; readonly level: Level }
  | { readonly ok: false; readonly path: 'place.communeCode' | 'procedure'; readonly message: string };

export function competentLevel(levels: readonly Level[], place: Place): LevelChoice {
  if (levels.includes('commune') && place.communeCode) return { ok: true, level: 'commune' };
  if (levels.includes('province')) return { ok: true, level: 'province' };
  if (levels.includes('commune'))
    return {
      ok: false,
      path: 'place.communeCode',
      message: 'Thủ tục này do cấp xã giải quyết: hãy chọn xã, phường.',
    };
  if (levels.includes('central'))
    return {
      ok: false,
      path: 'procedure',
      message: 'Thủ tục cấp trung ương này chưa ghi mã cơ quan thực hiện nên chưa nộp trực tuyến được.',
    };
  return { ok: false, path: 'procedure', message: 'Thủ tục không ghi cấp thực hiện.' };
}
