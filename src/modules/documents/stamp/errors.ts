/**
 * A scan or PDF the stamp cannot use: a 4xx for whoever uploaded it, with a stable `code` and the
 * message in Vietnamese first (`vi`, also the Error's message) and English (`en`).
 */
export class StampInputError extends Error {
  override readonly name = 'StampInputError';
  constructor(
    readonly code: StampInputErrorCode,
    readonly vi: string,
    readonly en: string,
  ) {
    super(`${vi} / ${en}`);
  }
}

export type StampInputErrorCode =
  | 'empty'
  | 'unsupported-type'
  | 'type-mismatch'
  | 'corrupt-pdf'
  | 'encrypted-pdf'
  | 'too-many-pages'
  | 'corrupt-image'
  | 'image-too-large';
