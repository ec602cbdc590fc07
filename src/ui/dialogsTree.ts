// The "Dialogs" view: each signed-in user's dialogs grouped by type (Private, Group, Public group),
// each with its occupants as children, straight from the services' dialog snapshots. With one user
// the groups are the roots, as they always were; with several, each user is a root ("alice —
// online") holding that user's groups. Every node carries the user it belongs to (`userId`), so a
// context action run on it acts as that user. While nobody is connected the view is empty, so it
// shows its welcome (Connect) text.
import * as vscode from 'vscode';
import type { ChatSessions, SessionEntry } from '../client/chatSessions';
import type { ChatServiceApi } from '../client/contracts';
import type { Logger } from '../shared/logger';
import { DialogTypes, type DialogType, type QBDialog } from '../shared/models';
import { displayName } from '../shared/users';
import type { DialogLabels } from './dialogLabels';
import { errorMessage } from '../shared/errors';
import { Commands, ContextValues, DIALOGS_VIEW_ID } from './ids';
import { STATE_ICONS, STATE_WORDS } from './sessionStatus';

const PREVIEW_LENGTH = 80;

/** A signed-in user, a root while several are signed in; `userId` is known once signed in. */
export interface UserNode {
  readonly kind: 'user';
  readonly login: string;
  readonly userId: number | undefined;
}

/** A group node: all dialogs of one type of one user. */
export interface DialogTypeNode {
  readonly kind: 'type';
  readonly userId: number;
  readonly type: DialogType;
}

/** A dialog as one user lists it; the dialog commands take it (it carries `dialogId` and `userId`). */
export interface DialogNode {
  readonly kind: 'dialog';
  readonly userId: number;
  readonly dialogId: string;
  readonly dialog: QBDialog;
}

/** An occupant of a dialog; the dialog commands accept it too (it carries `dialogId` and `userId`). */
export interface OccupantNode {
  readonly kind: 'occupant';
  readonly userId: number;
  readonly dialogId: string;
  readonly occupantId: number;
}

export type DialogsTreeNode = UserNode | DialogTypeNode | DialogNode | OccupantNode;

/** The order of the group nodes. */
const TYPE_ORDER: readonly DialogType[] = [DialogTypes.private, DialogTypes.group, DialogTypes.publicGroup];

export class DialogsTree implements vscode.TreeDataProvider<DialogsTreeNode>, vscode.Disposable {
  readonly view: vscode.TreeView<DialogsTreeNode>;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private resolvedOnce = false;

  constructor(
    private readonly sessions: ChatSessions,
    private readonly labels: DialogLabels,
    private readonly logger: Logger,
    /** Called when the view first asks for its items: connecting waits until someone looks. */
    private readonly onFirstResolve: () => void,
  ) {
    this.view = vscode.window.createTreeView(DIALOGS_VIEW_ID, { treeDataProvider: this });
    this.disposables.push(
      this.view,
      this.changed,
      sessions.on('dialogs', (service, dialogs) => this.update(service, dialogs)),
      sessions.onDidChange(() => this.update()),
    );
  }

  getChildren(node?: DialogsTreeNode): DialogsTreeNode[] {
    if (!this.resolvedOnce) {
      this.resolvedOnce = true;
      this.onFirstResolve();
    }
    if (!node) {
      const entries = this.sessions.list();
      if (entries.length > 1) return entries.map(userNode);
      return entries.flatMap((entry) => this.typeNodes(entry.service));
    }
    switch (node.kind) {
      case 'user': {
        const service = this.entryOf(node)?.service;
        return service ? this.typeNodes(service) : [];
      }
      case 'type':
        return this.visibleDialogs(this.sessions.serviceFor(node.userId))
          .filter((d) => d.type === node.type)
          .map((dialog) => ({ kind: 'dialog', userId: node.userId, dialogId: dialog._id, dialog }));
      case 'dialog':
        this.resolveNames(node.dialog.occupants_ids, 'occupants');
        return node.dialog.occupants_ids.map((occupantId) => ({ kind: 'occupant', userId: node.userId, dialogId: node.dialogId, occupantId }));
      case 'occupant':
        return [];
    }
  }

