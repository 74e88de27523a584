import { ImError, type ErrorCode } from '@imcluster/common';

/** Why a social operation was refused. */
export type SocialCode = Extract<ErrorCode, 'INVALID' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;

/** A refusal the caller can act on: nothing was changed. */
export class SocialError extends ImError {
  declare readonly code: SocialCode;

  constructor(code: SocialCode, message: string) {
    super(code, message);
  }
}
