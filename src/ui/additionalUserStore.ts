// The additional users of a workspace, remembered so they sign in again after the profile's user
// connects: their logins per profile kind, never a password (those are the local server's demo
// users' own, or in SecretStorage). What is read back is checked: an older version or a hand edit
// may have stored anything.
import type * as vscode from 'vscode';
import { ADDITIONAL_USERS_KEY } from './ids';
import type { ProfileKind } from './settings';

export interface RememberedUser {
  profile: ProfileKind;
  login: string;
}

export class AdditionalUserStore {
  constructor(private readonly state: vscode.Memento) {}

  /** The logins to sign in again with this profile, in the order they were added. */
  logins(profile: ProfileKind): string[] {
    return this.all()
      .filter((user) => user.profile === profile)
      .map((user) => user.login);
  }

  add(profile: ProfileKind, login: string): Thenable<void> {
    return this.state.update(ADDITIONAL_USERS_KEY, [...this.all().filter((u) => !same(u, { profile, login })), { profile, login }]);
  }

  remove(profile: ProfileKind, login: string): Thenable<void> {
    return this.state.update(ADDITIONAL_USERS_KEY, this.all().filter((u) => !same(u, { profile, login })));
  }

  private all(): RememberedUser[] {
    return parseRememberedUsers(this.state.get<unknown>(ADDITIONAL_USERS_KEY));
  }
}

export function parseRememberedUsers(value: unknown): RememberedUser[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null || !('profile' in item) || !('login' in item)) return [];
    const { profile, login } = item;
    return (profile === 'local' || profile === 'cloud') && typeof login === 'string' && login ? [{ profile, login }] : [];
  });
}

/**
 * QuickBlox matches logins without regard to case, and the server's spelling (what a signed-in
 * user reports) may differ from what was typed: both name the same remembered user.
 */
function same(a: RememberedUser, b: RememberedUser): boolean {
  return a.profile === b.profile && a.login.toLowerCase() === b.login.toLowerCase();
}
