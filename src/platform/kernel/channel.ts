/** Channels a dossier is filed through, and their code in the national exchange (KenhThucHien). */

export const CHANNELS = ['in-person', 'online', 'postal'] as const;
export type Channel = (typeof CHANNELS)[number];
export type ChannelCode = 1 | 2 | 3;

/** KenhThucHien: 1 in person, 2 online, 3 public postal service. */
export const CHANNEL_CODES: Readonly<Record<Channel, ChannelCode>> = Object.freeze({
  'in-person': 1,
  online: 2,
  postal: 3,
});

/** The channel of a KenhThucHien code, or undefined. */
export function channelOfCode(code: number): Channel | undefined {
  return CHANNELS.find((c) => CHANNEL_CODES[c] === code);
}
