// ChatService end to end against the local server started in-process (loopback, ports 0, in
// memory, demo data): sign in as demo user 1, list dialogs and history, and exchange messages with
// demo user 2 on a second, plain @xmpp/client connection that knows nothing of our code.
import * as assert from 'node:assert/strict';
import type { Client } from '@xmpp/client';
import { xml } from '@xmpp/xml';
import { ChatService } from '../../src/client/chatService';
import { localConnectionTarget } from '../../src/client/profile';
import { userJid } from '../../src/shared/jid';
import type { DemoUser, LocalServerInfo } from '../../src/shared/localServer';
import { DialogTypes, type QBDialog, type QBMessage } from '../../src/shared/models';
import { newObjectId } from '../../src/shared/objectId';
import type { ConnectionState, StanzaRecord } from '../../src/shared/protocol';
import { readExtraParams } from '../../src/shared/stanza';
import { startLocalServer } from '../../src/server/localServer';
import { inRoom, loggedStanzas, logger, messagesOf, ownOccupantJid, plainClient, startDemoServer, until, WAIT_MS, waitFor } from './clientHarness';

describe('client: ChatService against the local server', function () {
  this.timeout(20_000);
  let server: Awaited<ReturnType<typeof startDemoServer>>;
  let info: LocalServerInfo;
  let alice: DemoUser;
  let bob: DemoUser;
  let service: ChatService;
  let bobClient: Client | undefined;
  const records: StanzaRecord[] = [];
  const states: ConnectionState[] = [];
  let dialog: QBDialog;

  before(async () => {
    server = await startDemoServer();
    info = server.info;
    const demo = info.demoUsers ?? [];
    assert.ok(demo.length >= 2, 'the demo data has two users');
    [alice, bob] = demo;
    service = new ChatService({ logger, stanzaLimit: 1000, timeoutMs: WAIT_MS });
    service.on('stanza', (record) => records.push(record));
    service.on('state', (state) => states.push(state));
    await service.connect(localConnectionTarget(info, alice));
  });

  after(async () => {
    await bobClient?.stop().catch(() => undefined);
    await service?.dispose();
    await server?.close();
  });

  it('signs in over REST and XMPP', () => {
    assert.equal(service.state, 'online');
    assert.equal(service.me?.id, alice.id);
    assert.deepEqual(states, ['connecting', 'online']);
  });

  it('lists the dialogs with their last messages', () => {
    assert.ok(service.dialogs.length > 0, 'dialogs');
    assert.ok(service.dialogs.some((d) => d.last_message !== null), 'a dialog with a last message');
    const found = service.dialogs.find((d) => d.type === DialogTypes.private && d.occupants_ids.includes(bob.id));
    assert.ok(found, `a private dialog with ${bob.login}`);
    dialog = found;
  });

  it('loads history oldest first and pages backwards', async () => {
    const page = await service.loadMessages(dialog._id, { limit: 2 });
    assert.ok(page.length > 0, 'history');
    for (let i = 1; i < page.length; i++) assert.ok(page[i - 1].date_sent <= page[i].date_sent, 'oldest first');
    assert.ok(page.every((m) => m.chat_dialog_id === dialog._id));
    const oldest = page[0];
    const older = await service.loadMessages(dialog._id, { limit: 2, before: { dateSent: oldest.date_sent, id: oldest._id } });
    assert.ok(older.every((m) => !page.some((p) => p._id === m._id)), 'no overlap between pages');
  });

  it('names users', async () => {
    const names = await service.userNames([alice.id, bob.id]);
    assert.deepEqual(names, { [alice.id]: alice.fullName, [bob.id]: bob.fullName });
  });

  it('delivers sendMessage to the other user with the server-injected extraParams', async () => {
    bobClient = await plainClient(info, bob);
    const received = waitFor(messagesOf(bobClient), (m) => (m.getChildText('body') === 'hello bob' ? m : undefined), 'bob to receive');
    const emitted = waitFor<QBMessage, QBMessage>(
      (l) => {
        const d = service.on('message', l);
        return () => d.dispose();
      },
      (m) => (m.message === 'hello bob' ? m : undefined),
      'the sent message event',
    );
    const sent = await service.sendMessage(dialog._id, 'hello bob');
    assert.equal(sent.sender_id, alice.id);
    assert.equal(sent.recipient_id, bob.id);
    assert.equal(sent.chat_dialog_id, dialog._id);
    assert.equal((await emitted)._id, sent._id);

    const stanza = await received;
    assert.equal(stanza.attrs.type, 'chat');
    assert.equal(stanza.attrs.id, sent._id, 'the stanza id is kept');
    assert.match(stanza.attrs.from ?? '', new RegExp(`^${alice.id}-${info.appId}@${info.domain}(/|$)`));
    const { params } = readExtraParams(stanza);
    assert.equal(params.dialog_id, dialog._id);
    assert.equal(params.message_id, sent._id, 'stored under the stanza id');
    assert.equal(params.date_sent, String(sent.date_sent), 'stored with our date_sent');
    assert.equal(params.save_to_history, '1');
    assert.equal(service.dialogs.find((d) => d._id === dialog._id)?.last_message, 'hello bob');
    const history = await service.loadMessages(dialog._id, { limit: 5 });
    const stored = history.filter((m) => m.message === 'hello bob');
    assert.deepEqual(
      stored.map((m) => [m._id, m.date_sent, m.sender_id]),
      [[sent._id, sent.date_sent, alice.id]],
      'history holds the same message, once',
    );
  });

  it('sends to a group dialog as groupchat to its joined room, shown once when the room reflects it', async () => {
    const group = service.dialogs.find((d) => d.type === DialogTypes.group);
    assert.ok(group, 'the demo group');
    await until(() => inRoom(info, service, group._id), WAIT_MS, 'the demo group\'s room joined');
    const shown: QBMessage[] = [];
    const subscription = service.on('message', (m) => shown.push(m));
    try {
      const sent = await service.sendMessage(group._id, 'hello group');
      assert.match(sent._id, /^[0-9a-f]{24}$/);
      assert.deepEqual([sent.chat_dialog_id, sent.sender_id, sent.recipient_id], [group._id, alice.id, 0]);
      const out = loggedStanzas(service, 'out').find((s) => s.attrs.id === sent._id);
      assert.ok(out, 'sent over XMPP');
      const room = ownOccupantJid(info, service, group._id).split('/')[0];
      assert.deepEqual([out.attrs.type, out.attrs.to, readExtraParams(out).params.save_to_history], ['groupchat', room, '1']);
      await until(() => loggedStanzas(service, 'in').some((s) => s.is('message') && s.attrs.id === sent._id), WAIT_MS, 'the room\'s reflection');
      assert.deepEqual(shown.map((m) => m._id), [sent._id], 'shown once: the reflection merges with the sent copy');
      assert.equal(service.dialogs.find((d) => d._id === group._id)?.last_message, 'hello group');
      const history = await service.loadMessages(group._id, { limit: 1 });
      assert.deepEqual(history.map((m) => [m._id, m.message]), [[sent._id, 'hello group']], 'stored under the same id');
    } finally {
      subscription.dispose();
    }
  });

  it('receives a message from the other user as a message event and a dialogs snapshot', async () => {
    assert.ok(bobClient, 'bob is connected');
    const id = newObjectId();
    const event = waitFor<QBMessage, QBMessage>(
      (l) => {
        const d = service.on('message', l);
        return () => d.dispose();
      },
      (m) => (m.message === 'hi alice' ? m : undefined),
      'the received message event',
    );
    const snapshot = waitFor<QBDialog, QBDialog[]>(
      (l) => {
        const d = service.on('dialogs', l);
        return () => d.dispose();
      },
      (list) => list.find((d) => d._id === dialog._id && d.last_message === 'hi alice'),
      'a dialogs snapshot with the new last message',
    );
    await bobClient.send(
      xml(
        'message',
        { to: userJid(alice.id, info.appId, info.domain), type: 'chat', id },
        xml('body', {}, 'hi alice'),
        xml('extraParams', { xmlns: 'jabber:client' }, xml('save_to_history', {}, '1'), xml('dialog_id', {}, dialog._id), xml('mood', {}, 'sunny')),
      ),
    );
    const message = await event;
    assert.equal(message.sender_id, bob.id);
    assert.equal(message.recipient_id, alice.id);
    assert.equal(message.chat_dialog_id, dialog._id);
    assert.equal(message.mood, 'sunny', 'custom parameters at top level');
    assert.match(message._id, /^[0-9a-f]{24}$/);
    const updated = await snapshot;
    assert.equal(updated.last_message_user_id, bob.id);
    assert.equal(service.dialogs[0]._id, dialog._id, 'the dialog with the newest message comes first');
  });

  it('marks the dialog read: the newest page zeroes the local count, markRead the server\'s', async () => {
    assert.ok(bobClient, 'bob is connected');
    const unreadHere = () => service.dialogs.find((d) => d._id === dialog._id)?.unread_messages_count;
    const unreadOnServer = async () => (await service.refreshDialogs()).find((d) => d._id === dialog._id)?.unread_messages_count;
    const snapshotWithUnread = (count: number) =>
      waitFor<QBDialog, QBDialog[]>(
        (l) => {
          const d = service.on('dialogs', l);
          return () => d.dispose();
        },
        (list) => list.find((d) => d._id === dialog._id && d.unread_messages_count === count),
        `a dialogs snapshot with ${count} unread`,
      );
    // Two more from bob: with "hi alice", more unread messages than the one-message page below lists.
    for (const text of ['unread one', 'unread two']) {
      const event = waitFor<QBMessage, QBMessage>(
        (l) => {
          const d = service.on('message', l);
          return () => d.dispose();
        },
        (m) => (m.message === text ? m : undefined),
        text,
      );
      await bobClient.send(
        xml(
          'message',
          { to: userJid(alice.id, info.appId, info.domain), type: 'chat', id: newObjectId() },
          xml('body', {}, text),
          xml('extraParams', { xmlns: 'jabber:client' }, xml('save_to_history', {}, '1'), xml('dialog_id', {}, dialog._id)),
        ),
      );
      await event;
    }
    assert.ok((unreadHere() ?? 0) >= 3, 'counted as they arrived');

    const zeroedByPage = snapshotWithUnread(0);
    await service.loadMessages(dialog._id, { limit: 1 });
    await zeroedByPage;
    assert.ok(((await unreadOnServer()) ?? 0) >= 2, 'the server marked only the listed message read');
    assert.ok((unreadHere() ?? 0) >= 2, 'the refreshed list has the server count again');

    const zeroedByMarkRead = snapshotWithUnread(0);
    await service.markRead(dialog._id);
    await zeroedByMarkRead;
    assert.equal(unreadHere(), 0);
    assert.equal(await unreadOnServer(), 0, 'the REST dialog list reports none unread for alice');

    // Our own messages never count as unread for us, here or on the server.
    await service.sendMessage(dialog._id, 'read you');
    assert.equal(unreadHere(), 0);
    assert.equal(await unreadOnServer(), 0);
  });

  it('records the stanzas in order, both directions, credentials hidden', () => {
    assert.ok(records.length > 0);
    for (let i = 1; i < records.length; i++) assert.ok(records[i].seq > records[i - 1].seq, 'increasing seq');
    assert.ok(records.some((r) => r.direction === 'in'));
    assert.ok(records.some((r) => r.direction === 'out'));
    assert.ok(records.every((r) => r.connection === userJid(alice.id, info.appId, info.domain)));
    const auth = records.find((r) => r.xml.startsWith('<auth'));
    assert.equal(auth?.xml, '<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="PLAIN"><hidden xmlns="xmpp.js"/></auth>');
    const out = records.find((r) => r.direction === 'out' && r.kind === 'message' && r.xml.includes('hello bob'));
    const inbound = records.find((r) => r.direction === 'in' && r.kind === 'message' && r.xml.includes('hi alice'));
    assert.ok(out && inbound && out.seq < inbound.seq);
    assert.deepEqual(service.stanzas(), records);
  });

  it('reconnects with a renewed session after the server restarts', async function () {
    this.timeout(30_000);
    await bobClient?.stop();
    bobClient = undefined;
    const ports = { httpPort: Number(new URL(info.rest).port), xmppPort: Number(new URL(info.xmpp).port) };
    const reconnecting = waitFor(
      (l) => {
        const d = service.on('state', l);
        return () => d.dispose();
      },
      (state: ConnectionState) => (state === 'reconnecting' ? state : undefined),
      'reconnecting',
    );
    await server.close();
    await reconnecting;
    // A fresh in-memory store: the old token is unknown there, so the client must sign in again.
    const online = waitFor(
      (l) => {
        const d = service.on('state', l);
        return () => d.dispose();
      },
      (state: ConnectionState) => (state === 'online' ? state : undefined),
      'online again',
    );
    server = await startLocalServer({ host: '127.0.0.1', ...ports, memory: true, demo: true, logger });
    await online;
    assert.equal(service.state, 'online');
  });

  it('says offline when disconnected in the middle of signing in', async () => {
    const other = new ChatService({ logger, stanzaLimit: 100, timeoutMs: WAIT_MS });
    try {
      const signingIn = new Promise<void>((resolve) => {
        const listening = other.on('state', (state) => {
          if (state !== 'connecting') return;
          listening.dispose();
          resolve();
        });
      });
      const connecting = other.connect(localConnectionTarget(info, bob));
      await signingIn;
      await other.disconnect();
      await assert.rejects(connecting, 'the abandoned sign-in reports that it did not complete');
      assert.equal(other.state, 'offline');
    } finally {
      await other.dispose();
    }
  });
});
