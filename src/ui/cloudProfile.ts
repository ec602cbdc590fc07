// The "QuickBlox application" profile in the UI: where its values live (settings for the plain
// ones, SecretStorage for the auth secret, API key and password), the command that enters them,
// and the target the connect flow builds from them. What makes a profile complete is decided in
// client/profile.ts; nothing past ConnectionTarget knows which profile is in use.
import * as vscode from 'vscode';
import { apiEndpointProblem, chatEndpointProblem, cloudConnectionTarget, type CloudProfileValues, type CloudTargetResult } from '../client/profile';
import { errorMessage } from '../shared/errors';
import { Commands } from './ids';
import type { CloudSecretStore, CloudSecrets } from './secrets';
import { readSettings, writeCloudSettings, type CloudProfileSettings } from './settings';

const TITLE = 'Configure QuickBlox Application';

type CredentialKind = 'authSecret' | 'apiKey';

export class CloudProfile {
  constructor(
    private readonly secrets: CloudSecretStore,
    private readonly logger: vscode.LogOutputChannel,
  ) {}

  /** The target for the connect flow, from the current settings and stored secrets. */
  async target(): Promise<CloudTargetResult> {
    const cloud = readSettings().cloud;
    // Without an application id there is no key to look the secrets up by; the result names it.
    const secrets = cloud.appId === undefined ? {} : await this.secrets.read({ ...cloud, appId: cloud.appId });
    return cloudConnectionTarget({ ...cloud, ...secrets });
  }

  /**
   * The command: with an argument object (automation), saves it as is and throws when it is
   * incomplete; without one, asks for each value and then offers to connect.
   */
  async configure(input: unknown, connect: () => Promise<boolean>): Promise<void> {
    if (input !== undefined) {
      await this.save(valuesFrom(input));
      return;
    }
    const values = await this.prompt();
    if (!values) return;
    try {
      await this.save(values);
    } catch (error) {
      // The boxes validated every value already: what is left is the settings or secret storage failing.
      void vscode.window.showErrorMessage(`Could not save the QuickBlox application: ${errorMessage(error)}`);
      return;
    }
    const choice = await vscode.window.showInformationMessage(
      `QuickBlox application ${values.appId} saved; the "QuickBlox application" profile is now in use. Secrets are in VS Code's secret storage.`,
      'Connect',
    );
    if (choice === 'Connect') await connect();
  }

  async forgetSecrets(): Promise<void> {
    const count = await this.secrets.forgetAll();
    this.logger.info(`Forgot ${count} stored QuickBlox application secret(s)`);
    void vscode.window.showInformationMessage(
      count > 0 ? `Forgot ${count} stored QuickBlox secret(s) (auth secrets, API keys, passwords).` : 'No QuickBlox secrets were stored.',
    );
  }

  /** Checks everything first, so an incomplete profile never half-overwrites a working one. */
  private async save(values: CloudProfileValues): Promise<void> {
    const result = cloudConnectionTarget(values);
    if (!result.ok) throw new Error(result.message);
    const { target } = result;
    const settings: CloudProfileSettings = {
      apiEndpoint: target.apiEndpoint,
      chatEndpoint: target.chatService,
      chatDomain: target.chatDomain,
      appId: target.appId,
      authKey: target.authKey ?? '',
      login: target.login,
    };
    const scope = { apiEndpoint: target.apiEndpoint, appId: target.appId, login: target.login };
    // Secrets first: settings that name an application whose secret is not stored yet would not connect.
    await this.secrets.write(scope, { authSecret: target.authSecret, apiKey: target.apiKey, password: target.password });
    const overridden = await writeCloudSettings(settings);
    this.logger.info(`Saved the QuickBlox application profile: ${target.apiEndpoint}, app ${target.appId}, ${target.login}`);
    if (overridden.length > 0) {
      void vscode.window.showWarningMessage(
        `Saved to your user settings, but this workspace's settings override ${overridden.join(', ')}; those workspace values still apply.`,
      );
    }
  }

