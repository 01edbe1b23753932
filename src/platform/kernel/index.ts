// The shared kernel: the vocabulary of the national exchange that the catalogue, dossiers, sync and
// agencies all speak — dossier codes, status codes and names, channels, a procedure's documents, office
// hours. Pure values and functions; no module's types.

export { CHANNEL_CODES, CHANNELS, type Channel, type ChannelCode, channelOfCode } from './channel.ts';
export { type DocumentRef, documentsOf } from './documents.ts';
export {
  AGENCY_IDENTIFIER,
  AGENCY_IDENTIFIER_MAX_LENGTH,
  codeDay,
  formatDossierCode,
  isAgencyIdentifier,
  MAX_SEQUENCE,
  type ParsedDossierCode,
  parseDossierCode,
} from './dossier-code.ts';
export {
  FEEDBACK_STATUS_NAMES,
  FEEDBACK_STATUSES,
  type FeedbackStatus,
  isFeedbackStatus,
} from './feedback-status.ts';
export { DEFAULT_OFFICE_HOURS, type OfficeHours } from './office-hours.ts';
export { isStatusCode, STATUS, STATUS_CODES, STATUS_NAMES, type StatusCode, statusName } from './status.ts';
