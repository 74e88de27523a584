import { describeAdapters, type AdapterConfig } from '@imcluster/adapters';
import type { CometAddresses } from '@imcluster/comet';
import { DEV_API_KEY, DEV_JWT_SECRET, type LogicAddresses, type LogicConfig } from '@imcluster/logic';

/** The secrets left at their public development values: anyone who reads the source can mint tokens or push with them. */
export function devSecretsInUse(logic: LogicConfig): string[] {
  return [logic.jwtSecret === DEV_JWT_SECRET && 'IM_JWT_SECRET', logic.apiKey === DEV_API_KEY && 'IM_API_KEY'].filter((v) => v !== false);
}


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

${warning(devSecretsInUse(logic))}  Ctrl-C stops it cleanly.
`;
}

function warning(variables: string[]): string {
  if (variables.length === 0) return '';
  return `  WARNING  ${variables.join(' and ')} ${variables.length > 1 ? 'are' : 'is'} the public development value: fine on a laptop,
           unsafe anywhere others can reach this node. Set your own (openssl rand -hex 32).

`;
}
