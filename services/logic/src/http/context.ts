import type { Health, Metrics } from '@imcluster/metrics';
import type { WebAssets } from '@imcluster/web';
import type { Authenticator } from '../auth/authenticator.ts';
import type { ChatService } from '../chat/chat_service.ts';
import type { ClusterView } from '../cluster_view.ts';
import type { CometDirectory } from '../comet_directory.ts';
import type { LogicConfig } from '../config.ts';
import type { Online } from '../online.ts';
import type { PushService } from '../push.ts';
import type { Social } from '../social/social.ts';
import type { Users } from '../users.ts';

/** What the HTTP handlers translate requests into. */
export interface HttpContext {
  config: LogicConfig;
  auth: Authenticator;
  users: Users;
  push: PushService;
  online: Online;
  comets: CometDirectory;
  social: Social;
  chat: ChatService;
  metrics: Metrics;
  health: Health;
  cluster: ClusterView;
  web: WebAssets;
}
