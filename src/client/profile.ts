// The "Local server" profile: what the extension connects with once it knows a local server and
// which demo user to be.
import type { DemoUser, LocalServerInfo } from '../shared/localServer';
import type { ConnectionTarget } from './contracts';

export function localConnectionTarget(info: LocalServerInfo, user: Pick<DemoUser, 'login' | 'password'>): ConnectionTarget {
  return {
    apiEndpoint: info.rest,
    chatService: info.xmpp,
    chatDomain: info.domain,
    appId: info.appId,
    authKey: info.authKey,
    authSecret: info.authSecret,
    login: user.login,
    password: user.password,
  };
}
