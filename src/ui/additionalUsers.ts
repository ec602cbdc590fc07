// "Sign In as Another User…" and "Sign Out User…": more users of the profile's application signed
// in beside the profile's user, e.g. both ends of a private dialog. The local profile picks one of
// the server's demo users or takes a login and password; the cloud profile takes a login and
// password, the password kept in SecretStorage (secrets.ts). The logins are remembered per
// workspace (additionalUserStore.ts) and sign in again each time the profile's user has.
import * as vscode from 'vscode';
import type { ChatSessions } from '../client/chatSessions';
import { errorMessage } from '../shared/errors';
import type { AdditionalUserStore } from './additionalUserStore';
import type { ConnectionController, SignedIn } from './connection';
import { actingUserOf } from './dialogActionsShared';
import { Commands } from './ids';
import type { CloudSecretStore } from './secrets';
import { readSettings } from './settings';

export interface AdditionalUsersDeps {
  sessions: ChatSessions;
  connection: ConnectionController;
  secrets: CloudSecretStore;
  store: AdditionalUserStore;
  logger: vscode.LogOutputChannel;
}

type NextStep = 'Retry' | 'Enter Password…' | 'Forget' | 'Show Log';

const TITLE = 'Sign In as Another User';

export class AdditionalUsers implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(private readonly deps: AdditionalUsersDeps) {
    this.subscription = deps.connection.onDidSignIn((signedIn) => void this.restore(signedIn));
  }

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(Commands.signInAsAnotherUser, (arg: unknown) => this.signIn(arg)),
      vscode.commands.registerCommand(Commands.signOutUser, (arg: unknown) => this.signOut(arg)),
    ];
  }

  dispose(): void {
    this.subscription.dispose();
  }

  /**
   * The command: with `{ login, password? }` (automation, the status bar's "sign in again") signs
   * in as that login, its password taken from the demo users or SecretStorage when not given;
   * without, asks. Resolves true once signed in.
   */
  async signIn(arg: unknown): Promise<boolean> {
    const base = this.deps.connection.signedInTarget();
    if (!base) {
      void vscode.window.showWarningMessage('QuickBlox: connect first; other users sign in beside the profile\'s user.', 'Connect').then((choice) => {
        if (choice) void this.deps.connection.connect();
      });
      return false;
    }
    const given = credentialsOf(arg);
    if (arg !== undefined && !given) {
      void vscode.window.showErrorMessage(`QuickBlox: ${Commands.signInAsAnotherUser} takes no argument or { login, password? }; run it from the palette to pick the user.`);
      return false;
    }
    const credentials = given ?? (await this.ask(base));
    if (!credentials) return false;
    const password = credentials.password ?? (await this.storedPassword(base, credentials.login)) ?? (await askPassword(credentials.login));
    if (password === undefined) return false;
    return this.signInAs(base, credentials.login, password, true);
  }

  /**
   * The command: the user a tree root or `{ login }` / `{ userId }` names, else a pick among the
   * additional users. A remembered login that is not signed in now (its sign-in failed) is forgotten.
   */
  async signOut(arg: unknown): Promise<boolean> {
    const entries = this.deps.sessions.list();
    const named = entries.find((entry) => matches(entry, arg));
    const profile = this.deps.connection.signedInTarget()?.profile ?? readSettings().profile;
    const login = loginOf(arg);
    if (!named && login !== undefined && this.deps.store.logins(profile).includes(login)) {
      await this.deps.store.remove(profile, login);
      void vscode.window.showInformationMessage(`QuickBlox: ${login} was not signed in; Connect no longer signs ${login} in.`);
      return true;
    }
    if (named?.primary) {
      void vscode.window.showInformationMessage(`QuickBlox: ${named.login ?? 'the profile\'s user'} is the profile's user; Disconnect signs everyone out.`, 'Disconnect').then((choice) => {
        if (choice) void this.deps.connection.disconnect();
      });
      return false;
    }
    const additional = entries.filter((entry) => !entry.primary);
    if (arg !== undefined && !named) {
      void vscode.window.showErrorMessage(`QuickBlox: that user is not signed in here (signed in besides the profile's user: ${additional.map((e) => e.login).join(', ') || 'nobody'}).`);
      return false;
    }
    if (additional.length === 0) {
      void vscode.window.showInformationMessage('QuickBlox: only the profile\'s user is signed in; Disconnect signs out.');
      return false;
    }
    const entry =
      named ??
      (
        await vscode.window.showQuickPick(
          additional.map((e) => ({ label: e.login ?? `user ${e.userId ?? '?'}`, description: e.state, entry: e })),
          { placeHolder: 'Sign out which user? (they no longer sign in with Connect)' },
        )
      )?.entry;
    if (!entry) return false;
    await this.deps.sessions.remove(entry.service);
    if (entry.login) await this.deps.store.remove(profile, entry.login);
    this.deps.logger.info(`Signed out ${entry.login ?? 'a user'}`);
    vscode.window.setStatusBarMessage(`$(check) QuickBlox: signed out ${entry.login ?? 'the user'}`, 3000);
    return true;
  }

  /** After the profile's user signed in: the remembered users, each failure said with its next step. */
  private async restore(base: SignedIn): Promise<void> {
    const logins = this.deps.store.logins(base.profile).filter((login) => login !== base.target.login);
    await Promise.all(
      logins.map(async (login) => {
        const password = await this.storedPassword(base, login);
        if (password !== undefined) {
          await this.signInAs(base, login, password, false);
          return;
        }
        const message = `QuickBlox: could not sign in as ${login} again: no password is kept for ${login} at ${base.target.apiEndpoint}. Enter it, or forget ${login}.`;
        this.deps.logger.warn(message);
        void this.offer(message, ['Enter Password…', 'Forget', 'Show Log'], base, login);
      }),
    );
  }

  /** Signs in; remembers the login (and a typed password) only once that worked. */
  private async signInAs(base: SignedIn, login: string, password: string, interactive: boolean): Promise<boolean> {
    // The profile's user may have disconnected, or connected elsewhere, since this began.
    if (this.deps.connection.signedInTarget() !== base) {
      if (interactive) void vscode.window.showWarningMessage(`QuickBlox: the connection changed while signing in as ${login}; run "${TITLE}…" again.`);
      return false;
    }
    const target = { ...base.target, login, password };
    this.deps.logger.info(`Signing in as ${login} as well, to ${target.apiEndpoint}`);
    try {
      const service = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `QuickBlox: signing in as ${login}…` }, () =>
        this.deps.sessions.add(target),
      );
      // Signed out (or Disconnect) while it signed in: what the user asked for, said by nobody.
      if (!service) return false;
    } catch (error) {
      const message = `QuickBlox: could not sign in as ${login} to ${target.apiEndpoint}: ${errorMessage(error)}`;
      this.deps.logger.error(message);
      // Signing in again by itself, the user did not ask for it now: offer to stop that too.
      const steps: NextStep[] = interactive ? ['Retry', 'Enter Password…', 'Show Log'] : ['Retry', 'Enter Password…', 'Forget', 'Show Log'];
      void this.offer(message, steps, base, login, password);
      return false;
    }
    await this.deps.store.add(base.profile, login);
    if (demoPassword(base, login) === undefined) await this.deps.secrets.write(scopeOf(base, login), { password });
    vscode.window.setStatusBarMessage(`$(check) QuickBlox: signed in as ${login} too`, 3000);
    return true;
  }

  private async offer(message: string, steps: NextStep[], base: SignedIn, login: string, password?: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, ...steps);
    if (choice === 'Retry' && password !== undefined) await this.signInAs(this.deps.connection.signedInTarget() ?? base, login, password, true);
    else if (choice === 'Enter Password…') {
      const typed = await askPassword(login);
      const now = this.deps.connection.signedInTarget();
      if (typed !== undefined && now) await this.signInAs(now, login, typed, true);
    } else if (choice === 'Forget') await this.deps.store.remove(base.profile, login);
    else if (choice === 'Show Log') this.deps.logger.show();
  }

  /** Who to sign in as: a demo user of the local server, or a login (and password) typed in. */
  private async ask(base: SignedIn): Promise<{ login: string; password?: string } | undefined> {
    const signedIn = new Set(this.deps.sessions.list().map((e) => e.login));
    const demo = (base.server?.demoUsers ?? []).filter((u) => !signedIn.has(u.login));
    if (demo.length > 0) {
      const other = { label: '$(edit) Another login…', description: 'type a login and password', user: undefined };
      const picked = await vscode.window.showQuickPick(
        [...demo.map((u) => ({ label: u.fullName, description: u.login, user: u })), other],
        { title: TITLE, placeHolder: 'Which user of the local server?' },
      );
      if (!picked) return undefined;
      if (picked.user) return { login: picked.user.login, password: picked.user.password };
    }
    const login = (
      await vscode.window.showInputBox({
        title: TITLE,
        prompt: `Login of a user of ${base.target.apiEndpoint} (application ${base.target.appId})`,
        ignoreFocusOut: true,
        validateInput: (v) => (!v.trim() ? 'Enter the login' : signedIn.has(v.trim()) ? `${v.trim()} is already signed in here` : undefined),
      })
    )?.trim();
    if (!login) return undefined;
    const stored = await this.storedPassword(base, login);
    const password = await askPassword(login, stored !== undefined);
    return password === undefined ? undefined : { login, password: password || stored };
  }

  /** A demo user's own password, else the one SecretStorage keeps for this application and login. */
  private async storedPassword(base: SignedIn, login: string): Promise<string | undefined> {
    return demoPassword(base, login) ?? (await this.deps.secrets.read(scopeOf(base, login))).password;
  }
}

