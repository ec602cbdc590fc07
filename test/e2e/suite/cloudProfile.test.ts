// The "QuickBlox application" profile in a real extension host. The runner's local server stands in
// for a QuickBlox application: it speaks the same REST + XMPP, so the extension is configured with
// its endpoints and credentials exactly as a user would enter those of a real application.
// Leaves nothing behind (profile, cloud settings, secrets, session), so the other files run in any order.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CloudProfileValues } from '../../../src/client/profile';
import { Commands } from '../../../src/ui/ids';
import type { QuickBloxTestApi } from '../../../src/ui/testApi';
import { waitUntil } from '../wait';
import { activateExtension, serverInfo } from './extensionUnderTest';

const CONNECT_TIMEOUT_MS = 15000;
/** Every setting the configure command writes, restored to what it was before this file ran. */
const WRITTEN_KEYS = ['profile', 'cloud.apiEndpoint', 'cloud.chatEndpoint', 'cloud.chatDomain', 'cloud.appId', 'cloud.authKey', 'cloud.login'];

describe('The "QuickBlox application" profile in the extension host', () => {
  const info = serverInfo();
  const bob = info.demoUsers?.[1];
  assert.ok(bob, 'the local server has a second demo user');
  const application: CloudProfileValues = {
    apiEndpoint: info.rest,
    chatEndpoint: info.xmpp,
    chatDomain: info.domain,
    appId: info.appId,
    authKey: info.authKey,
    authSecret: info.authSecret,
    login: bob.login,
    password: bob.password,
  };
  const settings = () => vscode.workspace.getConfiguration('quickblox');
  const globalBefore = new Map<string, unknown>();
  let api: QuickBloxTestApi;

  async function connectAsBob(): Promise<void> {
    assert.equal(settings().get('profile'), 'cloud');
    assert.equal(await vscode.commands.executeCommand(Commands.connect), true, 'connect reports success');
    await waitUntil(() => api.service.state === 'online', CONNECT_TIMEOUT_MS, `state online (is ${api.service.state})`);
    assert.equal(api.service.me?.id, bob?.id, 'signed in as bob, not the local profile\'s first demo user');
    assert.equal(api.localServerInfo(), undefined, 'no local server is in use with the cloud profile');
  }

  before(async () => {
    api = await activateExtension();
    for (const key of WRITTEN_KEYS) globalBefore.set(key, settings().inspect(key)?.globalValue);
  });

  after(async () => {
    await vscode.commands.executeCommand(Commands.disconnect);
    for (const [key, value] of globalBefore) await settings().update(key, value, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand(Commands.forgetCloudSecrets);
  });

  it('refuses an incomplete application, naming what is missing', async () => {
    const incomplete = { ...application, authSecret: undefined, password: undefined };
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand(Commands.configureCloudProfile, incomplete)),
      /missing auth secret or API key \(secret storage\), user password \(secret storage\)/,
    );
    assert.equal(settings().inspect('cloud.login')?.globalValue, globalBefore.get('cloud.login'), 'nothing saved');
  });

  it('saves the application: plain values as settings, secrets only in secret storage', async () => {
    await vscode.commands.executeCommand(Commands.configureCloudProfile, application);
    const config = settings();
    assert.equal(config.get('profile'), 'cloud', 'configuring an application makes it the profile');
    assert.equal(config.get('cloud.apiEndpoint'), info.rest);
    assert.equal(config.get('cloud.chatEndpoint'), info.xmpp);
    assert.equal(config.get('cloud.chatDomain'), info.domain);
    assert.equal(config.get('cloud.appId'), info.appId);
    assert.equal(config.get('cloud.authKey'), info.authKey);
    assert.equal(config.get('cloud.login'), bob.login);
    // Everything VS Code holds under `quickblox` in any scope; the auth key proves the dump has the values.
    const everything = JSON.stringify(config);
    assert.ok(everything.includes(info.authKey), 'the settings dump holds the saved values');
    for (const secret of [info.authSecret, bob.password]) assert.ok(!everything.includes(secret), `"${secret}" is in the settings`);
  });

  it('connects to the application as the configured user', async () => {
    await connectAsBob();
  });

  it('connects with an API key instead of the auth key and secret', async () => {
    await vscode.commands.executeCommand(Commands.disconnect);
    await vscode.commands.executeCommand(Commands.configureCloudProfile, { ...application, authKey: '', authSecret: undefined, apiKey: info.apiKey });
    assert.ok(!JSON.stringify(settings()).includes(info.apiKey), 'the API key is not in the settings');
    await connectAsBob();
  });

  it('says the secrets are missing once they are forgotten', async () => {
    await vscode.commands.executeCommand(Commands.disconnect);
    await vscode.commands.executeCommand(Commands.forgetCloudSecrets);
    assert.equal(await vscode.commands.executeCommand(Commands.connect), false, 'connect reports failure');
    assert.equal(api.service.state, 'offline');
  });
});
