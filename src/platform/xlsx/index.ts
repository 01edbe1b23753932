export {
  columnName,
  excelSerial,
  writeXlsx,
  type XlsxCellType,
  type XlsxColumn,
  type XlsxSheet,
  type XlsxValue,
} from './xlsx.ts';
export { type ZipEntry, zip } from './zip.ts';
