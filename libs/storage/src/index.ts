export {
  chatLimits,
  groupLimits,
  StorageError,
  type AppendResult,
  type ChatMessage,
  type ConversationState,
  type CursorKind,
  type Group,
  type GroupRole,
  type NewChatMessage,
  type Storage,
  type User,
} from './storage.ts';
export { MysqlStorage, type MysqlStorageOptions } from './storage.mysql.ts';
export { SqliteStorage, type SqliteStorageOptions } from './storage.sqlite.ts';
export { loadMigrations, type Dialect, type Migration } from './migrations.ts';
