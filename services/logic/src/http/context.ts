import type { CometDirectory } from '../comet_directory.ts';
import type { LogicConfig } from '../config.ts';
import type { Online } from '../online.ts';
import type { PushService } from '../push.ts';
import type { Users } from '../users.ts';

/** What the HTTP handlers translate requests into. */
export interface HttpContext {
  config: LogicConfig;
  users: Users;
  push: PushService;
  online: Online;
  comets: CometDirectory;
}
