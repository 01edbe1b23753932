/**
 * The stamp (docs/documents.md): scans (PDF, JPG, PNG) as PDFs, page counts, the certification block
 * ("lời chứng") with its register entry and QR on a certified copy, and the verification footer of
 * signed dossier results. Pure functions: no database, no clock (every time is given).
 */
export {
  type CertificationBlock,
  drawCertificationBlock,
  stampCertifiedCopy,
} from './certification-block.ts';
export { StampInputError, type StampInputErrorCode } from './errors.ts';
export { countPages, MAX_IMAGE_PIXELS, MAX_PAGES, type ScanType, scanToPdf } from './scan-to-pdf.ts';
export {
  drawVerificationFooter,
  stampVerificationFooter,
  type VerificationFooter,
} from './verification-footer.ts';
