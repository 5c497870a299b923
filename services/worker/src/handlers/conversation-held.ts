/**
 * Thrown when a conversation must pause without losing its message: the job is moved to
 * BullMQ's delayed set for `delayMs` (not counted as a failed attempt) and resumes where it
 * stopped. Used for broken credentials, Meta's per-user pair rate limit, and a turn still
 * collecting a user's messages (bot settings.turn).
 */
export class ConversationHeld extends Error {
  constructor(
    readonly delayMs: number,
    readonly reason: 'credentials_invalid' | 'pair_rate_limited' | 'busy' | 'turn_waiting',
  ) {
    super(`conversation held for ${delayMs} ms: ${reason}`);
    this.name = 'ConversationHeld';
  }
}
