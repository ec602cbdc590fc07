// The "Local server" profile when nothing answers at quickblox.local.restUrl: the extension starts
// the bundled server (dist/server.js) as a child process of its own, signs in to it, and stops it.
// The workspace settings point at a port nobody listens on for the length of this file, and are
// restored after it, with the extension left disconnected and no server of its own running, so the
// other files run in any order. The server's data goes to the extension's globalStorage, which the
// runner gives a fresh profile directory each run.
import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import * as vscode from 'vscode';
import { probeLocalServer } from '../../../src/client/localServerProcess';
import { DialogTypes } from '../../../src/shared/models';
import { Commands } from '../../../src/ui/ids';
import type { QuickBloxTestApi } from '../../../src/ui/testApi';
import { waitUntil } from '../wait';
import { activateExtension, report, serverInfo } from './extensionUnderTest';

/** The first start compiles SQLite's wasm and seeds the demo data. */
const START_TIMEOUT_MS = 30000;
const PROBE_MS = 2000;
const LOCAL_KEYS = ['local.restUrl', 'local.startEmbedded'] as const;

/** A loopback port that was free a moment ago: the kernel handed it out and it was let go again. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls more often than waitUntil: the phase it looks for may last well under a second. */
async function sawWhile(condition: () => boolean, until: Thenable<unknown>, what: string): Promise<void> {
  let done = false;
  void Promise.resolve(until).finally(() => (done = true));
  while (!done) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.fail(`never saw ${what} before the connect ended`);
}

describe('The local server the extension starts itself', function () {
  this.timeout(START_TIMEOUT_MS * 2);
  const runner = serverInfo();
  const settings = () => vscode.workspace.getConfiguration('quickblox');
  const workspaceBefore = new Map<string, unknown>();
  let api: QuickBloxTestApi;
  let restUrl: string;
  let port: number;

  before(async () => {
    api = await activateExtension();
    await vscode.commands.executeCommand(Commands.disconnect);
    for (const key of LOCAL_KEYS) workspaceBefore.set(key, settings().inspect(key)?.workspaceValue);
    port = await freePort();
    restUrl = `http://127.0.0.1:${port}/`;
    await settings().update('local.restUrl', restUrl, vscode.ConfigurationTarget.Workspace);
    await settings().update('local.startEmbedded', true, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await vscode.commands.executeCommand(Commands.disconnect);
    // Says "none running" when the tests stopped it already.
    await vscode.commands.executeCommand(Commands.stopLocalServer);
    for (const [key, value] of workspaceBefore) await settings().update(key, value, vscode.ConfigurationTarget.Workspace);
  });

  async function stopAndCheckGone(rest: string): Promise<void> {
    await vscode.commands.executeCommand(Commands.stopLocalServer);
    assert.equal(api.service.state, 'offline', 'stopping the server in use signs out first');
    assert.equal(api.localServerInfo(), undefined, 'no server in use or started any more');
    assert.equal(await probeLocalServer(rest, PROBE_MS), undefined, `nothing answers at ${rest} once stopped`);
  }

  it('starts its own local server when none is running', async () => {
    assert.equal(await probeLocalServer(restUrl, PROBE_MS), undefined, `nothing answers at ${restUrl} before the test`);
    const connected = vscode.commands.executeCommand<boolean>(Commands.connect);
    // The service hears of the connect only once the server is up; the status bar and views must
    // not say "offline, click to connect" while it starts.
    await sawWhile(
      () => api.service.state === 'offline' && api.connectionState() === 'connecting',
      connected,
      'the UI state "connecting" while the server starts',
    );
    assert.equal(await connected, true, 'connect reports success');
    await waitUntil(() => api.service.state === 'online', START_TIMEOUT_MS, `state online (is ${api.service.state})`);
    assert.equal(api.connectionState(), 'online');

    const info = api.localServerInfo();
    assert.ok(info, 'the extension reports the server it started');
    assert.notEqual(info.rest, runner.rest, 'not the runner\'s server');
    const restPort = Number(new URL(info.rest).port);
    // Port 5222 for XMPP may be taken on this machine, and then both ports are free ones.
    if (restPort !== port) report(`the embedded server fell back to free ports (REST ${info.rest}, XMPP ${info.xmpp})`);
    else assert.equal(info.rest, restUrl);
    assert.equal(api.service.me?.login, info.demoUsers?.[0]?.login, 'signed in as the first demo user');

    const dialogs = api.service.dialogs;
    assert.ok(dialogs.some((d) => d.type === DialogTypes.group && d.name === 'Demo group'), 'the demo group');
    assert.ok(dialogs.some((d) => d.type === DialogTypes.private), 'the demo private dialog');

    // Its own process: it answers over HTTP like any other local server, and goes when stopped.
    const answered = await probeLocalServer(info.rest, PROBE_MS);
    assert.equal(answered?.rest, info.rest, `${info.rest}_local/info.json answers`);

    // Connected again, the probe finds the server this window started: still ours to stop.
    await vscode.commands.executeCommand(Commands.disconnect);
    assert.equal(await vscode.commands.executeCommand<boolean>(Commands.connect), true, 'reconnects');
    assert.equal(api.localServerInfo()?.rest, info.rest, 'the same server, not a second one');
    await stopAndCheckGone(info.rest);
  });

  it('starts one server when "Start Local Server" and Connect run at once', async () => {
    const [, connected] = await Promise.all([
      vscode.commands.executeCommand(Commands.startLocalServer),
      vscode.commands.executeCommand<boolean>(Commands.connect),
    ]);
    // Two starts would race for the same port and data file, and one of them would fail.
    assert.equal(connected, true, 'connect reports success');
    const info = api.localServerInfo();
    assert.ok(info);
    assert.equal((await probeLocalServer(info.rest, PROBE_MS))?.rest, info.rest);
    await stopAndCheckGone(info.rest);
  });
});
