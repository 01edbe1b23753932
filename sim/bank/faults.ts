/**
 * The bank simulator's faults on purpose: the modes it knows and the rule saying which the next payments
 * draw (every payment until cleared, or the next `count`). What each mode does to a CONFIRM or TRANSFER is
 * in callbacks.ts, to a settlement file in paygate.ts.
 */

export const FAULT_MODES = [
  'duplicate',
  'delayed',
  'dropped',
  'out-of-order',
  'forged',
  'amount',
  'unknown',
  'settlement-missing',
  'settlement-amount',
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export type FaultRule = { modes: FaultMode[]; remaining: number | null };

export function checkFaultModes(modes: unknown): FaultMode[] {
  if (!Array.isArray(modes)) throw new RangeError('modes must be an array');
  for (const m of modes)
    if (!FAULT_MODES.includes(m as FaultMode))
      throw new RangeError(`unknown fault mode "${String(m)}"; known: ${FAULT_MODES.join(', ')}`);
  return [...new Set(modes as FaultMode[])];
}

export interface FaultRules {
  /** The rule as it stands (the same object the admin route shows). */
  current(): FaultRule | null;
  /** The fault modes the next payment draws (and one fewer left of a counted rule). */
  draw(): FaultMode[];
  /** Replace the fault modes: for the next `count` payments, or until cleared. */
  set(modes: readonly FaultMode[], count?: number): void;
  clear(): void;
}

export function createFaultRules(
  initial: readonly FaultMode[] | undefined,
  log: (line: string) => void,
): FaultRules {
  let rule: FaultRule | null = initial?.length ? { modes: checkFaultModes(initial), remaining: null } : null;
  return {
    current: () => rule,
    draw() {
      if (!rule) return [];
      const modes = [...rule.modes];
      if (rule.remaining !== null) {
        rule.remaining -= 1;
        if (rule.remaining <= 0) rule = null;
      }
      return modes;
    },
    set(modes, count) {
      const checked = checkFaultModes(modes);
      rule = checked.length ? { modes: checked, remaining: count ?? null } : null;
      log(`faults: ${checked.join(',') || 'none'}${count ? ` for the next ${count}` : ''}`);
    },
    clear() {
      rule = null;
    },
  };
}
