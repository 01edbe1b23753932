/**
 * A citizen's filing the HTTP tests reuse: the judicial-record certificate (phiếu lý lịch tư pháp,
 * procedure 2.000505) in Hà Nội, under the case with an authorisation (two documents).
 */

/** The e-form as a citizen fills it in (without its files); `extra` replaces or adds fields. */
export function judicialRecordForm(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hoTen: 'Nguyễn Văn Minh',
    soDinhDanh: '001088012345',
    ngaySinh: '1988-05-12',
    noiCuTru: { province: '01', commune: '00070' },
    soDienThoai: '0911000001',
    loaiPhieu: '1',
    soBan: 1,
    ...extra,
  };
}

/**
 * The body of `POST /api/v1/dossiers` for that filing, with two uploads already made: the declaration
 * (TK-LLTP) and the authorisation (UQ).
 */
export function judicialRecordFiling(
  [declaration, authorisation]: [string, string],
  options: { summary?: string; form?: Record<string, unknown> } = {},
) {
  return {
    procedureCode: '2.000505',
    place: { provinceCode: '01' },
    ...(options.summary ? { summary: options.summary } : {}),
    formData: judicialRecordForm({ ...options.form, tep_tk_lltp: declaration, tep_uq: authorisation }),
    uploads: [{ id: declaration }, { id: authorisation }],
  };
}
