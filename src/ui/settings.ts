// Typed reads of the `quickblox.*` settings, so the rest of the UI never spells a key or a default.
// Read on demand (at connect time), never cached: a changed setting applies to the next connect.
// Secrets are never settings: see secrets.ts.
import * as vscode from 'vscode';

const SETTINGS_SECTION = 'quickblox';

/** "local": the local server (found or started); "cloud": a QuickBlox application from settings + secrets. */
export type ProfileKind = 'local' | 'cloud';

export interface LocalProfileSettings {
  /** REST address probed for a running server, and the port an embedded server is started on. */
  restUrl: string;
  startEmbedded: boolean;
  /** Login of the demo user; empty = the first demo user. */
  user: string;
}

/** The non-secret half of a QuickBlox application; empty strings / undefined = not set. */
export interface CloudProfileSettings {
  apiEndpoint: string;
  /** XMPP service URL: `xmpp://host:5222` (STARTTLS), `xmpps://host:port` or `wss://host:5291`. */
  chatEndpoint: string;
  chatDomain: string;
  appId: number | undefined;
  authKey: string;
  login: string;
}

export interface Settings {
  profile: ProfileKind;
  local: LocalProfileSettings;
  cloud: CloudProfileSettings;
  stanzaBufferSize: number;
}

const LOCAL_REST_URL_DEFAULT = 'http://127.0.0.1:8080/';
const STANZA_BUFFER_DEFAULT = 5000;
/** The same defaults as package.json, for a hand-edited settings.json that holds the wrong types. */
export const CLOUD_DEFAULTS = {
  apiEndpoint: 'https://api.quickblox.com/',
  chatEndpoint: 'xmpp://chat.quickblox.com:5222',
  chatDomain: 'chat.quickblox.com',
} as const;

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  // A hand-edited settings.json can hold any JSON: check the types rather than trust the schema.
  const text = (key: string, fallback: string) => {
    const value = config.get<unknown>(key);
    return typeof value === 'string' && value.trim() ? value.trim() : fallback;
  };
  const bufferSize = config.get<unknown>('stanzaConsole.bufferSize');
  const appId = config.get<unknown>('cloud.appId');
  return {
    profile: config.get<unknown>('profile') === 'cloud' ? 'cloud' : 'local',
    local: {
      restUrl: text('local.restUrl', LOCAL_REST_URL_DEFAULT),
      startEmbedded: config.get<unknown>('local.startEmbedded') !== false,
      user: text('local.user', ''),
    },
    cloud: {
      apiEndpoint: text('cloud.apiEndpoint', CLOUD_DEFAULTS.apiEndpoint),
      chatEndpoint: text('cloud.chatEndpoint', CLOUD_DEFAULTS.chatEndpoint),
      chatDomain: text('cloud.chatDomain', CLOUD_DEFAULTS.chatDomain),
      appId: typeof appId === 'number' && Number.isInteger(appId) && appId > 0 ? appId : undefined,
      authKey: text('cloud.authKey', ''),
      login: text('cloud.login', ''),
    },
    stanzaBufferSize: Number.isInteger(bufferSize) && Number(bufferSize) > 0 ? Number(bufferSize) : STANZA_BUFFER_DEFAULT,
  };
}

/**
 * Saves a QuickBlox application as the user's own (Global) settings and makes it the profile.
 * Returns the keys a workspace setting overrides, where the saved value will not apply.
 */
export async function writeCloudSettings(cloud: CloudProfileSettings): Promise<string[]> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const values: Record<string, unknown> = {
    'cloud.apiEndpoint': cloud.apiEndpoint,
    'cloud.chatEndpoint': cloud.chatEndpoint,
    'cloud.chatDomain': cloud.chatDomain,
    'cloud.appId': cloud.appId ?? null,
    'cloud.authKey': cloud.authKey,
    'cloud.login': cloud.login,
    profile: 'cloud' satisfies ProfileKind,
  };
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Global);
  return Object.keys(values)
    .filter((key) => {
      const scopes = config.inspect(key);
      return scopes?.workspaceValue !== undefined || scopes?.workspaceFolderValue !== undefined;
    })
    .map((key) => `${SETTINGS_SECTION}.${key}`);
}

/** Opens the Settings editor filtered to one key or group, e.g. `quickblox.local`. */
export function openSettings(query: string = SETTINGS_SECTION): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', query);
}
