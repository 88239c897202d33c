import dayjs, { type Dayjs } from 'dayjs';

/** The expiry presets of the create dialog. */
export const EXPIRY_PRESETS = ['7', '30', '90', 'none', 'custom'] as const;
export type ExpiryPreset = (typeof EXPIRY_PRESETS)[number];
export const DEFAULT_EXPIRY: ExpiryPreset = '30';

/** expiresAt turns a preset (or a chosen date, valid to its end) into the API's expires_at. */
export function expiresAt(preset: ExpiryPreset, date: Dayjs | null | undefined, now: Dayjs = dayjs()): string | null {
  switch (preset) {
    case 'none':
      return null;
    case 'custom':
      return date ? date.endOf('day').toISOString() : null;
    default:
      return now.add(Number(preset), 'day').toISOString();
  }
}

/** beforeTomorrow disables the days a custom expiry may not be (today and the past). */
export function beforeTomorrow(d: Dayjs): boolean {
  return d.isBefore(dayjs().add(1, 'day').startOf('day'));
}
