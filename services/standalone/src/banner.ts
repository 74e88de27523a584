import { describeAdapters, type AdapterConfig } from '@imcluster/adapters';
import type { CometAddresses } from '@imcluster/comet';
import { DEV_API_KEY, type LogicAddresses, type LogicConfig } from '@imcluster/logic';

/** What a newcomer needs on screen after `pnpm start`: where it listens, what it runs on, how to try it. */
export function banner(addresses: { logic: LogicAddresses; comet: CometAddresses }, adapters: AdapterConfig, logic: LogicConfig): string {
  const http = `http://${addresses.logic.http}`;
  const apiKey = logic.apiKey === DEV_API_KEY ? DEV_API_KEY : '<your IM_API_KEY>';
  const roles = Object.entries(describeAdapters(adapters))
    .map(([role, what]) => `    ${role.padEnd(9)} ${what}`)
    .join('\n');
  return `
imcluster standalone node is running (comet + logic + job in one process)

  listening
    HTTP API       ${http}
    WebSocket      ws://${addresses.comet.ws}/sub
    TCP            ${addresses.comet.tcp}
    gRPC           logic ${addresses.logic.grpc}, comet ${addresses.comet.grpc}
  adapters
${roles}

  in a browser
    demo app       ${http}/demo/      (sign up two users in two browsers and chat)
    console        ${http}/admin/     (API key: ${apiKey})

  try it
    # 1. create a user and get a token
    curl -s -X POST ${http}/api/v1/users -H 'content-type: application/json' \\
         -d '{"name":"alice","password":"alice-password"}'
    # 2. connect a client to ws://${addresses.comet.ws}/sub and send op 7 (auth) with
    #    {"room_id":"live://1000","accepts":[1000],"token":"<token>"}   (see docs/protocol.md)
    # 3. push to the room (or /goim/push/mids?operation=1000&mids=<id> to the user)
    curl -s -X POST '${http}/goim/push/room?operation=1000&type=live&room=1000' \\
         -H 'Authorization: Bearer ${apiKey}' -d 'hello room'

  Ctrl-C stops it cleanly.
`;
}
