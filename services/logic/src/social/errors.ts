/** Why a social operation was refused; the HTTP layer maps each code to a status. */
export type SocialCode = 'INVALID' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';

/** A refusal the caller can act on: nothing was changed. */
export class SocialError extends Error {
  constructor(
    readonly code: SocialCode,
    message: string,
  ) {
    super(message);
    this.name = 'SocialError';
  }
}
