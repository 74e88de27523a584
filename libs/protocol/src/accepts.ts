/** The largest op number: the header's 32-bit field. */
export const MAX_OP = 0xffff_ffff;

/** Most ops a connection's accept filter may hold: at auth (op 7 `accepts`) and after op 14. */
export const MAX_ACCEPTS = 256;

/** Largest op-14/16 body, bytes: room for MAX_ACCEPTS ten-digit ops and their commas. */
export const MAX_SUB_BODY = MAX_ACCEPTS * 11;

/**
 * The ops of an op-14/16 body: ASCII decimal op numbers separated by commas (`1000,1001`); blanks
 * around items are tolerated. Undefined when any item is malformed or out of range.
 */
export function parseOpList(body: Buffer): number[] | undefined {
  const items = body.toString('ascii').split(',').map((item) => item.trim()).filter(Boolean);
  if (!items.every((item) => /^\d{1,10}$/.test(item) && Number(item) <= MAX_OP)) return undefined;
  return items.map(Number);
}
