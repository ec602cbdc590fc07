import * as assert from 'node:assert/strict';
import { Commands } from '../../src/ui/ids';
import { statusBarView, type SessionStatus } from '../../src/ui/sessionStatus';

const alice: SessionStatus = { primary: true, login: 'alice', userId: 1001, state: 'online', detail: undefined, lostAt: undefined, retry: undefined };
const bob: SessionStatus = { primary: false, login: 'bob', userId: 1002, state: 'online', detail: undefined, lostAt: undefined, retry: undefined };

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

  it('counts the failed reconnect attempts and the seconds to the next one, in the text and the tooltip', () => {
    const lostAt = Date.UTC(2026, 0, 2, 10, 42, 13);
    const reconnecting: SessionStatus = { ...bob, state: 'reconnecting', detail: 'connect ECONNREFUSED 127.0.0.1:5222', lostAt };
    const nextRetryAt = lostAt + 7_000;
    const secondFailed = statusBarView({ ...reconnecting, retry: { attempt: 2, nextRetryAt } }, nextRetryAt - 3_600);
    assert.equal(secondFailed.text, '$(sync~spin) bob: reconnecting (attempt 2, next in 4s)');
    assert.ok(secondFailed.tooltip.includes('ECONNREFUSED 127.0.0.1:5222. Now reconnecting (attempt 2, next in 4s).'), secondFailed.tooltip);
    assert.equal(secondFailed.command.command, Commands.showLog);

    const later = statusBarView({ ...reconnecting, retry: { attempt: 2, nextRetryAt } }, nextRetryAt - 900);
    assert.equal(later.text, '$(sync~spin) bob: reconnecting (attempt 2, next in 1s)', 'counts down');
    const due = statusBarView({ ...reconnecting, retry: { attempt: 2, nextRetryAt } }, nextRetryAt + 50);
    assert.equal(due.text, '$(sync~spin) bob: reconnecting (attempt 2, retrying now)');

    assert.equal(statusBarView(reconnecting).text, '$(sync~spin) bob', 'no attempt has failed yet: nothing to count');
    const backOnline = statusBarView({ ...reconnecting, state: 'online', retry: { attempt: 3, nextRetryAt } }, nextRetryAt - 1_000);
    assert.equal(backOnline.text, '$(pass) bob', 'a stale retry is not shown once online');
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
