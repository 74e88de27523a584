// Original file: proto/comet.proto


/**
 * Connections to close now, e.g. every connection of a user whose tokens were revoked (logout,
 * password change): each gets op 6 and the close code.
 */
export interface KickReq {
  /**
   * keys this comet does not hold are ignored
   */
  'keys'?: (string)[];
  /**
   * a documented close code (docs/protocol.md)
   */
  'code'?: (number);
  'reason'?: (string);
}

/**
 * Connections to close now, e.g. every connection of a user whose tokens were revoked (logout,
 * password change): each gets op 6 and the close code.
 */
export interface KickReq__Output {
  /**
   * keys this comet does not hold are ignored
   */
  'keys': (string)[];
  /**
   * a documented close code (docs/protocol.md)
   */
  'code': (number);
  'reason': (string);
}
