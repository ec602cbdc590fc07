// Group (type 2) and public (type 1) dialogs as XEP-0045 rooms on `muc.<domain>`, the way QuickBlox
// uses them (protocol spec §7.9): join and leave (occupancy.ts), groupchat fan-out and storage
// (groupchat.ts), headlines to rooms (headline.ts), service discovery (disco.ts). REST changes reach
// the rooms through the delivery port (reflection.ts, called from ../delivery.ts).
import type { XmppModule } from '../../router';
import { registerMucDisco } from './disco';
import { registerGroupchat } from './groupchat';
import { registerRoomHeadlines } from './headline';
import { registerOccupancy } from './occupancy';
import { mucOf } from './rooms';

export const muc: XmppModule = (ctx) => {
  const state = mucOf(ctx);
  const mucHost = ctx.router.host(state.mucDomain);
  registerOccupancy(state, mucHost, ctx.host);
  registerGroupchat(state, mucHost, ctx.logger);
  registerRoomHeadlines(state, mucHost);
  registerMucDisco(state, mucHost);
};
