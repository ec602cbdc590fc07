// GET /_local/info.json: lets a client that only knows the REST address discover the rest
// (XMPP ports, domain, credentials, demo users). No token: it is how a client gets started.
import { LOCAL_INFO_PATH } from '../../shared/localServer';
import type { Route } from './context';

const escaped = LOCAL_INFO_PATH.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export const localInfoRoutes: Route[] = [
  { method: 'GET', pattern: new RegExp(`^${escaped}$`), handle: (ctx) => ({ status: 200, body: ctx.deps.info() }) },
];
