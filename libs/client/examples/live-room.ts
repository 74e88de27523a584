// Listens to a live room as an anonymous viewer, on @imcluster/client. With a standalone node
// running (`pnpm start`):
//
//   node libs/client/examples/live-room.ts --room live://1000
//   curl -X POST 'localhost:3111/goim/push/room?operation=1000&type=live&room=1000' \
//        -H 'Authorization: Bearer imcluster-dev-api-key' -d 'hello room'
//
// --dialect bili --protover 2|3 listens the way Bilibili-live clients do (compressed batches).
import { parseArgs } from 'node:util';
import { createClient } from '@imcluster/client/node';

const { values: args } = parseArgs({
  options: {
    logic: { type: 'string', default: 'http://127.0.0.1:3111' },
    room: { type: 'string', default: 'live://1000' },
    dialect: { type: 'string', default: 'goim' },
    protover: { type: 'string', default: '2' },
    transport: { type: 'string', default: 'ws' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log('usage: live-room.ts [--room live://1000] [--dialect goim|bili] [--protover 0|2|3] [--transport ws|tcp] [--logic http://127.0.0.1:3111]');
  process.exit(0);
}

const client = createClient({
  discovery: args.logic,
  room: args.room,
  dialect: args.dialect === 'bili' ? 'bili' : 'goim',
  protover: Number(args.protover) as 0 | 2 | 3,
  transport: args.transport === 'tcp' ? 'tcp' : 'ws',
  chat: false,
});
client.on('connected', (e) => console.log(`* in ${e.room} via ${e.url}`));
client.on('disconnected', (e) => console.log(`* disconnected (${e.code} ${e.reason})`));
client.on('online', (e) => console.log(`* ${e.count} online`));
client.on('push', (p) => console.log(`[op ${p.op}] ${p.text()}`));
client.on('closed', (e) => {
  if (e.error) console.error(`* stopped: ${e.error.code} ${e.error.message}`);
});
process.once('SIGINT', () => client.close());
await client.connect();
