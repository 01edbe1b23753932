/**
 * What a relying party asks of a sign-in, read from the authorization request (pure, no I/O): the
 * level of assurance — through `acr_values` or an essential `acr` claim, treated alike — and how fresh
 * the authentication must be (`prompt=login`, `max_age`).
 */

export type Acr = 'LoA1' | 'LoA2';
const LEVEL: Record<Acr, 1 | 2> = { LoA1: 1, LoA2: 2 };
const isAcr = (v: unknown): v is Acr => v === 'LoA1' || v === 'LoA2';

export interface AcrRequest {
  /** The lowest level that satisfies the request. */
  minimum: 1 | 2;
  /**
   * The values an essential `acr` claim accepts (the id_token must carry one of them); undefined when
   * no claim is essential.
   */
  essential?: Acr[];
  /** An essential `acr` claim names only values the portal does not offer: no sign-in can satisfy it. */
  unsatisfiable: boolean;
}

/** The `claims` parameter's `id_token.acr` member (a JSON string or an object), if any. */
function acrClaimOf(claims: unknown): { essential?: unknown; value?: unknown; values?: unknown } | undefined {
  let parsed = claims;
  if (typeof claims === 'string') {
    try {
      parsed = JSON.parse(claims);
    } catch {
      return undefined;
    }
  }
  const acr = (parsed as { id_token?: { acr?: unknown } } | null | undefined)?.id_token?.acr;
  return acr && typeof acr === 'object' ? (acr as { essential?: unknown; value?: unknown }) : undefined;
}

/**
 * The assurance an authorization request asks for. `acr_values` naming LoA2 asks for LoA2 (the portal
 * does not hand out less than a relying party listed). An essential `acr` claim asks for one of its
 * values, its lowest one being enough; a voluntary one is a preference and asks for nothing.
 */
export function acrRequest(params: { acr_values?: unknown; claims?: unknown }): AcrRequest {
  const listed = String(params.acr_values ?? '')
    .split(' ')
    .filter(isAcr);
  let minimum: 1 | 2 = listed.includes('LoA2') ? 2 : 1;
  const claim = acrClaimOf(params.claims);
  if (claim?.essential !== true) return { minimum, unsatisfiable: false };
  const asked = Array.isArray(claim.values) ? claim.values : claim.value !== undefined ? [claim.value] : [];
  if (asked.length === 0) return { minimum, unsatisfiable: false };
  const essential = asked.filter(isAcr);
  if (essential.length === 0) return { minimum, essential, unsatisfiable: true };
  const lowest = Math.min(...essential.map((v) => LEVEL[v])) as 1 | 2;
  if (lowest > minimum) minimum = lowest;
  return { minimum, essential, unsatisfiable: false };
}

/**
 * The `acr` to put in the id_token for a sign-in at `achieved`: the achieved level, or — when an
 * essential claim accepts only lower ones — the highest accepted level it meets (a LoA2 sign-in meets
 * LoA1). Undefined when the sign-in does not meet the request.
 */
export function acrFor(achieved: 1 | 2, request: AcrRequest): Acr | undefined {
  if (achieved < request.minimum || request.unsatisfiable) return undefined;
  if (!request.essential) return achieved === 2 ? 'LoA2' : 'LoA1';
  const met = request.essential.filter((v) => LEVEL[v] <= achieved).sort((a, b) => LEVEL[b] - LEVEL[a]);
  return met[0];
}

/**
 * Whether the person must prove who they are again before this interaction can finish: `prompt=login`
 * asks for an authentication made during the interaction (at or after `interactionStartedAt`),
 * `max_age` for one at most that many seconds old.
 */
export function needsFreshAuthentication(
  params: { prompt?: unknown; max_age?: unknown },
  authenticatedAt: Date,
  interactionStartedAt: Date,
  now: Date,
): boolean {
  const prompts = String(params.prompt ?? '').split(' ');
  if (prompts.includes('login') && authenticatedAt.getTime() < interactionStartedAt.getTime()) return true;
  const maxAge = params.max_age === undefined ? Number.NaN : Number(params.max_age);
  if (Number.isFinite(maxAge) && maxAge >= 0) {
    // auth_time is in whole seconds: compare as the relying party will.
    const age = Math.floor(now.getTime() / 1000) - Math.floor(authenticatedAt.getTime() / 1000);
    if (age > maxAge) return true;
  }
  return false;
}
