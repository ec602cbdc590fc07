// Several signed-in users in one window against the real local server (loopback, ports 0, in
// memory, demo data): Alice (the primary) and Bob (added) chat in their private dialog through one
// ChatSessions; one stanza log holds both ends in order; raw XML goes out on the connection named.
import * as assert from 'node:assert/strict';
import { xml } from '@xmpp/xml';
import { ChatService } from '../../src/client/chatService';
import { ChatSessions } from '../../src/client/chatSessions';
import type { ChatServiceApi } from '../../src/client/contracts';
import { localConnectionTarget } from '../../src/client/profile';
import { userJid } from '../../src/shared/jid';
import type { DemoUser, LocalServerInfo } from '../../src/shared/localServer';
import { DialogTypes, type QBDialog, type QBMessage } from '../../src/shared/models';
import { newObjectId } from '../../src/shared/objectId';
import { logger, startDemoServer, WAIT_MS, waitFor } from './clientHarness';

/** The next message event of `service` that `take` accepts. */
function nextMessage(service: ChatServiceApi, text: string): Promise<QBMessage> {
  return waitFor<QBMessage, QBMessage>(
    (listener) => {
      const subscription = service.on('message', listener);
      return () => subscription.dispose();
    },
    (m) => (m.message === text ? m : undefined),
    `"${text}" as a message event`,
  );
}

describe('client: ChatSessions with two users against the local server', function () {
  this.timeout(20_000);
  let server: Awaited<ReturnType<typeof startDemoServer>>;
  let info: LocalServerInfo;
  let alice: DemoUser;
  let bob: DemoUser;
  let sessions: ChatSessions;
  let bobService: ChatServiceApi;
  let dialog: QBDialog;

  before(async () => {
    server = await startDemoServer();
    info = server.info;
    [alice, bob] = info.demoUsers ?? [];
    sessions = new ChatSessions((options) => new ChatService({ logger, stanzaLimit: 1000, timeoutMs: WAIT_MS, ...options }), { logger });
    await sessions.primary.connect(localConnectionTarget(info, alice));
    const added = await sessions.add(localConnectionTarget(info, bob));
    assert.ok(added, 'bob signed in');
    bobService = added;
    const found = sessions.primary.dialogs.find((d) => d.type === DialogTypes.private && d.occupants_ids.includes(bob.id));
    assert.ok(found, 'the demo private dialog of alice and bob');
    dialog = found;
  });

  after(async () => {
    await sessions?.dispose();
    await server?.close();
  });

  it('lists both users online, each acting as itself', () => {
    assert.deepEqual(
      sessions.list().map((e) => ({ primary: e.primary, userId: e.userId, login: e.login, state: e.state })),
      [
        { primary: true, userId: alice.id, login: alice.login, state: 'online' },
        { primary: false, userId: bob.id, login: bob.login, state: 'online' },
      ],
    );
    assert.equal(sessions.serviceFor(bob.id), bobService);
    assert.equal(sessions.serviceFor(alice.id), sessions.primary);
    assert.ok(bobService.dialogs.some((d) => d._id === dialog._id), 'bob lists the same private dialog');
    assert.deepEqual(sessions.connections(), [userJid(alice.id, info.appId, info.domain), userJid(bob.id, info.appId, info.domain)]);
  });

  it('delivers a message from one user to the other, and bob\'s unread count moves', async () => {
    const text = `alice to bob ${Date.now()}`;
    const unreadBefore = bobService.dialogs.find((d) => d._id === dialog._id)?.unread_messages_count ?? 0;
    const snapshot = waitFor<QBDialog, [ChatServiceApi, QBDialog[]]>(
      (listener) => {
        const subscription = sessions.on('dialogs', (service, dialogs) => listener([service, dialogs]));
        return () => subscription.dispose();
      },
      ([service, dialogs]) => (service === bobService ? dialogs.find((d) => d._id === dialog._id && d.last_message === text) : undefined),
      'bob\'s dialogs snapshot with the new last message',
    );
    const received = nextMessage(bobService, text);
    const sent = await sessions.primary.sendMessage(dialog._id, text);
    const message = await received;
    assert.deepEqual({ id: message._id, sender: message.sender_id, dialog: message.chat_dialog_id }, { id: sent._id, sender: alice.id, dialog: dialog._id });
    assert.equal((await snapshot).unread_messages_count, unreadBefore + 1);
  });

  it('keeps both ends of the exchange in one log, in the order they happened', async () => {
    const text = `bob to alice ${Date.now()}`;
    const received = nextMessage(sessions.primary, text);
    const sent = await bobService.sendMessage(dialog._id, text);
    await received;
    const log = sessions.stanzas();
    for (let i = 1; i < log.length; i++) assert.ok(log[i - 1].seq < log[i].seq, 'ordered by sequence');
    const ofMessage = log.filter((r) => r.kind === 'message' && r.xml.includes(sent._id) && r.xml.includes('<body>'));
    assert.deepEqual(
      ofMessage.map((r) => [r.direction, r.connection]),
      [
        ['out', userJid(bob.id, info.appId, info.domain)],
        ['in', userJid(alice.id, info.appId, info.domain)],
      ],
      'sent by bob, then received by alice',
    );
  });

  it('sends raw XML on the connection it names', async () => {
    const text = `raw from bob ${Date.now()}`;
    const received = nextMessage(sessions.primary, text);
    const stanza = xml(
      'message',
      { to: userJid(alice.id, info.appId, info.domain), type: 'chat', id: newObjectId() },
      xml('body', {}, text),
      xml('extraParams', { xmlns: 'jabber:client' }, xml('save_to_history', {}, '1'), xml('dialog_id', {}, dialog._id)),
    );
    await sessions.sendRawStanza(stanza.toString(), userJid(bob.id, info.appId, info.domain));
    assert.equal((await received).sender_id, bob.id, 'it left as bob');
  });

  it('signs bob out: his connection and service go, alice stays', async () => {
    await sessions.remove(bobService);
    assert.equal(bobService.state, 'offline');
    assert.deepEqual(sessions.list().map((e) => e.login), [alice.login]);
    assert.equal(sessions.serviceFor(bob.id), undefined);
    assert.deepEqual(sessions.connections(), [userJid(alice.id, info.appId, info.domain)]);
    assert.equal(sessions.primary.state, 'online');
  });

  it('refuses a wrong password with the server\'s reason, and lists nobody new', async () => {
    await assert.rejects(sessions.add({ ...localConnectionTarget(info, bob), password: 'wrong' }), /401|nauthori|credentials/i);
    assert.deepEqual(sessions.list().map((e) => e.login), [alice.login]);
  });
});
