import * as assert from 'node:assert/strict';
import { historyPage, type PageQuery } from '../../src/client/history';
import type { QBMessage } from '../../src/shared/models';

function msg(dateSent: number, id: string): QBMessage {
  return {
    _id: id, chat_dialog_id: 'd', message: id, date_sent: dateSent, sender_id: 1, recipient_id: 2,
    read_ids: [], delivered_ids: [], attachments: [], created_at: '', updated_at: '',
  };
}

/** A fake server: newest first by date_sent, `lte` and skip/limit applied. */
function server(all: QBMessage[]) {
  const queries: PageQuery[] = [];
  const fetchPage = async (q: PageQuery) => {
    queries.push(q);
    const sorted = [...all].sort((a, b) => b.date_sent - a.date_sent || (a._id < b._id ? 1 : -1));
    const filtered = q.dateSentAtMost === undefined ? sorted : sorted.filter((m) => m.date_sent <= q.dateSentAtMost!);
    return filtered.slice(q.skip, q.skip + q.limit);
  };
  return { fetchPage, queries };
}

describe('client: history paging', () => {
  const all = [msg(10, 'a'), msg(11, 'b'), msg(12, 'c1'), msg(12, 'c2'), msg(12, 'c3'), msg(13, 'd')];

  it('returns the newest page oldest first', async () => {
    const { fetchPage } = server(all);
    assert.deepEqual((await historyPage(fetchPage, 3)).map((m) => m._id), ['c2', 'c3', 'd']);
  });

  it('pages back without losing messages that share the cursor second', async () => {
    const { fetchPage } = server(all);
    const page = await historyPage(fetchPage, 2, { dateSent: 12, id: 'c2' });
    assert.deepEqual(page.map((m) => m._id), ['b', 'c1']);
  });

  it('fetches further when same-second newer messages fill a page', async () => {
    const { fetchPage, queries } = server(all);
    const page = await historyPage(fetchPage, 2, { dateSent: 12, id: 'c1' });
    assert.deepEqual(page.map((m) => m._id), ['a', 'b']);
    assert.ok(queries.length >= 2);
  });
});
