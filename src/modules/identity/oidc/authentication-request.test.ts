import { describe, expect, it } from 'vitest';
import { acrFor, acrRequest, needsFreshAuthentication } from './authentication-request.ts';

describe('acrRequest', () => {
  it('reads acr_values and an essential acr claim alike', () => {
    expect(acrRequest({ acr_values: 'LoA2' }).minimum).toBe(2);
    expect(acrRequest({ claims: '{"id_token":{"acr":{"essential":true,"value":"LoA2"}}}' }).minimum).toBe(2);
    expect(
      acrRequest({ claims: { id_token: { acr: { essential: true, values: ['LoA1', 'LoA2'] } } } }).minimum,
    ).toBe(1);
    // A voluntary claim is a preference, not a requirement.
    expect(acrRequest({ claims: '{"id_token":{"acr":{"value":"LoA2"}}}' }).minimum).toBe(1);
    expect(acrRequest({ claims: 'not json' })).toEqual({ minimum: 1, unsatisfiable: false });
  });

  it('marks an essential claim naming only unknown levels unsatisfiable', () => {
    expect(
      acrRequest({ claims: '{"id_token":{"acr":{"essential":true,"value":"LoA3"}}}' }).unsatisfiable,
    ).toBe(true);
  });
});

describe('acrFor', () => {
  it('names the achieved level, or the highest level an essential claim accepts that it meets', () => {
    expect(acrFor(1, acrRequest({}))).toBe('LoA1');
    expect(acrFor(2, acrRequest({}))).toBe('LoA2');
    expect(acrFor(1, acrRequest({ acr_values: 'LoA2' }))).toBeUndefined();
    const onlyLoA1 = acrRequest({ claims: '{"id_token":{"acr":{"essential":true,"values":["LoA1"]}}}' });
    expect(acrFor(2, onlyLoA1)).toBe('LoA1');
  });
});

describe('needsFreshAuthentication', () => {
  const start = new Date('2026-12-08T03:00:00Z');
  it('prompt=login: an authentication before the interaction began is not enough', () => {
    expect(needsFreshAuthentication({ prompt: 'login' }, new Date(start.getTime() - 1), start, start)).toBe(
      true,
    );
    expect(needsFreshAuthentication({ prompt: 'login consent' }, start, start, start)).toBe(false);
  });
  it('max_age: compared in whole seconds, as auth_time is', () => {
    const at = new Date(start.getTime() - 5_000);
    expect(needsFreshAuthentication({ max_age: '4' }, at, start, start)).toBe(true);
    expect(needsFreshAuthentication({ max_age: 5 }, at, start, start)).toBe(false);
    expect(needsFreshAuthentication({}, new Date(0), start, start)).toBe(false);
  });
});