  getParent(node: DialogsTreeNode): DialogsTreeNode | undefined {
    switch (node.kind) {
      case 'user':
        return undefined;
      case 'type': {
        const entries = this.sessions.list();
        const entry = entries.find((e) => e.userId === node.userId);
        return entries.length > 1 && entry ? userNode(entry) : undefined;
      }
      case 'dialog':
        return { kind: 'type', userId: node.userId, type: node.dialog.type };
      case 'occupant': {
        const dialog = this.sessions.serviceFor(node.userId)?.dialogs.find((d) => d._id === node.dialogId);
        return dialog && { kind: 'dialog', userId: node.userId, dialogId: dialog._id, dialog };
      }
    }
  }

  getTreeItem(node: DialogsTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'user':
        return this.userItem(node);
      case 'type':
        return this.typeItem(node);
      case 'dialog':
        return this.dialogItem(node);
      case 'occupant':
        return this.occupantItem(node);
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private userItem(node: UserNode): vscode.TreeItem {
    const entry = this.entryOf(node);
    const state = entry?.state ?? 'offline';
    const item = new vscode.TreeItem(`${node.login} — ${STATE_WORDS[state]}`, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `user:${node.login}`;
    const unread = unreadOf(this.visibleDialogs(entry?.service));
    item.description = unread > 0 ? `${unread} new` : undefined;
    const me = entry?.service.me;
    const lines = [me ? displayName(me) : node.login, `Login: ${node.login}`];
    if (me) lines.push(`User id: ${me.id}`);
    lines.push(`${entry?.primary ? 'The profile\'s user' : 'Signed in with "Sign In as Another User…"'} · ${STATE_WORDS[state]}${entry?.detail ? `: ${entry.detail}` : ''}`);
    item.tooltip = lines.join('\n');
    item.iconPath = new vscode.ThemeIcon(state === 'online' ? 'account' : STATE_ICONS[state]);
    item.contextValue = `${entry?.primary ? ContextValues.primaryUser : ContextValues.additionalUser}.${state}`;
    return item;
  }

  private typeItem(node: DialogTypeNode): vscode.TreeItem {
    const dialogs = this.visibleDialogs(this.sessions.serviceFor(node.userId)).filter((d) => d.type === node.type);
    const unread = unreadOf(dialogs);
    const item = new vscode.TreeItem(typeGroupName(node.type), vscode.TreeItemCollapsibleState.Expanded);
    item.id = `${node.userId}:type:${node.type}`;
    item.description = unread > 0 ? `${dialogs.length} · ${unread} new` : String(dialogs.length);
    item.contextValue = ContextValues.dialogGroupNode;
    return item;
  }

  private dialogItem(node: DialogNode): vscode.TreeItem {
    const { dialog, userId } = node;
    const label = this.labels.label(dialog, userId);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `${userId}:${dialog._id}`;
    item.description = describe(dialog);
    item.tooltip = tooltip(label, dialog);
    item.iconPath = new vscode.ThemeIcon(iconFor(dialog.type));
    const owner = dialog.user_id === userId ? `.${ContextValues.ownerSuffix}` : '';
    item.contextValue = `${ContextValues.dialogPrefix}.${typeKey(dialog.type)}${owner}`;
    item.command = { command: Commands.openConversation, title: 'Open Conversation', arguments: [node] };
    return item;
  }

  private occupantItem(node: OccupantNode): vscode.TreeItem {
    const { userId: me, occupantId } = node;
    const dialog = this.sessions.serviceFor(me)?.dialogs.find((d) => d._id === node.dialogId);
    const item = new vscode.TreeItem(this.labels.userName(occupantId), vscode.TreeItemCollapsibleState.None);
    item.id = `${me}:${node.dialogId}/${occupantId}`;
    const roles = [occupantId === me ? 'you' : undefined, occupantId === dialog?.user_id ? 'owner' : undefined].filter(Boolean);
    item.description = roles.join(', ') || undefined;
    item.tooltip = `User id: ${occupantId}`;
    item.iconPath = new vscode.ThemeIcon('person');
    // The server lets only the owner of a group or public dialog remove others (ourselves: Leave).
    const removable = dialog !== undefined && dialog.type !== DialogTypes.private && dialog.user_id === me && occupantId !== me;
    item.contextValue = removable ? ContextValues.removableOccupant : ContextValues.occupant;
    return item;
  }

  private entryOf(node: UserNode): SessionEntry | undefined {
    return this.sessions.list().find((e) => e.login === node.login);
  }

  private typeNodes(service: ChatServiceApi): DialogTypeNode[] {
    const dialogs = this.visibleDialogs(service);
    const userId = service.me?.id;
    if (userId === undefined) return [];
    return TYPE_ORDER.filter((type) => dialogs.some((d) => d.type === type)).map((type) => ({ kind: 'type', userId, type }));
  }

  /** Stale dialogs of a closed connection would invite clicks that cannot work. */
  private visibleDialogs(service: ChatServiceApi | undefined): readonly QBDialog[] {
    const state = service?.state;
    return service && (state === 'online' || state === 'reconnecting') ? service.dialogs : [];
  }

  /** Redraws; with a user's new dialog list, also looks up the names its labels still miss. */
  private update(service?: ChatServiceApi, dialogs?: readonly QBDialog[]): void {
    const unread = this.sessions.list().reduce((sum, entry) => sum + unreadOf(this.visibleDialogs(entry.service)), 0);
    this.view.badge = unread > 0 ? { value: unread, tooltip: `${unread} unread message${unread === 1 ? '' : 's'}` } : undefined;
    this.changed.fire();
    if (!service || !dialogs) return;
    // Names of private dialogs' other occupants arrive later; relabel once they do.
    this.labels.resolve(dialogs, service.me?.id).then(
      (relabel) => relabel && this.changed.fire(),
      (error: unknown) => this.logger.warn(`Could not look up user names for the dialog list: ${errorMessage(error)}`),
    );
  }

  /** Occupant names are looked up when a dialog is expanded; the tree is redrawn once they arrive. */
  private resolveNames(userIds: readonly number[], what: string): void {
    this.labels.resolveUsers(userIds).then(
      (changed) => changed && this.changed.fire(),
      (error: unknown) => this.logger.warn(`Could not look up the names of the ${what}: ${errorMessage(error)}`),
    );
  }
}

function userNode(entry: SessionEntry): UserNode {
  return { kind: 'user', login: entry.login ?? `user ${entry.userId ?? '?'}`, userId: entry.userId };
}

function unreadOf(dialogs: readonly QBDialog[]): number {
  return dialogs.reduce((sum, d) => sum + d.unread_messages_count, 0);
}

function describe(dialog: QBDialog): string {
  const preview = dialog.last_message?.replace(/\s+/g, ' ').trim() || (dialog.last_message_id ? '(attachment)' : 'No messages yet');
  const short = preview.length > PREVIEW_LENGTH ? `${preview.slice(0, PREVIEW_LENGTH - 1)}…` : preview;
  const parts = [short];
  if (dialog.last_message_date_sent) parts.unshift(shortTime(dialog.last_message_date_sent));
  const unread = dialog.unread_messages_count;
  if (unread > 0) parts.unshift(`${unread} new`);
  return parts.join(' · ');
}

/** The time today, the date before: what a chat list shows. QuickBlox dates are unix seconds. */
function shortTime(unixSeconds: number): string {
  const date = new Date(unixSeconds * 1000);
  const today = new Date().toDateString() === date.toDateString();
  return today ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : date.toLocaleDateString();
}

/** Plain text, not Markdown: names and message text are other people's input. */
function tooltip(label: string, dialog: QBDialog): string {
  const lines = [label, `${typeName(dialog.type)} · ${dialog.occupants_ids.length} occupants`];
  if (dialog.last_message_date_sent) {
    lines.push(`Last message: ${new Date(dialog.last_message_date_sent * 1000).toLocaleString()}`);
  }
  if (dialog.last_message) lines.push(dialog.last_message);
  lines.push(`Unread: ${dialog.unread_messages_count}`, `Dialog id: ${dialog._id}`);
  return lines.join('\n');
}

function typeName(type: DialogType): string {
  switch (type) {
    case DialogTypes.private:
      return 'Private dialog';
    case DialogTypes.group:
      return 'Group dialog';
    case DialogTypes.publicGroup:
      return 'Public group';
  }
}

function typeGroupName(type: DialogType): string {
  switch (type) {
    case DialogTypes.private:
      return 'Private';
    case DialogTypes.group:
      return 'Group';
    case DialogTypes.publicGroup:
      return 'Public group';
  }
}

/** The type part of a dialog's contextValue. */
function typeKey(type: DialogType): string {
  switch (type) {
    case DialogTypes.private:
      return 'private';
    case DialogTypes.group:
      return 'group';
    case DialogTypes.publicGroup:
      return 'public';
  }
}

function iconFor(type: DialogType): string {
  switch (type) {
    case DialogTypes.private:
      return 'person';
    case DialogTypes.group:
      return 'organization';
    case DialogTypes.publicGroup:
      return 'broadcast';
  }
}
