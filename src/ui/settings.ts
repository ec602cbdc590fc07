// Typed reads of the `quickblox.*` settings, so the rest of the UI never spells a key or a default.
// Read on demand (at connect time), never cached: a changed setting applies to the next connect.
import * as vscode from 'vscode';

const SETTINGS_SECTION = 'quickblox';

/** The only profile this slice builds; cloud profiles (with SecretStorage) come later. */
export type ProfileKind = 'local';

export interface LocalProfileSettings {
  /** REST address probed for a running server, and the port an embedded server is started on. */
  restUrl: string;
  startEmbedded: boolean;
  /** Login of the demo user; empty = the first demo user. */
  user: string;
}

export interface Settings {
  profile: ProfileKind;
  local: LocalProfileSettings;
  stanzaBufferSize: number;
}

const LOCAL_REST_URL_DEFAULT = 'http://127.0.0.1:8080/';
const STANZA_BUFFER_DEFAULT = 5000;

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  // A hand-edited settings.json can hold any JSON: check the types rather than trust the schema.
  const text = (key: string, fallback: string) => {
    const value = config.get<unknown>(key);
    return typeof value === 'string' && value.trim() ? value.trim() : fallback;
  };
  const bufferSize = config.get<unknown>('stanzaConsole.bufferSize');
  return {
    // The only value the schema allows so far; cloud profiles will read `quickblox.profile` here.
    profile: 'local',
    local: {
      restUrl: text('local.restUrl', LOCAL_REST_URL_DEFAULT),
      startEmbedded: config.get<unknown>('local.startEmbedded') !== false,
      user: text('local.user', ''),
    },
    stanzaBufferSize: Number.isInteger(bufferSize) && Number(bufferSize) > 0 ? Number(bufferSize) : STANZA_BUFFER_DEFAULT,
  };
}

/** Opens the Settings editor filtered to one key or group, e.g. `quickblox.local`. */
export function openSettings(query: string = SETTINGS_SECTION): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', query);
}
