export { embedSerifFonts, type TextOptions, Writer } from './pdf.ts';
