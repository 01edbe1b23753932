/**
 * X.509 distinguished names with Vietnamese text: every text attribute is a UTF8String in NFC (a
 * BMPString or TeletexString would garble diacritics in NSS and openssl), the country a PrintableString.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export interface DistinguishedName {
  commonName: string;
  organisation?: string;
  organisationalUnit?: string;
  /** stateOrProvinceName */
  province?: string;
  locality?: string;
  /** Two letters, 'VN'. */
  country?: string;
  /** The agency's identifier code, kept in the UID attribute (where Vietnamese CAs put tax and budget codes). */
  agencyCode?: string;
}

type Field = keyof DistinguishedName;

/** Encoding order (most general first) with each field's OID and short name for display. */
const ATTRIBUTES: ReadonlyArray<{ field: Field; oid: string; short: string }> = [
  { field: 'country', oid: '2.5.4.6', short: 'C' },
  { field: 'province', oid: '2.5.4.8', short: 'ST' },
  { field: 'locality', oid: '2.5.4.7', short: 'L' },
  { field: 'organisation', oid: '2.5.4.10', short: 'O' },
  { field: 'organisationalUnit', oid: '2.5.4.11', short: 'OU' },
  { field: 'commonName', oid: '2.5.4.3', short: 'CN' },
  { field: 'agencyCode', oid: '0.9.2342.19200300.100.1.1', short: 'UID' },
];

const byOid = new Map(ATTRIBUTES.map((a) => [a.oid, a]));

/**
 * One attribute per RDN, as every CA does: pkijs on its own would put them all in one multi-valued
 * RDN (shown as `C=VN + O=… + CN=…`), so the Name is encoded here and handed to pkijs as parsed.
 */
export function toRdn(name: DistinguishedName): pkijs.RelativeDistinguishedNames {
  const rdns: asn1js.Set[] = [];
  for (const { field, oid } of ATTRIBUTES) {
    const raw = name[field];
    if (raw === undefined || raw === '') continue;
    const value = raw.normalize('NFC');
    if (field === 'country' && !/^[A-Z]{2}$/.test(value))
      throw new Error(`country must be two capital letters: ${value}`);
    const atv = new pkijs.AttributeTypeAndValue({
      type: oid,
      value: field === 'country' ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value }),
    });
    rdns.push(new asn1js.Set({ value: [atv.toSchema()] }));
  }
  const der = new asn1js.Sequence({ value: rdns }).toBER();
  return new pkijs.RelativeDistinguishedNames({ schema: asn1js.fromBER(der).result });
}

function valueText(v: pkijs.AttributeValueType): string {
  const block = (v as { valueBlock?: { value?: unknown } }).valueBlock;
  return typeof block?.value === 'string' ? block.value : '';
}

export function fromRdn(rdn: pkijs.RelativeDistinguishedNames): DistinguishedName {
  const out: Partial<Record<Field, string>> = {};
  for (const tv of rdn.typesAndValues) {
    const a = byOid.get(tv.type);
    if (a && out[a.field] === undefined) out[a.field] = valueText(tv.value);
  }
  return { ...out, commonName: out.commonName ?? '' };
}

const escapeValue = (s: string) => s.replace(/([,+"\\<>;=])/g, '\\$1').replace(/^([ #])|( )$/g, '\\$1$2');

/** RFC 4514 form (most specific first), for display and logs; unknown attributes by their OID. */
export function rdnText(rdn: pkijs.RelativeDistinguishedNames): string {
  return rdn.typesAndValues
    .map((tv) => `${byOid.get(tv.type)?.short ?? tv.type}=${escapeValue(valueText(tv.value))}`)
    .reverse()
    .join(', ');
}
