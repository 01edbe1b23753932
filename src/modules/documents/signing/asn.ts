/** Small readers over asn1js trees: untrusted input throws here and callers turn that into a verdict. */
import * as asn1js from 'asn1js';

export function parseDer(bytes: Uint8Array): asn1js.AsnType {
  const asn = asn1js.fromBER(bytes);
  if (asn.offset === -1) throw new Error(`bad DER: ${asn.result.error}`);
  return asn.result;
}

export function children(b: asn1js.AsnType | undefined): asn1js.AsnType[] {
  const v = (b as asn1js.Constructed | undefined)?.valueBlock?.value;
  if (!Array.isArray(v)) throw new Error('expected a constructed value');
  return v as asn1js.AsnType[];
}

export function child(b: asn1js.AsnType | undefined, i: number): asn1js.AsnType {
  const c = children(b)[i];
  if (!c) throw new Error(`missing element ${i}`);
  return c;
}

export function oid(b: asn1js.AsnType | undefined): string {
  if (!(b instanceof asn1js.ObjectIdentifier)) throw new Error('expected an OID');
  return b.valueBlock.toString();
}

/** The bytes of an OCTET STRING, primitive or constructed (BER), or of an implicitly tagged one. */
export function octets(b: asn1js.AsnType | undefined): Uint8Array {
  if (!b) throw new Error('expected octets');
  const block = (b as asn1js.BaseBlock).idBlock;
  if (block.isConstructed) return Buffer.concat(children(b).map((c) => octets(c)));
  const view = (b as asn1js.OctetString).valueBlock?.valueHexView;
  if (!(view instanceof Uint8Array)) throw new Error('expected octets');
  return view;
}

export function integer(b: asn1js.AsnType | undefined): number {
  if (!(b instanceof asn1js.Integer)) throw new Error('expected an integer');
  return b.valueBlock.valueDec;
}

/** The content of a context-specific [tag] EXPLICIT wrapper. */
export function explicit(b: asn1js.AsnType | undefined, tag = 0): asn1js.AsnType {
  const id = (b as asn1js.BaseBlock | undefined)?.idBlock;
  if (id?.tagClass !== 3 || id.tagNumber !== tag) throw new Error(`expected [${tag}]`);
  return child(b, 0);
}

export function isContext(b: asn1js.AsnType | undefined, tag: number): boolean {
  const id = (b as asn1js.BaseBlock | undefined)?.idBlock;
  return id?.tagClass === 3 && id.tagNumber === tag;
}

/** The exact bytes this element was decoded from (its tag and length included). */
export function encoded(b: asn1js.AsnType): Uint8Array {
  return (b as asn1js.BaseBlock).valueBeforeDecodeView;
}

export const der = (b: asn1js.BaseBlock): Buffer => Buffer.from(b.toBER());

export const seqOf = (...value: asn1js.BaseBlock[]) => new asn1js.Sequence({ value });
export const oidOf = (value: string) => new asn1js.ObjectIdentifier({ value });
export const octetsOf = (bytes: Uint8Array) => new asn1js.OctetString({ valueHex: bytes });
export const intOf = (value: number) => new asn1js.Integer({ value });
export const explicitOf = (tag: number, ...value: asn1js.BaseBlock[]) =>
  new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: tag }, value });

/** A DER SET OF: the elements sorted by their encodings (X.690 §11.6). */
export function setOf(elements: asn1js.BaseBlock[]): asn1js.Set {
  const sorted = elements
    .map((e) => ({ e, bytes: Buffer.from(e.toBER()) }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map((x) => x.e);
  return new asn1js.Set({ value: sorted });
}
