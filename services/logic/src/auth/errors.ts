import { ImError } from '@imcluster/common';

/**
 * The caller could not be identified: no or a bad credential, or a token that names no user. Each
 * transport answers it its documented way: a socket with 3504 AUTH_FAILED, HTTP with 401.
 */
export class AuthRefused extends ImError {
  constructor(message: string) {
    super('UNAUTHORIZED', message);
  }
}

/** A room the caller may not enter: a bad room id, or anonymous where anonymous viewers are not allowed (the op-13 reply carries 3508). */
export class RoomRefused extends ImError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}
