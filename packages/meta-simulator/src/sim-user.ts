import { randomInt } from 'node:crypto';

/** A simulated WhatsApp user as webhooks describe them. */
export interface SimUser {
  name: string;
  /** Phone number as wa_id (digits only); null for a username user whose number Meta withholds. */
  waId: string | null;
  /** Business-scoped user id (`CC.<digits>`), sent as `user_id` / `from_user_id`. */
  bsuid: string | null;
  /** `@handle` shown in `contacts[].profile.username`. */
  username: string | null;
}

export interface SimUserInit {
  name: string;
  /** Digits (a leading + and separators are stripped); omitted → a fresh 1555… number; null → no number. */
  waId?: string | null;
  /** true → a fresh US BSUID; a string → that BSUID. */
  bsuid?: string | boolean;
  username?: string;
}

let counter = 0;

/** A fresh business-scoped user id such as `US.13491208655302741918`. */
export function createBsuid(country = 'US'): string {
  let digits = '13';
  for (let i = 0; i < 18; i++) digits += String(randomInt(10));
  return `${country}.${digits}`;
}

/** A fresh test phone number in the 555 range (never a real subscriber). */
export function createTestPhoneNumber(): string {
  counter = (counter + 1) % 10_000;
  return `1555${String(randomInt(100)).padStart(2, '0')}${String(counter).padStart(5, '0')}`;
}

/**
 * A simulated user. A user without a phone number must have a BSUID (that is how Meta identifies
 * username users), so one is created when neither is given.
 */
export function createSimUser(init: SimUserInit): SimUser {
  const waId =
    init.waId === null ? null : init.waId === undefined ? createTestPhoneNumber() : init.waId.replace(/\D/g, '');
  let bsuid = typeof init.bsuid === 'string' ? init.bsuid : init.bsuid === true ? createBsuid() : null;
  if (waId === null && bsuid === null) bsuid = createBsuid();
  return { name: init.name, waId, bsuid, username: init.username ?? null };
}

/** Where statuses and replies go: the phone number when known, else the BSUID. */
export function addressOf(user: SimUser): string {
  const address = user.waId ?? user.bsuid;
  if (address === null) throw new Error(`simulated user ${user.name} has neither a phone number nor a BSUID`);
  return address;
}
