// How a dialog is called in the UI (tree, pickers, panel titles). A private dialog has no useful name
// of its own: it is shown as the other occupant (other than the user looking, when several are
// signed in), whose name the profile user's service looks up by id: every signed-in user is a user
// of the same application, so one name cache serves them all.
import type * as vscode from 'vscode';
import type { ChatServiceApi } from '../client/contracts';
import { privateOpponentOf } from '../client/dialogList';
import type { QBDialog } from '../shared/models';
import { placeholderName } from '../shared/users';

export class DialogLabels implements vscode.Disposable {
  private readonly names = new Map<number, string>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly service: ChatServiceApi) {
    // Ids are only unique within one application: a new connection may be a different server.
    this.subscription = service.on('state', (state) => {
      if (state === 'connecting') this.names.clear();
    });
  }

  /** As `myUserId` sees it (a private dialog is named after the other occupant); default the profile's user. */
  label(dialog: QBDialog, myUserId?: number): string {
    const other = this.otherOccupant(dialog, myUserId);
    if (other !== undefined) return this.names.get(other) ?? dialog.name ?? placeholderName(other);
    return dialog.name || 'Unnamed dialog';
  }

  /** A user's name as looked up so far (the placeholder until then). */
  userName(userId: number): string {
    return this.names.get(userId) ?? placeholderName(userId);
  }

  /** Looks up the names still missing for these dialogs as `myUserId` sees them; true when a label may have changed. */
  resolve(dialogs: readonly QBDialog[], myUserId?: number): Promise<boolean> {
    const others = dialogs.map((dialog) => this.otherOccupant(dialog, myUserId)).filter((id): id is number => id !== undefined);
    return this.resolveUsers(others);
  }

  /** Looks up the names still missing for these users; true when one was learnt. */
  async resolveUsers(userIds: readonly number[]): Promise<boolean> {
    const missing = [...new Set(userIds)].filter((id) => !this.names.has(id));
    if (missing.length === 0) return false;
    const found = await this.service.userNames(missing);
    let changed = false;
    for (const [id, name] of Object.entries(found)) {
      // The service answers an id it could not look up (e.g. a failed request) with the placeholder;
      // kept here, it would stick until the next connect. Asked again, the service answers known
      // users from its own cache, so a user really named so costs no request.
      if (name === placeholderName(Number(id))) continue;
      this.names.set(Number(id), name);
      changed = true;
    }
    return changed;
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private otherOccupant(dialog: QBDialog, myUserId: number | undefined): number | undefined {
    return privateOpponentOf(dialog, myUserId ?? this.service.me?.id);
  }
}
