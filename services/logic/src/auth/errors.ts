/**
 * The caller could not be identified: no or a bad credential, or a token that names no user. Each
 * transport answers it its documented way: a socket with 3504 AUTH_FAILED, HTTP with 401.
 */
export class AuthRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthRefused';
  }
}

/** A room the caller may not enter: a bad room id, or anonymous where anonymous viewers are not allowed. */
export class RoomRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoomRefused';
  }
}
