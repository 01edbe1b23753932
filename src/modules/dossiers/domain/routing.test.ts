import { describe, expect, it } from 'vitest';
import { competentLevel } from './routing.ts';

describe('competentLevel', () => {
  it('takes the most local level the procedure allows and the applicant’s place reaches', () => {
    expect(competentLevel(['commune'], { provinceCode: '01', communeCode: '00004' })).toEqual({
      ok: true,
      level: 'commune',
    });
    expect(competentLevel(['commune', 'province'], { provinceCode: '01' })).toEqual({
      ok: true,
      level: 'province',
    });
    expect(competentLevel(['commune', 'province'], { provinceCode: '01', communeCode: '00004' })).toEqual({
      ok: true,
      level: 'commune',
    });
    expect(competentLevel(['province'], { provinceCode: '01', communeCode: '00004' })).toEqual({
      ok: true,
      level: 'province',
    });
    expect(competentLevel(['central', 'province'], { provinceCode: '79' })).toEqual({
      ok: true,
      level: 'province',
    });
  });

  it('asks for a commune, or says a central procedure needs a named agency', () => {
    expect(competentLevel(['commune'], { provinceCode: '01' })).toMatchObject({
      ok: false,
      path: 'place.communeCode',
    });
    expect(competentLevel(['central'], { provinceCode: '01' })).toMatchObject({
      ok: false,
      path: 'procedure',
    });
    expect(competentLevel([], { provinceCode: '01' })).toMatchObject({ ok: false, path: 'procedure' });
  });
});
