// Demo data for `--demo`: three users with known passwords, a private dialog and a group, each
// with some history so the dialog list shows last messages and unread counts right away.
// Only an empty store is filled; a store that has users is left alone.
import type { DemoUser } from '../shared/localServer';
import type { Logger } from '../shared/logger';
import type { ChatStore } from './store/chatStore';

const USERS = [
  { login: 'alice', password: 'alice-pass', fullName: 'Alice Demo' },
  { login: 'bob', password: 'bob-pass', fullName: 'Bob Demo' },
  { login: 'carol', password: 'carol-pass', fullName: 'Carol Demo' },
] as const;

type Login = (typeof USERS)[number]['login'];

/** [sender, text, minutes before now]; oldest first. */
type Line = [Login, string, number];

const PRIVATE_HISTORY: Line[] = [
  ['alice', 'Hi Bob! Is the local server running for you too?', 180],
  ['bob', 'Yes, started it with --demo a minute ago.', 175],
  ['alice', 'Great. Try sending me a message from the conversation panel.', 170],
  ['bob', 'Will do after lunch 🙂', 20],
];

const GROUP_HISTORY: Line[] = [
  ['carol', 'Welcome to the demo group, everyone.', 300],
  ['alice', 'Thanks Carol! This is where group (MUC) messages show up.', 290],
  ['bob', 'And the stanza console shows every groupchat stanza.', 240],
  ['carol', 'Reminder: passwords are <login>-pass, e.g. alice-pass.', 60],
];

export function seedDemo(store: ChatStore, logger: Logger): DemoUser[] {
  if (store.countUsers() > 0) {
    logger.info('demo: the store already has data; leaving it as it is');
    return existingDemoUsers(store);
  }
  const ids = {} as Record<Login, number>;
  for (const user of USERS) {
    ids[user.login] = store.createUser({ login: user.login, password: user.password, fullName: user.fullName }).id;
  }
  const privateDialog = store.ensurePrivateDialog(ids.alice, ids.bob).dialog;
  const group = store.createDialog({ type: 2, ownerId: ids.carol, occupantIds: [ids.alice, ids.bob], name: 'Demo group' });
  addHistory(store, privateDialog.id, PRIVATE_HISTORY, ids);
  addHistory(store, group.id, GROUP_HISTORY, ids);
  // Older lines have been read; the latest stay unread, so the unread counters show something.
  const readFirst = (userId: number, dialogId: string, count: number) =>
    store.markRead(userId, dialogId, store.listMessages(dialogId, { limit: count, skip: 0 }).map((m) => m.id));
  readFirst(ids.alice, privateDialog.id, 3);
  readFirst(ids.bob, privateDialog.id, 2);
  readFirst(ids.alice, group.id, 3);
  readFirst(ids.bob, group.id, 4);
  logger.info('demo: created users alice, bob, carol with a private dialog and "Demo group"');
  return existingDemoUsers(store);
}

function addHistory(store: ChatStore, dialogId: string, lines: Line[], ids: Record<Login, number>): void {
  const now = Math.floor(Date.now() / 1000);
  for (const [sender, text, minutesAgo] of lines) {
    store.createMessage({ dialogId, senderId: ids[sender], body: text, dateSent: now - minutesAgo * 60, markable: true });
  }
}

/** The demo users still present (the store may have been changed since it was seeded). */
function existingDemoUsers(store: ChatStore): DemoUser[] {
  return USERS.flatMap((demo) => {
    const user = store.findUserByLogin(demo.login);
    return user ? [{ id: user.id, login: demo.login, password: demo.password, fullName: demo.fullName }] : [];
  });
}
