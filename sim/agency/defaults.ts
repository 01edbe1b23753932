/** The embedded demo's machine client (src/modules/identity/demo.ts; README "Demo accounts"). */
export const DEMO_SYNC_CLIENT = {
  clientId: 'demo-motcua-hanoi',
  clientSecret: 'demo-motcua-hanoi-secret-do-not-use-in-production',
  /** Hà Nội (UBND-01). */
  identifier: '000.00.00.H26',
};
