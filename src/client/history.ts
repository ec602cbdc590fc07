// Paging a dialog's history backwards. The panel orders messages by (date_sent, _id) and pages from
// its oldest one. Several messages often share a second, so `date_sent[lt]` would silently skip
// the older ones of that second: we ask for `date_sent[lte]` and drop what is not strictly older.
import type { QBMessage } from '../shared/models';

export interface PageQuery {
  limit: number;
  skip: number;
  /** Newest first, sent at or before this unix second. */
  dateSentAtMost?: number;
}

export type FetchPage = (query: PageQuery) => Promise<QBMessage[]>;

export interface Cursor {
  dateSent: number;
  id: string;
}

/** Bounds the extra round trips when many messages share the cursor's second. */
const MAX_PAGES = 20;

export function compareMessages(a: Pick<QBMessage, 'date_sent' | '_id'>, b: Pick<QBMessage, 'date_sent' | '_id'>): number {
  return a.date_sent - b.date_sent || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);
}

/** Up to `limit` messages just older than `before` (or the newest ones), oldest first. */
export async function historyPage(fetchPage: FetchPage, limit: number, before?: Cursor): Promise<QBMessage[]> {
  if (!before) return (await fetchPage({ limit, skip: 0 })).sort(compareMessages);
  const older: QBMessage[] = [];
  const cursor = { date_sent: before.dateSent, _id: before.id };
  let skip = 0;
  for (let page = 0; page < MAX_PAGES && older.length < limit; page++) {
    const items = await fetchPage({ limit, skip, dateSentAtMost: before.dateSent });
    older.push(...items.filter((m) => compareMessages(m, cursor) < 0));
    if (items.length < limit) break;
    skip += items.length;
  }
  return older.sort(compareMessages).slice(-limit);
}
