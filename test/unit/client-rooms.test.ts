import * as assert from 'node:assert/strict';
import { xml, type Element } from '@xmpp/xml';
import { Rooms } from '../../src/client/rooms';
import type { Logger } from '../../src/shared/logger';
import { DialogTypes, type DialogType, type QBDialog } from '../../src/shared/models';
import { NS } from '../../src/shared/stanza';

const ME = 1002;
const APP = 7;
const ids = ['a', 'b', 'c', 'd', 'e'].map((c) => c.repeat(24));
const [A, B, C, D, E] = ids;
const PRIVATE = 'f'.repeat(24);

function dialog(id: string, type: DialogType = DialogTypes.group): QBDialog {
  return { _id: id, type, occupants_ids: [ME, 1001] } as QBDialog;
}

const room = (dialogId: string) => `${APP}_${dialogId}@muc.localhost`;

/** A presence from the room about the occupant `nick`. */
function fromRoom(dialogId: string, nick: number | string, attrs: Record<string, string> = {}, ...children: Element[]): Element {
  return xml('presence', { from: `${room(dialogId)}/${nick}`, to: `${ME}-${APP}@localhost/r`, ...attrs }, ...children);
}

function mucUser(statuses: string[], ...extra: Element[]): Element {
  return xml('x', { xmlns: NS.mucUser }, xml('item', { affiliation: 'member', role: 'participant' }), ...extra, ...statuses.map((code) => xml('status', { code })));
}

/** Rooms over a fake session that records what is sent, with a logger that keeps warnings. */
function setup(options: { concurrency?: number; joinTimeoutMs?: number } = {}) {
  const sent: Element[] = [];
  const warnings: string[] = [];
  const removed: string[] = [];
  let refuse: string | undefined;
  const logger: Logger = { trace() {}, debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} };
  const rooms = new Rooms({
    send: async (stanza) => {
      if (refuse) throw new Error(refuse);
      sent.push(stanza);
    },
    userId: ME,
    appId: APP,
    chatDomain: 'localhost',
    logger,
    joinTimeoutMs: options.joinTimeoutMs ?? 5000,
    concurrency: options.concurrency ?? 2,
    onRemoved: (dialogId) => removed.push(dialogId),
  });
  /** The join presences sent so far, as dialog ids. */
  const joins = () => sent.filter((s) => s.attrs.type === undefined).map((s) => s.attrs.to?.slice(`${APP}_`.length, `${APP}_`.length + 24));
  const leaves = () => sent.filter((s) => s.attrs.type === 'unavailable').map((s) => s.attrs.to);
  /** Answers the last join sent to the dialog's room the way the local server and the SDK's peers do. */
  const accept = (dialogId: string) => {
    const join = sent.filter((s) => s.attrs.to === `${room(dialogId)}/${ME}`).at(-1);
    assert.ok(join, `a join to ${dialogId}`);
    rooms.handlePresence(fromRoom(dialogId, ME, { id: join.attrs.id }, mucUser(['110'])));
  };
  return { rooms, sent, joins, leaves, accept, warnings, removed, refuseSends: (why: string | undefined) => (refuse = why) };
}

