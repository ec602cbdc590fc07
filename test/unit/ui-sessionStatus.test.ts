import * as assert from 'node:assert/strict';
import { Commands } from '../../src/ui/ids';
import { statusBarView, type SessionStatus } from '../../src/ui/sessionStatus';

const alice: SessionStatus = { primary: true, login: 'alice', userId: 1001, state: 'online', detail: undefined, lostAt: undefined };
const bob: SessionStatus = { primary: false, login: 'bob', userId: 1002, state: 'online', detail: undefined, lostAt: undefined };

describe('ui: a signed-in user in the status bar', () => {
  it('names each user online, and a click opens a conversation as that user', () => {
    for (const user of [alice, bob]) {
      const view = statusBarView(user);
      assert.equal(view.text, `$(pass) ${user.login}`);
      assert.match(view.tooltip, new RegExp(`online as ${user.login}`));
      assert.deepEqual({ command: view.command.command, arguments: view.command.arguments }, { command: Commands.openConversation, arguments: [{ userId: user.userId }] });
    }
  });

  it('says since when a user is reconnecting and why, spinning, and shows the log on click', () => {
    const lostAt = Date.UTC(2026, 0, 2, 10, 42, 13);
    const view = statusBarView({ ...bob, state: 'reconnecting', detail: 'read ECONNRESET', lostAt });
    assert.equal(view.text, '$(sync~spin) bob');
    assert.ok(view.tooltip.includes(`bob lost the connection at ${new Date(lostAt).toLocaleTimeString()}: read ECONNRESET`), view.tooltip);
    assert.match(view.tooltip, /waiting longer after each failed try/);
    assert.equal(view.command.command, Commands.showLog);
  });

  it('offers the profile\'s user to connect again when offline or failed, with the reason', () => {
    const failed = statusBarView({ ...alice, state: 'error', detail: 'connect ECONNREFUSED 127.0.0.1:5222' });
    assert.equal(failed.tooltip, 'QuickBlox: connection failed: connect ECONNREFUSED 127.0.0.1:5222 (click to try again)');
    assert.equal(failed.command.command, Commands.connect);
    const offline = statusBarView({ ...alice, login: undefined, userId: undefined, state: 'offline' });
    assert.deepEqual({ text: offline.text, command: offline.command.command }, { text: '$(debug-disconnect) QuickBlox', command: Commands.connect });
  });

  it('offers another user to sign in again, by login, when it is no longer connected', () => {
    const view = statusBarView({ ...bob, state: 'error', detail: 'not authorized' });
    assert.match(view.tooltip, /bob could not stay signed in: not authorized \(click to sign in again\)/);
    assert.deepEqual({ command: view.command.command, arguments: view.command.arguments }, { command: Commands.signInAsAnotherUser, arguments: [{ login: 'bob' }] });
  });

  it('shows the log while signing in', () => {
    const view = statusBarView({ ...bob, userId: undefined, state: 'connecting' });
    assert.deepEqual({ text: view.text, command: view.command.command }, { text: '$(sync~spin) bob', command: Commands.showLog });
    assert.match(view.tooltip, /signing in as bob/);
  });
});
