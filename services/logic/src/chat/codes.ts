/**
 * Chat reply codes (`code` in op-5 and op-23 bodies), in the application range 4000-4999: the
 * connection stays open; the client fixes the request or retries as each code says.
 */
export const ChatCode = {
  OK: 0,
  /** The body is not valid JSON or misses/has malformed fields. Do not retry unchanged. */
  INVALID: 4001,
  /** Anonymous viewer, or not a member of the conversation. Do not retry. */
  FORBIDDEN: 4003,
  /** The target user does not exist. */
  NOT_FOUND: 4004,
  /** Payload over the configured limit. */
  TOO_LARGE: 4013,
  /** Recall refused: not the sender, already recalled, no such message, or past the recall window. */
  RECALL_REFUSED: 4009,
  /** The client_msg_id was used before for a message with another target or body: nothing stored. */
  ID_REUSED: 4022,
  /** Storage unavailable: the message was NOT stored; retry with the same client_msg_id. */
  UNAVAILABLE: 4503,
  /** Sent by the comet when logic did not answer in time: the message may or may not be stored; retry with the same client_msg_id. */
  OUTCOME_UNKNOWN: 4504,
} as const;

export type ChatCode = (typeof ChatCode)[keyof typeof ChatCode];

export class ChatError extends Error {
  constructor(
    readonly code: ChatCode,
    message: string,
  ) {
    super(message);
  }
}
