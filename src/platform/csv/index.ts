export { csvField, parseCsv } from './csv.ts';
