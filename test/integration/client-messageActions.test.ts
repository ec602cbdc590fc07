// What the conversation panel's message actions and advanced composer do, end to end against the
// local server: Alice's ChatService edits (REST, plus a live correction in private dialogs), deletes
// for herself or for everyone, and sends with each advanced option; Bob sees it through his own
// ChatService, and a plain @xmpp/client connection of Bob's shows what went over the wire.
import * as assert from 'node:assert/strict';
import type { Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { ChatService } from '../../src/client/chatService';
import type { ChatServiceEvents } from '../../src/client/contracts';
import type { DemoUser, LocalServerInfo } from '../../src/shared/localServer';
import { DialogTypes, type QBDialog, type QBMessage } from '../../src/shared/models';
import { xml } from '@xmpp/xml';
import { userJid } from '../../src/shared/jid';
import { wasEdited } from '../../src/shared/messageFields';
import { newObjectId } from '../../src/shared/objectId';
import { NS, readExtraParams } from '../../src/shared/stanza';
import { messagesOf, plainClient, signedInService, startDemoServer, waitFor } from './clientHarness';

/** Long enough for a stanza that is on its way to have arrived. */
const QUIET_MS = 300;

describe('client: message actions and send options against the local server', function () {
  this.timeout(20_000);
  let server: Awaited<ReturnType<typeof startDemoServer>>;
  let info: LocalServerInfo;
  let alice: DemoUser;
  let bob: DemoUser;
  let aliceService: ChatService;
  let bobService: ChatService;
  let bobWire: Client;
  let privateDialog: QBDialog;
  let group: QBDialog;

  /** Subscribes to one event of a service, as `waitFor` expects. */
  const on =
    <E extends keyof ChatServiceEvents>(service: ChatService, event: E) =>
    (listener: (...args: ChatServiceEvents[E]) => void) => {
      const d = service.on(event, listener);
      return () => d.dispose();
    };
  const bobReceives = (text: string) =>
    waitFor<QBMessage, QBMessage>(on(bobService, 'message'), (m) => (m.message === text ? m : undefined), `"${text}" at Bob's service`);
  const wireReceives = (text: string) =>
    waitFor<Element, Element>(messagesOf(bobWire), (m) => (m.getChildText('body') === text && !m.getChild('replace', NS.correction) ? m : undefined), `"${text}" on Bob's wire`);
  const history = async (service: ChatService, dialogId: string) => service.loadMessages(dialogId, { limit: 50, markAsRead: false });
  const quiet = () => new Promise((r) => setTimeout(r, QUIET_MS));

  before(async () => {
    server = await startDemoServer();
    info = server.info;
    [alice, bob] = info.demoUsers ?? [];
    aliceService = await signedInService(info, alice);
    bobService = await signedInService(info, bob, { followDecisions: false });
    bobWire = await plainClient(info, bob);
    const found = aliceService.dialogs.find((d) => d.type === DialogTypes.private && d.occupants_ids.includes(bob.id));
    const foundGroup = aliceService.dialogs.find((d) => d.type === DialogTypes.group && d.occupants_ids.includes(bob.id));
    assert.ok(found && foundGroup, 'the demo data has a private and a group dialog with both demo users');
    privateDialog = found;
    group = foundGroup;
  });

  after(async () => {
    await bobWire?.stop().catch(() => undefined);
    await bobService?.dispose();
    await aliceService?.dispose();
    await server?.close();
  });

  describe('edit', () => {
    it('stores the new text over REST and corrects it live at the other side of a private dialog', async () => {
      const arrived = bobReceives('frist draft');
      const sent = await aliceService.sendMessage(privateDialog._id, 'frist draft');
      await arrived;
      // QuickBlox times have whole seconds: an edit within the second it was sent cannot show in the history.
      await new Promise((r) => setTimeout(r, 1020 - (Date.now() % 1000)));

      const atBob = waitFor(on(bobService, 'messageEdited'), (e) => (e.messageId === sent._id ? e : undefined), "the edit at Bob's service");
      const onWire = waitFor(messagesOf(bobWire), (m) => (m.getChild('replace', NS.correction) ? m : undefined), 'the correction on the wire');
      const atAlice = waitFor(on(aliceService, 'messageEdited'), (e) => (e.messageId === sent._id ? e : undefined), "the edit at Alice's service");
      let newMessages = 0;
      const counting = bobService.on('message', () => newMessages++);
      try {
        await aliceService.editMessage(privateDialog._id, sent._id, 'first draft');
        assert.deepEqual(await atBob, { dialogId: privateDialog._id, messageId: sent._id, userId: alice.id, text: 'first draft' });
        assert.deepEqual(await atAlice, { dialogId: privateDialog._id, messageId: sent._id, userId: alice.id, text: 'first draft' });
        const correction = await onWire;
        assert.equal(correction.attrs.type, 'chat');
        assert.equal(correction.getChild('replace', NS.correction)?.attrs.id, sent._id);
        assert.equal(correction.getChildText('body'), 'first draft');
        assert.equal(readExtraParams(correction).params.save_to_history, '0');
        await quiet();
        assert.equal(newMessages, 0, 'a correction is not a new message');
      } finally {
        counting.dispose();
      }

      for (const service of [aliceService, bobService]) {
        const stored = (await history(service, privateDialog._id)).filter((m) => m.message === 'first draft' || m.message === 'frist draft');
        assert.deepEqual(stored.map((m) => [m._id, m.message]), [[sent._id, 'first draft']], 'the history holds the new text, once');
        assert.ok(wasEdited(stored[0]), 'the stored message tells it was edited');
      }
      assert.equal(aliceService.dialogs.find((d) => d._id === privateDialog._id)?.last_message, 'first draft', 'the last message follows');
    });

    it('does not let the other occupant rewrite our message with a forged correction', async () => {
      const arrived = bobReceives('mine to edit');
      const sent = await aliceService.sendMessage(privateDialog._id, 'mine to edit');
      await arrived;
      const forged = xml(
        'message',
        { type: 'chat', to: userJid(alice.id, info.appId, info.domain), id: newObjectId() },
        xml('body', {}, 'forged by bob'),
        xml('replace', { xmlns: NS.correction, id: sent._id }),
        xml('extraParams', { xmlns: NS.client }, xml('save_to_history', {}, '0'), xml('dialog_id', {}, privateDialog._id)),
      );
      await bobWire.send(forged);
      await quiet();
      assert.equal(aliceService.dialogs.find((d) => d._id === privateDialog._id)?.last_message, 'mine to edit', "the tree's preview keeps Alice's text");
      assert.equal((await history(aliceService, privateDialog._id)).find((m) => m._id === sent._id)?.message, 'mine to edit', 'the history too');
    });

    it('edits a group message over REST only, and refuses someone else\'s message', async () => {
      // Sent to the room: stored by the time the room reflects it to Bob.
      const arrived = bobReceives('group typo');
      const sent = await aliceService.sendMessage(group._id, 'group typo');
      await arrived;
      await aliceService.editMessage(group._id, sent._id, 'group fixed');
      assert.equal((await history(bobService, group._id)).find((m) => m._id === sent._id)?.message, 'group fixed');

      await assert.rejects(bobService.editMessage(group._id, sent._id, 'not yours'), /403/);
      await assert.rejects(aliceService.editMessage(group._id, sent._id, '  '), /the new text is empty/);
      assert.equal((await history(aliceService, group._id)).find((m) => m._id === sent._id)?.message, 'group fixed', 'nothing changed');
    });
  });

  describe('delete', () => {
    it('for me: gone from my history only', async () => {
      const arrived = bobReceives('hide this from alice');
      const sent = await aliceService.sendMessage(privateDialog._id, 'hide this from alice');
      await arrived;
      const event = waitFor(on(aliceService, 'messagesDeleted'), (e) => (e.messageIds.includes(sent._id) ? e : undefined), 'the deletion event');
      await aliceService.deleteMessage(privateDialog._id, sent._id, { forEveryone: false });
      assert.deepEqual(await event, { dialogId: privateDialog._id, messageIds: [sent._id], forEveryone: false });
      assert.ok(!(await history(aliceService, privateDialog._id)).some((m) => m._id === sent._id), 'not in Alice\'s history');
      assert.ok((await history(bobService, privateDialog._id)).some((m) => m._id === sent._id), 'still in Bob\'s');
      await assert.rejects(aliceService.deleteMessage(privateDialog._id, sent._id, { forEveryone: false }), /404/, 'already gone for her');
    });

    it('for everyone: gone from every history; only the sender or the owner may', async () => {
      const arrived = bobReceives('delete for all');
      const sent = await aliceService.sendMessage(group._id, 'delete for all');
      await arrived;
      assert.notEqual(group.user_id, bob.id, 'Bob does not own the demo group');
      await assert.rejects(bobService.deleteMessage(group._id, sent._id, { forEveryone: true }), /403/);
      assert.ok((await history(bobService, group._id)).some((m) => m._id === sent._id), 'a refused deletion changes nothing');

      await aliceService.deleteMessage(group._id, sent._id, { forEveryone: true });
      for (const service of [aliceService, bobService]) {
        assert.ok(!(await history(service, group._id)).some((m) => m._id === sent._id));
      }
      const last = (await aliceService.refreshDialogs()).find((d) => d._id === group._id);
      assert.notEqual(last?.last_message_id, sent._id, 'the dialog\'s last message moved back');
    });
  });

  describe('send options', () => {
    it('custom parameters: extraParams over XMPP, stored as top-level fields', async () => {
      const onWire = wireReceives('with params');
      const atBob = bobReceives('with params');
      const sent = await aliceService.sendMessage(privateDialog._id, 'with params', { customParams: { priority: 'high', ticket: 'QB-42' } });
      const { params } = readExtraParams(await onWire);
      assert.equal(params.priority, 'high');
      assert.equal(params.ticket, 'QB-42');
      const received = await atBob;
      assert.equal(received.priority, 'high');
      const stored = (await history(bobService, privateDialog._id)).find((m) => m._id === sent._id);
      assert.equal(stored?.ticket, 'QB-42');
    });

    it('attachments: <attachment/> elements, stored, and a message may be only attachments', async () => {
      const attachments = [
        { type: 'image', id: '47863', name: 'cat.png' },
        { type: 'file', url: 'https://example.com/a.pdf' },
      ];
      const onWire = wireReceives('see attached');
      const sent = await aliceService.sendMessage(privateDialog._id, 'see attached', { attachments });
      assert.deepEqual(readExtraParams(await onWire).attachments, attachments);
      assert.deepEqual((await history(aliceService, privateDialog._id)).find((m) => m._id === sent._id)?.attachments, attachments);

      const bareAtBob = waitFor<QBMessage, QBMessage>(on(bobService, 'message'), (m) => (m.attachments[0]?.id === 'f-only' ? m : undefined), 'the bare attachment at Bob');
      const bare = await aliceService.sendMessage(privateDialog._id, '', { attachments: [{ type: 'file', id: 'f-only' }] });
      assert.equal((await bareAtBob)._id, bare._id);
      assert.deepEqual((await history(bobService, privateDialog._id)).find((m) => m._id === bare._id)?.attachments, [{ type: 'file', id: 'f-only' }]);
    });

    it('markable: off leaves out <markable/>, so no receipt comes back', async () => {
      const onWire = wireReceives('no ticks please');
      const atBob = bobReceives('no ticks please');
      const receipts: string[] = [];
      const counting = aliceService.on('messageStatus', (status) => receipts.push(status.messageId));
      try {
        const sent = await aliceService.sendMessage(privateDialog._id, 'no ticks please', { markable: false });
        assert.equal((await onWire).getChild('markable', NS.markers), undefined);
        assert.equal((await atBob).markable, undefined);
        await quiet();
        assert.ok(!receipts.includes(sent._id), "Bob's service sent no <received/> for it");
      } finally {
        counting.dispose();
      }
    });

    it('save_to_history off: delivered live, never stored', async () => {
      const onWire = wireReceives('ephemeral');
      const atBob = bobReceives('ephemeral');
      const sent = await aliceService.sendMessage(privateDialog._id, 'ephemeral', { saveToHistory: false });
      assert.equal(readExtraParams(await onWire).params.save_to_history, '0');
      assert.equal((await atBob)._id, sent._id);
      assert.ok(!(await history(aliceService, privateDialog._id)).some((m) => m.message === 'ephemeral'));
    });

    it('over REST: POST /chat/Message.json with send_to_chat=1, stored and delivered live', async () => {
      const onWire = wireReceives('via rest');
      const atBob = bobReceives('via rest');
      const sent = await aliceService.sendMessage(privateDialog._id, 'via rest', { viaRest: true, customParams: { route: 'rest' } });
      const stanza = await onWire;
      assert.equal((await atBob)._id, sent._id, 'Bob\'s service shows it');
      const { params } = readExtraParams(stanza);
      assert.equal(params.message_id, sent._id, 'the server delivered its stored message');
      assert.equal(params.route, 'rest');
      assert.equal((await history(bobService, privateDialog._id)).find((m) => m._id === sent._id)?.route, 'rest');
    });

    it('refuses bad options before anything is sent or stored', async () => {
      const before = await history(aliceService, privateDialog._id);
      let delivered = 0;
      const counting = bobService.on('message', () => delivered++);
      try {
        await assert.rejects(aliceService.sendMessage(privateDialog._id, 'bad', { customParams: { 'bad key': 'x' } }), /cannot be a parameter name/);
        await assert.rejects(aliceService.sendMessage(privateDialog._id, 'bad', { customParams: { dialog_id: 'x' } }), /QuickBlox protocol field/);
        await assert.rejects(aliceService.sendMessage(privateDialog._id, 'bad', { attachments: [{ type: 'image' }] }), /needs an id/);
        await assert.rejects(aliceService.sendMessage(privateDialog._id, 'bad', { viaRest: true, saveToHistory: false }), /can only be sent over XMPP/);
        await assert.rejects(aliceService.sendMessage(privateDialog._id, '   '), /needs text or an attachment/);
        await quiet();
        assert.equal(delivered, 0, 'nothing reached Bob');
        assert.deepEqual((await history(aliceService, privateDialog._id)).map((m) => m._id), before.map((m) => m._id), 'nothing stored');
        assert.equal(aliceService.state, 'online', 'the stream survived');
      } finally {
        counting.dispose();
      }
    });
  });
});
