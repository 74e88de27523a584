/** Counters a comet exposes through its gRPC Stats call (tests and operators read them). */
export class CometStats {
  roomBatches = 0;
  roomMessages = 0;
  keyPushes = 0;
  broadcasts = 0;
  framesDropped = 0;
  slowDisconnects = 0;
  /** Chat messages written again to a connection that had not acknowledged them. */
  chatResends = 0;
  readonly roomBatchesByRoom = new Map<string, number>();

  countRoomBatch(room: string, messages: number): void {
    this.roomBatches++;
    this.roomMessages += messages;
    this.roomBatchesByRoom.set(room, (this.roomBatchesByRoom.get(room) ?? 0) + 1);
  }
}
