/** Query strings of the portal's pages: every value bounded. */
import { Type } from 'typebox';

export const LangQuery = Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')]));

export const HomeQuery = Type.Object({ lang: LangQuery });

export const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  lang: LangQuery,
});
