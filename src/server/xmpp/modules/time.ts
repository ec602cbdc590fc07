// XEP-0202 Entity Time of the server: UTC with milliseconds and the server's offset from it.
import { xml } from '@xmpp/xml';
import type { XmppModule } from '../router';

const NS_TIME = 'urn:xmpp:time';

export const time: XmppModule = ({ router, host }) => {
  host.features.add(NS_TIME);
  host.on(`iq-get/host/${NS_TIME}:time`, (ctx) => {
    const now = new Date();
    router.reply(ctx, xml('time', { xmlns: NS_TIME }, xml('tzo', {}, timezoneOffset(now)), xml('utc', {}, now.toISOString())));
    return true;
  });
};

/** XEP-0082 offset, `+hh:mm` or `-hh:mm`; getTimezoneOffset counts minutes the other way round. */
export function timezoneOffset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const abs = Math.abs(minutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
