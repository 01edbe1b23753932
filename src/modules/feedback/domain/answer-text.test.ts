import { describe, expect, it } from 'vitest';
import { fillAnswer, unknownPlaceholders } from './answer-text.ts';

const values = {
  ten_nguoi_gui: 'Lê Văn An',
  ma_pakn: 'PAKN-2026-0000001',
  co_quan: 'Bộ Công an',
  ngay_gui: '14/12/2026',
};

describe('answer templates', () => {
  it('fills every placeholder, as often as it appears', () => {
    expect(
      fillAnswer(
        'Kính gửi {ten_nguoi_gui}, về {ma_pakn} gửi ngày {ngay_gui}: {co_quan} trả lời. {ma_pakn}',
        values,
      ),
    ).toBe(
      'Kính gửi Lê Văn An, về PAKN-2026-0000001 gửi ngày 14/12/2026: Bộ Công an trả lời. PAKN-2026-0000001',
    );
  });

  it('names placeholders it does not know, and leaves them as written', () => {
    expect(unknownPlaceholders('Kính gửi {ten_nguoi_gui}, {so_ho_so} và {ho_ten}')).toEqual([
      '{so_ho_so}',
      '{ho_ten}',
    ]);
    expect(unknownPlaceholders('{ma_pakn} {co_quan} {ngay_gui} {ten_nguoi_gui}')).toEqual([]);
    expect(fillAnswer('{so_ho_so}', values)).toBe('{so_ho_so}');
  });

  it('gives NFC text', () => {
    expect(fillAnswer('Kính gửi {ten_nguoi_gui}'.normalize('NFD'), values)).toBe(
      'Kính gửi Lê Văn An'.normalize('NFC'),
    );
  });
});
