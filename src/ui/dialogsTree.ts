// The "Dialogs" view: one flat item per dialog of the signed-in user, straight from the service's
// dialog snapshots. While not connected it is empty, so the view shows its welcome (Connect) text.
import * as vscode from 'vscode';
import type { ChatServiceApi } from '../client/contracts';
import type { Logger } from '../shared/logger';
import { DialogTypes, type QBDialog } from '../shared/models';
import type { DialogLabels } from './dialogLabels';
import { errorMessage } from '../shared/errors';
import { Commands, DIALOG_CONTEXT_VALUE, DIALOGS_VIEW_ID } from './ids';

const PREVIEW_LENGTH = 80;

export class DialogsTree implements vscode.TreeDataProvider<QBDialog>, vscode.Disposable {
  readonly view: vscode.TreeView<QBDialog>;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private resolvedOnce = false;

  constructor(
    private readonly service: ChatServiceApi,
    private readonly labels: DialogLabels,
    private readonly logger: Logger,
    /** Called when the view first asks for its items: connecting waits until someone looks. */
    private readonly onFirstResolve: () => void,
  ) {
    this.view = vscode.window.createTreeView(DIALOGS_VIEW_ID, { treeDataProvider: this });
    this.disposables.push(
      this.view,
      this.changed,
      service.on('dialogs', (dialogs) => this.update(dialogs)),
      service.on('state', () => this.update(this.service.dialogs)),
    );
  }

  getChildren(element?: QBDialog): QBDialog[] {
    if (!this.resolvedOnce) {
      this.resolvedOnce = true;
      this.onFirstResolve();
    }
    return element ? [] : this.visibleDialogs();
  }

  getTreeItem(dialog: QBDialog): vscode.TreeItem {
    const item = new vscode.TreeItem(this.labels.label(dialog), vscode.TreeItemCollapsibleState.None);
    item.id = dialog._id;
    item.description = describe(dialog);
    item.tooltip = tooltip(this.labels.label(dialog), dialog);
    item.iconPath = new vscode.ThemeIcon(iconFor(dialog));
    item.contextValue = DIALOG_CONTEXT_VALUE;
    item.command = { command: Commands.openConversation, title: 'Open Conversation', arguments: [dialog._id] };
    return item;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  /** Stale dialogs of a closed connection would invite clicks that cannot work. */
  private visibleDialogs(): QBDialog[] {
    const state = this.service.state;
    return state === 'online' || state === 'reconnecting' ? [...this.service.dialogs] : [];
  }

  private update(dialogs: readonly QBDialog[]): void {
    const unread = this.visibleDialogs().reduce((sum, d) => sum + d.unread_messages_count, 0);
    this.view.badge = unread > 0 ? { value: unread, tooltip: `${unread} unread message${unread === 1 ? '' : 's'}` } : undefined;
    this.changed.fire();
    // Names of private dialogs' other occupants arrive later; relabel once they do.
    this.labels.resolve(dialogs).then(
      (relabel) => relabel && this.changed.fire(),
      (error: unknown) => this.logger.warn(`Could not look up user names for the dialog list: ${errorMessage(error)}`),
    );
  }
}

function describe(dialog: QBDialog): string {
  const preview = dialog.last_message?.replace(/\s+/g, ' ').trim() || (dialog.last_message_id ? '(attachment)' : 'No messages yet');
  const short = preview.length > PREVIEW_LENGTH ? `${preview.slice(0, PREVIEW_LENGTH - 1)}…` : preview;
  const unread = dialog.unread_messages_count;
  return unread > 0 ? `${unread} new · ${short}` : short;
}

/** Plain text, not Markdown: names and message text are other people's input. */
function tooltip(label: string, dialog: QBDialog): string {
  const lines = [label, `${typeName(dialog)} · ${dialog.occupants_ids.length} occupants`];
  if (dialog.last_message_date_sent) {
    // QuickBlox dates are unix seconds.
    lines.push(`Last message: ${new Date(dialog.last_message_date_sent * 1000).toLocaleString()}`);
  }
  if (dialog.last_message) lines.push(dialog.last_message);
  lines.push(`Unread: ${dialog.unread_messages_count}`, `Dialog id: ${dialog._id}`);
  return lines.join('\n');
}

function typeName(dialog: QBDialog): string {
  switch (dialog.type) {
    case DialogTypes.private:
      return 'Private dialog';
    case DialogTypes.group:
      return 'Group dialog';
    case DialogTypes.publicGroup:
      return 'Public group';
  }
}

function iconFor(dialog: QBDialog): string {
  switch (dialog.type) {
    case DialogTypes.private:
      return 'person';
    case DialogTypes.group:
      return 'organization';
    case DialogTypes.publicGroup:
      return 'broadcast';
  }
}