  /** One input box per value, prefilled from the settings; undefined when the user cancels. */
  private async prompt(): Promise<CloudProfileValues | undefined> {
    const current = readSettings().cloud;
    const apiEndpoint = await ask('API endpoint', 'REST API endpoint as shown in the QuickBlox dashboard (https://…)', {
      value: current.apiEndpoint,
      validateInput: (v) => apiEndpointProblem(v.trim()),
    });
    if (apiEndpoint === undefined) return undefined;
    const chatEndpoint = await ask('Chat endpoint', 'XMPP service: xmpp://host:5222 (TCP + STARTTLS), xmpps://host:port (TLS) or wss://host:5291 (WebSocket)', {
      value: current.chatEndpoint,
      validateInput: (v) => chatEndpointProblem(v.trim()),
    });
    if (chatEndpoint === undefined) return undefined;
    const chatDomain = await ask('Chat domain', 'XMPP domain of the user JIDs (for QuickBlox: the chat endpoint\'s host)', {
      // A changed chat endpoint usually means another server, whose domain is its host name.
      value: chatEndpoint === current.chatEndpoint ? current.chatDomain : hostname(chatEndpoint) ?? current.chatDomain,
      validateInput: (v) => (v.trim() ? undefined : 'Enter the chat domain'),
    });
    if (chatDomain === undefined) return undefined;
    const appIdText = await ask('Application id', 'Application ID from the QuickBlox dashboard', {
      value: current.appId === undefined ? '' : String(current.appId),
      validateInput: (v) => (/^[1-9]\d*$/.test(v.trim()) ? undefined : 'Enter the application id (a positive whole number)'),
    });
    if (appIdText === undefined) return undefined;
    const appId = Number(appIdText);
    const kind = await pickCredentialKind();
    if (!kind) return undefined;
    let authKey = '';
    if (kind === 'authSecret') {
      const entered = await ask('Auth key', 'Authorization key from the QuickBlox dashboard', {
        value: current.authKey,
        validateInput: (v) => (v.trim() ? undefined : 'Enter the auth key'),
      });
      if (entered === undefined) return undefined;
      authKey = entered;
    }
    // Stored secrets of this application may be kept by leaving their box empty.
    const stored = await this.secrets.read({ apiEndpoint, appId, login: current.login });
    const secret = await askSecret(kind === 'authSecret' ? 'Auth secret' : 'API key', stored[kind]);
    if (secret === undefined) return undefined;
    const login = await ask('User login', 'Login of the QuickBlox user to chat as', {
      value: current.login,
      validateInput: (v) => (v.trim() ? undefined : 'Enter the login'),
    });
    if (login === undefined) return undefined;
    const storedPassword = (await this.secrets.read({ apiEndpoint, appId, login })).password;
    const password = await askSecret(`Password of ${login}`, storedPassword);
    if (password === undefined) return undefined;
    const credential: CloudSecrets = kind === 'authSecret' ? { authSecret: secret } : { apiKey: secret };
    return { apiEndpoint, chatEndpoint, chatDomain, appId, authKey, ...credential, login, password };
  }
}

/** The configure and forget commands; the connect command stays with the other commands. */
export function registerCloudProfileCommands(profile: CloudProfile, connect: () => Promise<boolean>): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.configureCloudProfile, (input: unknown) => profile.configure(input, connect)),
    vscode.commands.registerCommand(Commands.forgetCloudSecrets, () => profile.forgetSecrets()),
  ];
}

/** A plain box; the answer comes back trimmed (undefined when cancelled). */
async function ask(step: string, prompt: string, options: Pick<vscode.InputBoxOptions, 'value' | 'validateInput'>): Promise<string | undefined> {
  const entered = await vscode.window.showInputBox({ title: `${TITLE}: ${step}`, prompt, ignoreFocusOut: true, ...options });
  return entered?.trim();
}

/** A masked box; empty keeps the stored value when there is one. */
async function askSecret(step: string, stored: string | undefined): Promise<string | undefined> {
  const entered = await vscode.window.showInputBox({
    title: `${TITLE}: ${step}`,
    prompt: `${stored ? 'Leave empty to keep the stored one. ' : ''}Kept in VS Code's secret storage, never in settings.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v || stored ? undefined : `Enter the ${step.toLowerCase()}`),
  });
  return entered === undefined ? undefined : entered || stored;
}

async function pickCredentialKind(): Promise<CredentialKind | undefined> {
  const items: (vscode.QuickPickItem & { credential: CredentialKind })[] = [
    { label: 'Auth key and auth secret', detail: 'Signed sessions, as the QuickBlox SDKs use', credential: 'authSecret' },
    { label: 'API key', detail: 'Server-to-server: "Authorization: ApiKey …", acting on behalf of the user', credential: 'apiKey' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `${TITLE}: application credentials`, ignoreFocusOut: true });
  return picked?.credential;
}

/** The command's argument: unknown JSON, so every field is type-checked; wrong ones count as missing. */
function valuesFrom(input: unknown): CloudProfileValues {
  if (typeof input !== 'object' || input === null) {
    throw new Error(`${Commands.configureCloudProfile} takes no argument or an object { apiEndpoint, chatEndpoint, chatDomain, appId, authKey, authSecret | apiKey, login, password }`);
  }
  const fields = input as Record<string, unknown>;
  const text = (key: keyof CloudProfileValues) => {
    const value = fields[key];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    apiEndpoint: text('apiEndpoint'),
    chatEndpoint: text('chatEndpoint'),
    chatDomain: text('chatDomain'),
    appId: typeof fields.appId === 'number' ? fields.appId : undefined,
    authKey: text('authKey'),
    authSecret: text('authSecret'),
    apiKey: text('apiKey'),
    login: text('login'),
    password: text('password'),
  };
}

function hostname(endpoint: string): string | undefined {
  try {
    return new URL(endpoint).hostname || undefined;
  } catch {
    return undefined;
  }
}
