import { type BotRepository, isUniqueViolation } from '@wabot/db';
import { conflict } from './api-error.js';

const conflictFor = (phoneNumberId: string) =>
  conflict(`phone_number_id ${phoneNumberId} already belongs to an active bot; deactivate that bot first`, {
    fields: [{ field: 'platform_config.phone_number_id', message: 'is used by another active bot' }],
  });

/** 409 when another live, active bot already answers for this phone number id. */
export async function assertPhoneNumberFree(
  bots: Pick<BotRepository, 'isPhoneNumberActive'>,
  phoneNumberId: string,
  exceptBotId?: string,
): Promise<void> {
  if (await bots.isPhoneNumberActive(phoneNumberId, exceptBotId)) throw conflictFor(phoneNumberId);
}

/**
 * Maps a violation of the partial unique index `bots_active_phone_number_id_key` (two requests
 * racing past {@link assertPhoneNumberFree}) to the same 409; other errors pass through unchanged.
 */
export function toPhoneNumberConflict(error: unknown, phoneNumberId: string): unknown {
  return isUniqueViolation(error, 'phone_number_id') ? conflictFor(phoneNumberId) : error;
}
