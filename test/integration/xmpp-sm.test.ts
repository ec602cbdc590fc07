// XEP-0198 end to end over TCP and WebSocket: enable, acks both ways, a connection dropped in the middle
// of a conversation and resumed on a new one with nothing lost and nothing duplicated, and resumption
// refused once the hibernation time is over.
import * as assert from 'node:assert/strict';
import type { Element } from '@xmpp/xml';
import { NS } from '../../src/shared/stanza';
import type { UserRecord } from '../../src/server/store/chatStore';
import { NS_SM } from '../../src/server/xmpp/modules/sm';
import { startTestServer, WireClient, type TestServer, type Transport } from './xmpp-sm-harness';

const HIBERNATION_MS = 1500;
const isSm = (name: string) => (e: Element) => e.name === name && e.attrs.xmlns === NS_SM;
const bodyOf = (e: Element) => e.getChildText('body');

for (const transport of ['tcp', 'websocket'] as const satisfies readonly Transport[]) {
  describe(`XEP-0198 stream management over ${transport} (integration)`, function () {
    this.timeout(20000);
    let t: TestServer;
    let alice: UserRecord;
    let bob: UserRecord;
    const opened: WireClient[] = [];
    const wire = () => {
      const c = new WireClient(transport, t);
      opened.push(c);
      return c;
    };

    before(async () => {
      t = await startTestServer({ smHibernationMs: HIBERNATION_MS, smAckEvery: 2, smAckDelayMs: 100 });
      alice = t.user('alice');
      bob = t.user('bob');
    });
    after(async () => {
      for (const c of opened) c.drop();
      await t.close();
    });

    const send = (from: WireClient, to: UserRecord, text: string) =>
      from.stanza(`<message to="${t.bare(to)}" type="chat" id="${text}"><body>${text}</body></message>`);

    it('advertises sm and csi after authentication, enables resumption, counts and answers acks', async () => {
      const a = wire();
      const features = await a.authenticate(alice);
      assert.ok(features.getChild('sm', NS_SM), features.toString());
      assert.ok(features.getChild('csi', 'urn:xmpp:csi:0'), features.toString());
      a.stanza(`<iq type="set" id="bind"><bind xmlns="${NS.bind}"/></iq>`);
      await a.next((e) => e.attrs.id === 'bind');
      a.write(`<enable xmlns="${NS_SM}" resume="true"/>`);
      const enabled = await a.next(isSm('enabled'));
      assert.ok(enabled.attrs.id);
      assert.equal(enabled.attrs.resume, 'true');
      assert.equal(enabled.attrs.max, String(Math.ceil(HIBERNATION_MS / 1000)));
      a.stanza('<presence/>');
      a.stanza(`<iq type="get" id="p1" to="localhost"><ping xmlns="${NS.ping}"/></iq>`);
      await a.next((e) => e.attrs.id === 'p1');
      // Like the browser SDK: <r/> after sending; h counts every stanza since <enable/>.
      a.write(`<r xmlns="${NS_SM}"/>`);
      assert.equal((await a.next(isSm('a'))).attrs.h, '2');
      a.drop();
    });

    it('enables without resumption the way the browser SDK does', async () => {
      const a = wire();
      await a.online(alice, 'sdk');
      a.write(`<enable xmlns="${NS_SM}"/>`);
      const enabled = await a.next(isSm('enabled'));
      assert.equal(enabled.attrs.id, undefined);
      a.write(`<enable xmlns="${NS_SM}"/>`);
      assert.ok((await a.next(isSm('failed'))).getChild('unexpected-request'));
      a.drop();
    });

    it('resumes a dropped session on a new connection: queued messages arrive once, acked ones are not resent', async () => {
      const a = wire();
      await a.online(alice, `phone-${transport}`);
      a.write(`<enable xmlns="${NS_SM}" resume="true"/>`);
      const previd = (await a.next(isSm('enabled'))).attrs.id;
      const b = wire();
      await b.online(bob, 'desk');

      for (const text of ['m1', 'm2', 'm3']) send(b, alice, text);
      for (const text of ['m1', 'm2', 'm3']) assert.equal(bodyOf(await a.next((e) => e.name === 'message' && bodyOf(e) === text)), text);
      // The server asks for acks (every 2 stanzas here); the client confirms only the first message.
      await a.next(isSm('r'));
      a.write(`<a xmlns="${NS_SM}" h="1"/>`);
      // One message of the client's own, counted in the h it gets back on resumption.
      send(a, bob, 'from-alice-1');
      await b.next((e) => bodyOf(e) === 'from-alice-1');
      a.drop();
      await a.closed;

      // While alice is away: queued, not lost, and the sender gets no error.
      for (const text of ['m4', 'm5']) send(b, alice, text);
      b.stanza(`<iq type="get" id="sync" to="localhost"><ping xmlns="${NS.ping}"/></iq>`);
      await b.next((e) => e.attrs.id === 'sync');

      const a2 = wire();
      await a2.authenticate(alice);
      // The client saw m1 and m2 before the drop (it acked only m1): h=2 means m2 must not come again.
      a2.write(`<resume xmlns="${NS_SM}" previd="${previd}" h="2"/>`);
      const resumed = await a2.next(isSm('resumed'));
      assert.equal(resumed.attrs.previd, previd);
      assert.equal(resumed.attrs.h, '1', 'the one message alice sent after <enable/>');
      const got: string[] = [];
      for (let i = 0; i < 3; i++) got.push(bodyOf(await a2.next((e) => e.name === 'message')) ?? '');
      assert.deepEqual(got, ['m3', 'm4', 'm5']);

      // The resumed session routes both ways, without binding again.
      send(b, alice, 'm6');
      assert.equal(bodyOf(await a2.next((e) => e.name === 'message')), 'm6');
      send(a2, bob, 'from-alice-2');
      const echo = await b.next((e) => bodyOf(e) === 'from-alice-2');
      assert.equal(echo.attrs.from, `${t.bare(alice)}/phone-${transport}`);
      assert.deepEqual(
        a2.take().filter((e) => e.name === 'message').map(bodyOf),
        [],
        'nothing duplicated',
      );
      a2.drop();
      b.drop();
    });

    it('answers a resumption after the hibernation time, or of an unknown id, with <failed><item-not-found/>', async () => {
      const a = wire();
      await a.online(alice, `laptop-${transport}`);
      a.write(`<enable xmlns="${NS_SM}" resume="true"/>`);
      const previd = (await a.next(isSm('enabled'))).attrs.id;
      a.drop();
      await a.closed;
      await new Promise((resolve) => setTimeout(resolve, HIBERNATION_MS + 300));

      for (const id of [previd, 'no-such-session']) {
        const a2 = wire();
        await a2.authenticate(alice);
        a2.write(`<resume xmlns="${NS_SM}" previd="${id}" h="0"/>`);
        const failed = await a2.next(isSm('failed'));
        assert.ok(failed.getChild('item-not-found', NS.stanzas), failed.toString());
        // The stream is still usable: the client binds a fresh session instead.
        a2.stanza(`<iq type="set" id="bind"><bind xmlns="${NS.bind}"/></iq>`);
        await a2.next((e) => e.attrs.id === 'bind' && e.attrs.type === 'result');
        a2.drop();
      }
    });
  });
}
