// Chat markers and chat states between ChatService (demo user 1) and a plain @xmpp/client peer
// (demo user 2) through the local server: the peer's markers and typing reach the service as
// events, and the service's own markers and chat states reach the peer shaped as the SDK sends them.
import * as assert from 'node:assert/strict';
import type { Client } from '@xmpp/client';
import { xml } from '@xmpp/xml';
import { ChatService } from '../../src/client/chatService';
import type { MessageStatusEvent, TypingEvent } from '../../src/client/contracts';
import { userJid } from '../../src/shared/jid';
import type { DemoUser, LocalServerInfo } from '../../src/shared/localServer';
import { DialogTypes, type QBDialog, type QBMessage } from '../../src/shared/models';
import { newObjectId } from '../../src/shared/objectId';
import { NS, readExtraParams } from '../../src/shared/stanza';
import { messagesOf, plainClient, signedInService, startDemoServer, waitFor } from './clientHarness';

describe('client: markers and chat states against the local server', function () {
  this.timeout(20_000);
  let server: Awaited<ReturnType<typeof startDemoServer>>;
  let info: LocalServerInfo;
  let alice: DemoUser;
  let bob: DemoUser;
  let service: ChatService;
  let bobClient: Client;
  let dialog: QBDialog;
  let aliceJid: string;

  const statuses = (listener: (s: MessageStatusEvent) => void) => {
    const d = service.on('messageStatus', listener);
    return () => d.dispose();
  };
  const typings = (listener: (t: TypingEvent) => void) => {
    const d = service.on('typing', listener);
    return () => d.dispose();
  };

  before(async () => {
    server = await startDemoServer();
    info = server.info;
    [alice, bob] = info.demoUsers ?? [];
    service = await signedInService(info, alice);
    const found = service.dialogs.find((d) => d.type === DialogTypes.private && d.occupants_ids.includes(bob.id));
    assert.ok(found, 'the demo data has a private dialog between the two demo users');
    dialog = found;
    aliceJid = userJid(alice.id, info.appId, info.domain);
    bobClient = await plainClient(info, bob);
  });

  after(async () => {
    await bobClient?.stop().catch(() => undefined);
    await service?.dispose();
    await server?.close();
  });

  it("turns the peer's received and displayed markers into messageStatus events", async () => {
    const arrived = waitFor(messagesOf(bobClient), (m) => (m.getChildText('body') === 'tick me' ? m : undefined), 'the message at the peer');
    const sent = await service.sendMessage(dialog._id, 'tick me');
    const stanza = await arrived;
    assert.ok(stanza.getChild('markable', NS.markers), 'sent markable');
    assert.equal(stanza.attrs.id, sent._id);

    // As the SDK does: type chat to the sender's bare JID, dialog_id in extraParams.
    const read = waitFor(statuses, (s) => (s.status === 'read' ? s : undefined), 'a read status');
    await bobClient.send(
      xml(
        'message',
        { type: 'chat', to: aliceJid, id: newObjectId() },
        xml('displayed', { xmlns: NS.markers, id: stanza.attrs.id }),
        xml('extraParams', { xmlns: NS.client }, xml('dialog_id', {}, dialog._id)),
      ),
    );
    assert.deepEqual(await read, { dialogId: dialog._id, messageId: sent._id, userId: bob.id, status: 'read' });

    // Without dialog_id the pair's private dialog is meant.
    const delivered = waitFor(statuses, (s) => (s.status === 'delivered' ? s : undefined), 'a delivered status');
    await bobClient.send(xml('message', { type: 'chat', to: aliceJid, id: newObjectId() }, xml('received', { xmlns: NS.markers, id: sent._id })));
    assert.deepEqual(await delivered, { dialogId: dialog._id, messageId: sent._id, userId: bob.id, status: 'delivered' });
  });

  it("turns the peer's chat states into typing events", async () => {
    const composing = waitFor(typings, (t) => t, 'composing');
    await bobClient.send(xml('message', { type: 'chat', to: aliceJid }, xml('composing', { xmlns: NS.chatStates })));
    assert.deepEqual(await composing, { dialogId: dialog._id, userId: bob.id, state: 'composing' });
    const paused = waitFor(typings, (t) => t, 'paused');
    await bobClient.send(xml('message', { type: 'chat', to: aliceJid }, xml('paused', { xmlns: NS.chatStates })));
    assert.deepEqual(await paused, { dialogId: dialog._id, userId: bob.id, state: 'paused' });
  });

  it('sendTyping reaches the peer of a private dialog as a chat state', async () => {
    for (const state of ['composing', 'paused'] as const) {
      const got = waitFor(messagesOf(bobClient), (m) => (m.getChild(state, NS.chatStates) ? m : undefined), state);
      await service.sendTyping(dialog._id, state);
      const stanza = await got;
      assert.equal(stanza.attrs.type, 'chat');
      assert.equal(stanza.attrs.from?.split('/')[0], aliceJid);
      assert.equal(stanza.getChild('body'), undefined, 'no body');
    }
  });

  it("answers the peer's markable message with <received/>, and markRead with <displayed/>", async () => {
    const id = newObjectId();
    const markers = (kind: 'received' | 'displayed') =>
      waitFor(messagesOf(bobClient), (m) => (m.getChild(kind, NS.markers)?.attrs.id === id ? m : undefined), `${kind} for ${id}`);
    const received = markers('received');
    const shown = waitFor(
      (listener: (m: QBMessage) => void) => {
        const d = service.on('message', listener);
        return () => d.dispose();
      },
      (m) => (m._id === id ? m : undefined),
      'the message at the service',
    );
    await bobClient.send(
      xml(
        'message',
        { type: 'chat', to: aliceJid, id },
        xml('body', {}, 'did you get this?'),
        xml('markable', { xmlns: NS.markers }),
        xml('extraParams', { xmlns: NS.client }, xml('save_to_history', {}, '1'), xml('dialog_id', {}, dialog._id)),
      ),
    );
    await shown;
    const receipt = await received;
    assert.equal(receipt.attrs.type, 'chat');
    assert.equal(receipt.attrs.from?.split('/')[0], aliceJid);
    assert.equal(readExtraParams(receipt).params.dialog_id, dialog._id);

    const displayed = markers('displayed');
    await service.markRead(dialog._id);
    const read = await displayed;
    assert.equal(readExtraParams(read).params.dialog_id, dialog._id);

    // The server recorded both markers: the history shows Alice among the message's readers.
    const history = await service.loadMessages(dialog._id, { markAsRead: false });
    const stored = history.find((m) => m._id === id);
    assert.ok(stored, 'stored');
    assert.ok(stored.read_ids.includes(alice.id) && stored.delivered_ids.includes(alice.id));
  });
});