/** Lets the joins' promise chains run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('client: the rooms of group and public dialogs', () => {
  it('joins nothing until online, then every group and public dialog, a few at a time, as the SDK joins', async () => {
    const { rooms, sent, joins, accept } = setup({ concurrency: 2 });
    rooms.sync([dialog(A), dialog(B, DialogTypes.publicGroup), dialog(PRIVATE, DialogTypes.private), dialog(C)]);
    assert.equal(sent.length, 0, 'offline: nothing sent');
    rooms.connected(false);
    assert.deepEqual(joins(), [A, B], 'two at a time');
    const [join] = sent;
    assert.equal(join.attrs.to, `${room(A)}/${ME}`, 'to our nick: our user id');
    assert.match(join.attrs.id ?? '', /^[0-9a-f-]{36}:join$/);
    assert.equal(join.getChild('x', NS.muc)?.getChild('history')?.attrs.maxstanzas, '0');
    assert.equal(rooms.isJoined(A), false, 'not before the room answers');

    accept(A);
    await settle();
    assert.equal(rooms.isJoined(A), true);
    assert.deepEqual(joins(), [A, B, C], 'a free slot takes the next');
    assert.equal(rooms.roomJid(A), room(A));
    assert.equal(rooms.isJoined(PRIVATE), false, 'private dialogs have no room');
  });

  it('takes a self-presence with status 110 as joined even without the join\'s id, and nobody else\'s', async () => {
    const { rooms } = setup();
    rooms.sync([dialog(A)]);
    rooms.connected(false);
    rooms.handlePresence(fromRoom(A, 1001, {}, mucUser([])));
    rooms.handlePresence(fromRoom(A, 1001, {}, mucUser(['110'])));
    rooms.handlePresence(fromRoom(A, ME, {}, mucUser([])));
    await settle();
    assert.equal(rooms.isJoined(A), false, 'other occupants, or no status 110');
    rooms.handlePresence(fromRoom(A, ME, {}, mucUser(['110'])));
    await settle();
    assert.equal(rooms.isJoined(A), true);
  });

  it('logs a join the room refuses, never answers or that cannot go out, and tries it again at the next reconnect only', async () => {
    const { rooms, joins, warnings, refuseSends } = setup({ concurrency: 3, joinTimeoutMs: 30 });
    rooms.sync([dialog(A), dialog(B)]);
    rooms.connected(false);
    const refusal = fromRoom(A, ME, { type: 'error' }, xml('x', { xmlns: NS.muc }), xml('error', { type: 'auth' }, xml('forbidden', { xmlns: NS.stanzas }), xml('text', { xmlns: NS.stanzas }, 'You are not an occupant of this dialog')));
    rooms.handlePresence(refusal);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0], new RegExp(`could not join the room of dialog ${A}: the room refused it: You are not an occupant of this dialog; trying again at the next reconnect`));
    assert.match(warnings[1], new RegExp(`dialog ${B}: no answer within 30 ms`));

    rooms.sync([dialog(A), dialog(B)]);
    refuseSends('chat is reconnecting');
    rooms.sync([dialog(A), dialog(B), dialog(C)]);
    await settle();
    assert.deepEqual(joins(), [A, B], 'failed rooms wait for the next reconnect; C could not go out');
    assert.match(warnings[2], new RegExp(`dialog ${C}: chat is reconnecting`));

    refuseSends(undefined);
    rooms.disconnected();
    rooms.connected(false);
    assert.deepEqual(joins(), [A, B, A, B, C], 'all tried again');
  });

  it('keeps the rooms of a resumed stream, and joins them all again in a new session', async () => {
    const { rooms, joins, accept } = setup({ concurrency: 5 });
    rooms.sync([dialog(A), dialog(B), dialog(C)]);
    rooms.connected(false);
    accept(A);
    accept(B);
    await settle();
    rooms.disconnected();
    assert.equal(rooms.isJoined(A), false, 'nothing goes to a room while the connection is lost');
    assert.deepEqual(joins(), [A, B, C]);

    rooms.connected(true);
    assert.deepEqual(joins(), [A, B, C, C], 'resumed: only the room whose join the loss abandoned');
    assert.equal(rooms.isJoined(A), true, 'still in A');
    accept(C);
    await settle();

    rooms.disconnected();
    rooms.connected(false);
    assert.deepEqual(joins().slice(4), [A, B, C], 'a new session is in no room');
    assert.equal(rooms.isJoined(A), false);
  });

  it('leaves the rooms of dialogs that leave the list, and joins those that come', async () => {
    const { rooms, joins, leaves, accept, removed } = setup();
    rooms.sync([dialog(A), dialog(B)]);
    rooms.connected(false);
    accept(A);
    await settle();
    rooms.sync([dialog(B), dialog(C)]);
    assert.deepEqual(leaves(), [`${room(A)}/${ME}`]);
    assert.deepEqual(joins(), [A, B, C]);
    assert.equal(rooms.isJoined(A), false);
    // The room confirms the leave: that is no removal to report.
    rooms.handlePresence(fromRoom(A, ME, { type: 'unavailable' }, mucUser(['110'])));
    assert.deepEqual(removed, []);

    rooms.disconnected();
    rooms.sync([dialog(C)]);
    assert.deepEqual(leaves(), [`${room(A)}/${ME}`], 'nothing to leave on a lost connection');
  });

  it('reports being removed from a room or the room destroyed, and joins it again only at the next reconnect', async () => {
    const { rooms, joins, accept, removed } = setup({ concurrency: 5 });
    rooms.sync([dialog(A), dialog(B), dialog(C), dialog(D), dialog(E)]);
    rooms.connected(false);
    for (const id of ids) accept(id);
    await settle();
    const actor = xml('item', { affiliation: 'none', role: 'none' }, xml('actor', { jid: `1001-${APP}@localhost` }));
    rooms.handlePresence(fromRoom(A, ME, { type: 'unavailable' }, xml('x', { xmlns: NS.mucUser }, actor, xml('status', { code: '301' }), xml('status', { code: '110' }))));
    rooms.handlePresence(fromRoom(B, ME, { type: 'unavailable' }, xml('x', { xmlns: NS.mucUser }, xml('destroy', {}, xml('reason', {}, 'The dialog was deleted')))));
    rooms.handlePresence(fromRoom(C, ME, { type: 'unavailable' }, mucUser(['307', '110'])));
    rooms.handlePresence(fromRoom(D, 1001, { type: 'unavailable' }, mucUser(['301'])));
    assert.deepEqual(removed, [A, B, C], 'ours only');
    assert.deepEqual(ids.map((id) => rooms.isJoined(id)), [false, false, false, true, true]);
    rooms.sync([dialog(A), dialog(B), dialog(C), dialog(D), dialog(E)]);
    assert.equal(joins().length, 5, 'not joined again at once');
    rooms.disconnected();
    rooms.connected(true);
    assert.deepEqual(joins().slice(5), [A, B, C], 'at the next reconnect');
  });

  it('forgets everything on dispose: joins under way end without a warning', async () => {
    const { rooms, sent, warnings } = setup();
    rooms.sync([dialog(A)]);
    rooms.connected(false);
    rooms.dispose();
    await settle();
    assert.equal(rooms.isJoined(A), false);
    rooms.handlePresence(fromRoom(A, ME, { id: sent[0].attrs.id }, mucUser(['110'])));
    assert.equal(rooms.isJoined(A), false, 'a late answer changes nothing');
    assert.deepEqual(warnings, []);
  });
});
