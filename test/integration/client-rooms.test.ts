// Group dialogs as joined rooms, between three ChatServices (the demo users Alice, Bob and Carol) on
// the real local server: each joins its group dialogs' rooms as the SDK does, messages and chat
// states cross live as groupchat, a user taken out of a dialog over REST leaves its room and the
// dialog its list, and a group dialog someone else creates is listed and joined without a reconnect.
import * as assert from 'node:assert/strict';
import type { Element } from '@xmpp/xml';
import { ChatService } from '../../src/client/chatService';
import type { ChatServiceApi, TypingEvent } from '../../src/client/contracts';
import { localConnectionTarget } from '../../src/client/profile';
import type { LocalServerInfo } from '../../src/shared/localServer';
import type { ConnectionState } from '../../src/shared/protocol';
import { DialogTypes, type QBDialog, type QBMessage } from '../../src/shared/models';
import { NS } from '../../src/shared/stanza';
import { inRoom, loggedStanzas, logger, ownOccupantJid, startDemoServer, until, WAIT_MS } from './clientHarness';

/** What one signed-in user saw from the moment it was signed in. */
interface Seen {
  messages: QBMessage[];
  typing: TypingEvent[];
  states: ConnectionState[];
}

function watch(service: ChatServiceApi): Seen {
  const seen: Seen = { messages: [], typing: [], states: [] };
  service.on('message', (m) => seen.messages.push(m));
  service.on('typing', (t) => seen.typing.push(t));
  service.on('state', (state) => seen.states.push(state));
  return seen;
}

