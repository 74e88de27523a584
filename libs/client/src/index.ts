// The browser-safe entry: no Node module is imported from here (the bundle-size test checks it).
export { createClient, ImClient, randomId, type ClientEvents, type ClientOptions } from './client.ts';
export type { ConnectionEvents, ConnectionState, AuthReply } from './connection.ts';
export type { ReconnectOptions } from './backoff.ts';
export { ClientError, ERROR_CODES, type ErrorCode } from './errors.ts';
export { webSocketTransport, type Socket, type SocketHandlers, type Transport, type WebSocketConstructor, type WebSocketLike } from './transport.ts';
export { streamDecompress, supportsBrotli, type Decompress, type Push } from './pushes.ts';
export type { Chat, ChatOptions } from './chat/chat.ts';
export type { ChatEvents } from './chat/link.ts';
export { memoryStore, webStorage, type ChatStore, type WebStorageLike } from './chat/store.ts';
export { directConversation, groupConversation } from '@imcluster/protocol/conversation';
export type {
  ChatMessage,
  Conversation,
  HistoryPage,
  OutboxEntry,
  ReadReceipt,
  Recalled,
  SendAck,
  SystemNotice,
  Target,
} from './chat/types.ts';
