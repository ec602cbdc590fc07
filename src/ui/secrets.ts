// The secret half of a QuickBlox application profile (auth secret, API key, the user's password),
// kept in VS Code's SecretStorage (encrypted by the OS keychain, never synced), never in settings.
// Keys name the API server and application they belong to, and the password also the login, so
// switching applications or users never hands one application's secret to another.
import type * as vscode from 'vscode';

export interface CloudSecrets {
  authSecret?: string;
  apiKey?: string;
  password?: string;
}

/** Which application (and user) a set of secrets belongs to. */
export interface SecretScope {
  apiEndpoint: string;
  appId: number;
  login: string;
}

const PREFIX = 'quickblox.cloud.';

export class CloudSecretStore {
  constructor(private readonly storage: vscode.SecretStorage) {}

  async read(scope: SecretScope): Promise<CloudSecrets> {
    const keys = secretKeys(scope);
    const [authSecret, apiKey, password] = await Promise.all([
      this.storage.get(keys.authSecret),
      this.storage.get(keys.apiKey),
      this.storage.get(keys.password),
    ]);
    return { authSecret, apiKey, password };
  }

  /**
   * Stores the given secrets. An application authenticates one way: storing an auth secret deletes
   * its API key and the other way round, so a stale one can never be picked instead.
   */
  async write(scope: SecretScope, secrets: CloudSecrets): Promise<void> {
    const keys = secretKeys(scope);
    if (secrets.authSecret) {
      await this.storage.store(keys.authSecret, secrets.authSecret);
      await this.storage.delete(keys.apiKey);
    } else if (secrets.apiKey) {
      await this.storage.store(keys.apiKey, secrets.apiKey);
      await this.storage.delete(keys.authSecret);
    }
    if (secrets.password) await this.storage.store(keys.password, secrets.password);
  }

  /** Deletes every QuickBlox application secret this extension stored; returns how many. */
  async forgetAll(): Promise<number> {
    const ours = (await this.storage.keys()).filter((key) => key.startsWith(PREFIX));
    for (const key of ours) await this.storage.delete(key);
    return ours.length;
  }
}

function secretKeys(scope: SecretScope): Record<keyof CloudSecrets, string> {
  const app = `${PREFIX}${apiHost(scope.apiEndpoint)}.${scope.appId}`;
  return {
    authSecret: `${app}.authSecret`,
    apiKey: `${app}.apiKey`,
    // Encoded: a login is free text and must not be able to spell another key.
    password: `${app}.user.${encodeURIComponent(scope.login)}.password`,
  };
}

/** Host and port: the same application id on another QuickBlox server is another application. */
function apiHost(apiEndpoint: string): string {
  try {
    return new URL(apiEndpoint).host.toLowerCase();
  } catch {
    return encodeURIComponent(apiEndpoint);
  }
}
