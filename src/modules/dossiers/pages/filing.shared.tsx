/**
 * What the three filing steps share (filing.pages.tsx, place.pages.tsx, review.pages.tsx): the steps'
 * header, the draft's place as the routing reads it, the agency it leads to, the place in words.
 */
import { AppError, type ValidationError } from '../../../platform/errors/index.ts';
import { tx } from '../../../platform/i18n/index.ts';
import { Steps } from '../../../platform/web/index.ts';
import type { ProcedureForFiling } from '../dossiers.ports.ts';
import { unitDisplayName } from '../dossiers.units.ts';
import type { Errors } from './eform.tsx';
import type { PagesDeps } from './shared.tsx';

export const FILING_JS = '/ho-so/tai-nguyen/nop-ho-so.js';

export type Draft = Awaited<ReturnType<PagesDeps['desk']['draft']>>;

const STEPS = ['Nơi giải quyết', 'Tờ khai và giấy tờ', 'Kiểm tra và nộp'];
export const Step = ({ current }: { current: 1 | 2 | 3 }) => (
  <Steps steps={STEPS} current={current} label="Các bước nộp hồ sơ" />
);

/** Problems of a filing as errors by path, the e-form's way ('/_truongHop' for the case). */
export function errorsOf(e: ValidationError): Errors {
  const errs: Errors = {};
  for (const x of (e.extras.errors as Array<{ path: string; message: string }>) ?? [])
    errs[x.path === 'case' ? '/_truongHop' : x.path] ??= x.message;
  if (Object.keys(errs).length === 0 || errs[''] !== undefined) errs['/_'] = e.message;
  return errs;
}

export function filingHelpers({ service, units }: Pick<PagesDeps, 'service' | 'units'>) {
  /** The draft's place as the routing reads it; undefined until the place step is done. */
  const placeOf = (d: Draft) =>
    d.place_province_code && d.place_level
      ? {
          provinceCode: d.place_province_code,
          ...(d.place_level === 'commune' && d.place_commune_code
            ? { communeCode: d.place_commune_code }
            : {}),
        }
      : undefined;

  /** "Ủy ban nhân dân phường Ba Đình" (and its province), or the reason the dossier cannot go there. */
  async function destination(p: ProcedureForFiling, d: Draft) {
    const place = placeOf(d);
    if (!place) return undefined;
    try {
      const route = await service.routeFor(p.code, place);
      return { ok: true as const, competent: route.competent.name, receiving: route.receiving.name };
    } catch (e) {
      if (e instanceof AppError && e.status < 500) return { ok: false as const, message: e.message };
      throw e;
    }
  }

  async function placeWords(d: Draft): Promise<string> {
    const parts: string[] = [];
    if (d.place_commune_code && d.place_level === 'commune') {
      const c = await units.find(d.place_commune_code);
      parts.push(c ? unitDisplayName(c) : d.place_commune_code);
    }
    if (d.place_province_code) {
      const p = await units.find(d.place_province_code);
      parts.push(p ? unitDisplayName(p) : d.place_province_code);
    }
    return parts.join(', ');
  }

  const crumbs = (locale: 'vi' | 'en', p: ProcedureForFiling) => [
    { href: `/thu-tuc/${encodeURIComponent(p.code)}`, label: p.name },
    { label: tx(locale, 'Nộp hồ sơ trực tuyến', 'File online') },
  ];

  return { placeOf, destination, placeWords, crumbs };
}
