import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../platform/audit/index.ts';
import {
  DEFAULT_PROCESS,
  findProcess,
  latestProcess,
  ONE_STOP_PREPAID_V1,
  ONE_STOP_V1,
  publishedProcesses,
} from './processes.ts';
import { definitionProblems } from './workflow.ts';

/**
 * A published version never changes: dossiers started with it are decided by it for ever. To change the
 * process, add a new version beside it (and its hash here); never edit one listed below.
 */
const PINNED: Record<string, string> = {
  'one-stop@1': 'adc5a315301d9a122fafdc23746748a482794b6ac389046741e7fe31682d4cdf',
  'one-stop-prepaid@1': '953369af442800e0f582a965ac81f70780f096c5a6b4c88a13f9e89ece10645b',
};

describe('published process definitions', () => {
  it('are well formed', () => {
    for (const d of publishedProcesses()) expect(definitionProblems(d), `${d.id}@${d.version}`).toEqual([]);
  });

  it('are pinned: a published version is never edited', () => {
    const hashes = Object.fromEntries(
      publishedProcesses().map((d) => [
        `${d.id}@${d.version}`,
        createHash('sha256').update(canonicalJson(d)).digest('hex'),
      ]),
    );
    expect(hashes).toEqual(PINNED);
  });

  it('are frozen', () => {
    expect(Object.isFrozen(ONE_STOP_V1.actions.receive!.from)).toBe(true);
    expect(() => {
      (ONE_STOP_V1.states as Record<string, unknown>).limbo = {};
    }).toThrow(TypeError);
  });

  it('are found by id and version', () => {
    expect(findProcess('one-stop', 1)).toBe(ONE_STOP_V1);
    expect(findProcess('one-stop', 2)).toBeUndefined();
    expect(findProcess('toString', 1)).toBeUndefined();
    expect(latestProcess('one-stop')).toBe(ONE_STOP_V1);
    expect(DEFAULT_PROCESS).toBe(ONE_STOP_V1);
    expect(findProcess('one-stop-prepaid', 1)).toBe(ONE_STOP_PREPAID_V1);
  });

  it('one-stop-prepaid is one-stop v1 after a first state awaiting the fee', () => {
    const d = ONE_STOP_PREPAID_V1;
    expect(d.initial).toBe('awaiting-payment');
    expect(d.actions['pay-fee']).toMatchObject({ from: ['awaiting-payment'], to: 'submitted' });
    expect(d.actions.withdraw!.from).toContain('awaiting-payment');
    for (const [name, s] of Object.entries(ONE_STOP_V1.states)) expect(d.states[name]).toEqual(s);
  });
});