describe('client: group dialogs as joined rooms against the local server', function () {
  this.timeout(20_000);
  let server: Awaited<ReturnType<typeof startDemoServer>>;
  let info: LocalServerInfo;
  let alice: ChatService;
  let bob: ChatService;
  let carol: ChatService;
  const seen = new Map<ChatServiceApi, Seen>();
  let group: QBDialog;

  const seenBy = (service: ChatServiceApi): Seen => {
    const s = seen.get(service);
    assert.ok(s);
    return s;
  };
  const joined = (service: ChatServiceApi, dialogId: string) => until(() => inRoom(info, service, dialogId), WAIT_MS, `user ${service.me?.id} in the room of ${dialogId}`);
  const listed = (service: ChatServiceApi, dialogId: string) => service.dialogs.some((d) => d._id === dialogId);

  before(async () => {
    server = await startDemoServer();
    info = server.info;
    const users = info.demoUsers ?? [];
    assert.ok(users.length >= 3, 'the demo data has three users');
    [alice, bob, carol] = users.map(() => new ChatService({ logger, stanzaLimit: 2000, timeoutMs: WAIT_MS }));
    for (const [index, service] of [alice, bob, carol].entries()) {
      seen.set(service, watch(service));
      await service.connect(localConnectionTarget(info, users[index]));
    }
    const found = alice.dialogs.find((d) => d.type === DialogTypes.group && d.name === 'Demo group');
    assert.ok(found, 'the demo group of the three');
    group = found;
  });

  after(async () => {
    for (const service of [alice, bob, carol]) await service?.dispose();
    await server?.close();
  });

  it('joins the room of each group dialog once online, with the SDK\'s join presence', async () => {
    await joined(alice, group._id);
    const occupant = ownOccupantJid(info, alice, group._id);
    const joins = loggedStanzas(alice, 'out').filter((s) => s.is('presence') && s.attrs.to === occupant);
    assert.equal(joins.length, 1, 'one join');
    const [join] = joins;
    assert.match(join.attrs.id ?? '', /:join$/);
    assert.equal(join.attrs.type, undefined, 'available');
    assert.equal(join.getChild('x', NS.muc)?.getChild('history')?.attrs.maxstanzas, '0', 'no history asked for');
    const answer = loggedStanzas(alice, 'in').find((s) => s.is('presence') && s.attrs.from === occupant);
    assert.equal(answer?.attrs.id, join.attrs.id, 'the room answered this join');
  });

  it('shows each user the others\' group messages live, and its own once', async () => {
    for (const service of [alice, bob]) await joined(service, group._id);
    const bobUnread = bob.dialogs.find((d) => d._id === group._id)?.unread_messages_count ?? 0;
    const fromAlice = await alice.sendMessage(group._id, 'hello room from alice');
    await until(() => seenBy(bob).messages.some((m) => m._id === fromAlice._id), WAIT_MS, 'bob to see alice\'s message');
    const atBob = seenBy(bob).messages.find((m) => m._id === fromAlice._id);
    assert.deepEqual([atBob?.sender_id, atBob?.chat_dialog_id, atBob?.message], [alice.me?.id, group._id, 'hello room from alice']);
    const delivered = loggedStanzas(bob, 'in').find((s) => s.is('message') && s.attrs.id === fromAlice._id);
    assert.deepEqual([delivered?.attrs.type, delivered?.attrs.from], ['groupchat', ownOccupantJid(info, alice, group._id)], 'live over XMPP, from the room');
    const bobsGroup = bob.dialogs.find((d) => d._id === group._id);
    assert.deepEqual([bobsGroup?.last_message, bobsGroup?.unread_messages_count], ['hello room from alice', bobUnread + 1], 'bob\'s tree moves');

    const fromBob = await bob.sendMessage(group._id, 'and hello back from bob');
    await until(() => seenBy(alice).messages.some((m) => m._id === fromBob._id), WAIT_MS, 'alice to see bob\'s message');
    // By now each sender has the room's reflection of its own message too.
    await until(() => loggedStanzas(bob, 'in').some((s) => s.attrs.id === fromBob._id), WAIT_MS, 'bob\'s own reflection');
    for (const [service, sent] of [[alice, fromAlice], [bob, fromBob]] as const) {
      assert.equal(seenBy(service).messages.filter((m) => m._id === sent._id).length, 1, `user ${service.me?.id} shows its own message once`);
    }
    assert.equal(seenBy(alice).messages.filter((m) => m._id === fromBob._id).length, 1, 'and the other\'s once');
  });

  it('carries typing in a group dialog to the others, and ignores its own', async () => {
    await joined(bob, group._id);
    const typingAt = (service: ChatServiceApi) => seenBy(service).typing.length;
    const [aliceBefore, bobBefore] = [typingAt(alice), typingAt(bob)];
    await alice.sendTyping(group._id, 'composing');
    await until(() => seenBy(bob).typing.length > bobBefore, WAIT_MS, 'bob to see alice typing');
    assert.deepEqual(seenBy(bob).typing.slice(bobBefore), [{ dialogId: group._id, userId: alice.me?.id, state: 'composing' }]);
    const sent = loggedStanzas(alice, 'out').filter((s) => s.is('message') && s.getChild('composing', NS.chatStates)).at(-1);
    assert.deepEqual([sent?.attrs.type, sent?.attrs.to], ['groupchat', ownOccupantJid(info, alice, group._id).split('/')[0]], 'to the room');
    const reflected = (s: Element) => s.is('message') && s.attrs.from === ownOccupantJid(info, alice, group._id) && s.getChild('composing', NS.chatStates) !== undefined;
    await until(() => loggedStanzas(alice, 'in').some(reflected), WAIT_MS, 'the room reflecting alice\'s chat state to her');
    assert.equal(typingAt(alice), aliceBefore, 'alice is not told that she is typing');

    await bob.sendTyping(group._id, 'paused');
    await until(() => seenBy(alice).typing.length > aliceBefore, WAIT_MS, 'alice to see bob pause');
    assert.deepEqual(seenBy(alice).typing.slice(aliceBefore), [{ dialogId: group._id, userId: bob.me?.id, state: 'paused' }]);
  });

  it('joins, without a reconnect, a group dialog someone else creates', async () => {
    const statesBefore = [alice, bob].map((s) => seenBy(s).states.length);
    const created = await carol.createDialog({ type: DialogTypes.group, name: 'Carol\'s new group', occupantIds: [alice.me?.id ?? 0, bob.me?.id ?? 0] });
    for (const service of [alice, bob]) {
      await until(() => listed(service, created._id), WAIT_MS, `user ${service.me?.id} to list the new group`);
      await joined(service, created._id);
    }
    await joined(carol, created._id);
    assert.deepEqual(
      [alice, bob].map((s) => seenBy(s).states.length),
      statesBefore,
      'no state change: the same sessions',
    );
    const hello = await carol.sendMessage(created._id, 'welcome to my new group');
    assert.ok(loggedStanzas(carol, 'out').some((s) => s.attrs.id === hello._id && s.attrs.type === 'groupchat'), 'sent to the room');
    for (const service of [alice, bob]) {
      await until(() => seenBy(service).messages.some((m) => m._id === hello._id), WAIT_MS, `user ${service.me?.id} to see carol's message`);
    }
  });

  it('leaves the room of a dialog it was taken out of over REST, which drops out of its list', async () => {
    const created = await alice.createDialog({ type: DialogTypes.group, name: 'Short-lived for Bob', occupantIds: [bob.me?.id ?? 0] });
    await until(() => listed(bob, created._id), WAIT_MS, 'bob to list the group');
    await joined(bob, created._id);
    await alice.updateOccupants(created._id, { remove: [bob.me?.id ?? 0] });
    await until(() => !listed(bob, created._id), WAIT_MS, 'the group to drop out of bob\'s list');
    const kick = loggedStanzas(bob, 'in').find((s) => s.is('presence') && s.attrs.from === ownOccupantJid(info, bob, created._id) && s.attrs.type === 'unavailable');
    assert.ok(kick?.getChild('x', NS.mucUser)?.getChildren('status').some((s) => s.attrs.code === '301'), 'removed from the room (status 301)');
    assert.equal(inRoom(info, bob, created._id), false);
    assert.ok(listed(alice, created._id) && inRoom(info, alice, created._id), 'alice keeps the dialog and its room');

    // Still live for Alice; nothing reaches Bob any more.
    const after = await alice.sendMessage(created._id, 'bob is gone');
    await until(() => loggedStanzas(alice, 'in').some((s) => s.attrs.id === after._id), WAIT_MS, 'alice\'s own reflection');
    assert.ok(!seenBy(bob).messages.some((m) => m._id === after._id), 'bob does not get it');
    await assert.rejects(bob.sendTyping(created._id, 'composing'), /not found/, 'nor can he type there');
  });
});
