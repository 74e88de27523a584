/**
 * A room id: 1-128 printable ASCII characters, no spaces. Room ids are routing keys (Redis keys,
 * Kafka message keys), so the same rule holds wherever a room is named: the op-7 `room_id`, op 12
 * and the push API.
 */
const ROOM_ID = /^[\x21-\x7e]{1,128}$/;

/** The rule in words, for refusals. */
export const ROOM_ID_RULE = 'room id: 1-128 printable ASCII characters, no spaces';

export function isRoomId(room: string): boolean {
  return ROOM_ID.test(room);
}