function demoPassword(base: SignedIn, login: string): string | undefined {
  return base.server?.demoUsers?.find((u) => u.login === login)?.password;
}

function scopeOf(base: SignedIn, login: string): { apiEndpoint: string; appId: number; login: string } {
  return { apiEndpoint: base.target.apiEndpoint, appId: base.target.appId, login };
}

/** A masked box; with `keepStored`, empty keeps the stored password (answered as ''). Undefined when cancelled. */
async function askPassword(login: string, keepStored = false): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: `${TITLE}: password of ${login}`,
    prompt: `${keepStored ? 'Leave empty to keep the stored one. ' : ''}Kept in VS Code's secret storage, never in settings.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v || keepStored ? undefined : 'Enter the password'),
  });
}

/** `{ login, password? }` from automation; anything else is not credentials. */
function credentialsOf(arg: unknown): { login: string; password?: string } | undefined {
  const login = loginOf(arg)?.trim();
  if (!login) return undefined;
  const password = typeof arg === 'object' && arg !== null && 'password' in arg && typeof arg.password === 'string' && arg.password ? arg.password : undefined;
  return { login, ...(password !== undefined && { password }) };
}

function loginOf(arg: unknown): string | undefined {
  return typeof arg === 'object' && arg !== null && 'login' in arg && typeof arg.login === 'string' ? arg.login : undefined;
}

/** A tree root, the status bar, or a script names a user by login or user id. */
function matches(entry: { login: string | undefined; userId: number | undefined }, arg: unknown): boolean {
  const login = loginOf(arg);
  if (login !== undefined) return entry.login === login;
  const userId = actingUserOf(arg);
  return userId !== undefined && entry.userId === userId;
}
