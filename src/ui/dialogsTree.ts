// The "Dialogs" view: the signed-in user's dialogs grouped by type (Private, Group, Public group),
// each with its occupants as children, straight from the service's dialog snapshots. While not
// connected it is empty, so the view shows its welcome (Connect) text.
import * as vscode from 'vscode';
import type { ChatServiceApi } from '../client/contracts';
import type { Logger } from '../shared/logger';
import { DialogTypes, type DialogType, type QBDialog } from '../shared/models';
import type { DialogLabels } from './dialogLabels';
import { errorMessage } from '../shared/errors';
import { Commands, ContextValues, DIALOGS_VIEW_ID } from './ids';

const PREVIEW_LENGTH = 80;

/** A group node: all dialogs of one type. */
export interface DialogTypeNode {
  readonly kind: 'type';
  readonly type: DialogType;
}

/** An occupant of a dialog; the dialog commands accept it too (it carries `dialogId`). */
export interface OccupantNode {
  readonly kind: 'occupant';
  readonly dialogId: string;
  readonly userId: number;
}

export type DialogsTreeNode = DialogTypeNode | QBDialog | OccupantNode;

/** The order of the group nodes, and one node object per type so the tree keeps their identity. */
const TYPE_NODES: readonly DialogTypeNode[] = [DialogTypes.private, DialogTypes.group, DialogTypes.publicGroup].map((type) => ({ kind: 'type', type }));

export class DialogsTree implements vscode.TreeDataProvider<DialogsTreeNode>, vscode.Disposable {
  readonly view: vscode.TreeView<DialogsTreeNode>;
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

  getChildren(node?: DialogsTreeNode): DialogsTreeNode[] {
    if (!this.resolvedOnce) {
      this.resolvedOnce = true;
      this.onFirstResolve();
    }
    if (!node) {
      const dialogs = this.visibleDialogs();
      return TYPE_NODES.filter((t) => dialogs.some((d) => d.type === t.type));
    }
    if (isTypeNode(node)) return this.visibleDialogs().filter((d) => d.type === node.type);
    if (isOccupantNode(node)) return [];
    this.resolveNames(node.occupants_ids, 'occupants');
    return node.occupants_ids.map((userId) => ({ kind: 'occupant', dialogId: node._id, userId }));
  }

  getParent(node: DialogsTreeNode): DialogsTreeNode | undefined {
    if (isTypeNode(node)) return undefined;
    if (isOccupantNode(node)) return this.service.dialogs.find((d) => d._id === node.dialogId);
    return TYPE_NODES.find((t) => t.type === node.type);
  }

  getTreeItem(node: DialogsTreeNode): vscode.TreeItem {
    if (isTypeNode(node)) return this.typeItem(node);
    if (isOccupantNode(node)) return this.occupantItem(node);
    return this.dialogItem(node);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private typeItem(node: DialogTypeNode): vscode.TreeItem {
    const dialogs = this.visibleDialogs().filter((d) => d.type === node.type);
    const unread = dialogs.reduce((sum, d) => sum + d.unread_messages_count, 0);
    const item = new vscode.TreeItem(typeGroupName(node.type), vscode.TreeItemCollapsibleState.Expanded);
    item.id = `type:${node.type}`;
    item.description = unread > 0 ? `${dialogs.length} · ${unread} new` : String(dialogs.length);
    item.contextValue = ContextValues.dialogGroupNode;
    return item;
  }

  private dialogItem(dialog: QBDialog): vscode.TreeItem {
    const label = this.labels.label(dialog);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = dialog._id;
    item.description = describe(dialog);
    item.tooltip = tooltip(label, dialog);
    item.iconPath = new vscode.ThemeIcon(iconFor(dialog.type));
    const owner = dialog.user_id === this.service.me?.id ? `.${ContextValues.ownerSuffix}` : '';
    item.contextValue = `${ContextValues.dialogPrefix}.${typeKey(dialog.type)}${owner}`;
    item.command = { command: Commands.openConversation, title: 'Open Conversation', arguments: [dialog._id] };
    return item;
  }

  private occupantItem(node: OccupantNode): vscode.TreeItem {
    const me = this.service.me?.id;
    const dialog = this.service.dialogs.find((d) => d._id === node.dialogId);
    const item = new vscode.TreeItem(this.labels.userName(node.userId), vscode.TreeItemCollapsibleState.None);
    item.id = `${node.dialogId}/${node.userId}`;
    const roles = [node.userId === me ? 'you' : undefined, node.userId === dialog?.user_id ? 'owner' : undefined].filter(Boolean);
    item.description = roles.join(', ') || undefined;
    item.tooltip = `User id: ${node.userId}`;
    item.iconPath = new vscode.ThemeIcon('person');
    // The server lets only the owner of a group or public dialog remove others (ourselves: Leave).
    const removable = dialog !== undefined && dialog.type !== DialogTypes.private && dialog.user_id === me && node.userId !== me;
    item.contextValue = removable ? ContextValues.removableOccupant : ContextValues.occupant;
    return item;
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

  /** Occupant names are looked up when a dialog is expanded; the tree is redrawn once they arrive. */
  private resolveNames(userIds: readonly number[], what: string): void {
    this.labels.resolveUsers(userIds).then(
      (changed) => changed && this.changed.fire(),
      (error: unknown) => this.logger.warn(`Could not look up the names of the ${what}: ${errorMessage(error)}`),
    );
  }
}

function isTypeNode(node: DialogsTreeNode): node is DialogTypeNode {
  return 'kind' in node && node.kind === 'type';
}

function isOccupantNode(node: DialogsTreeNode): node is OccupantNode {
  return 'kind' in node && node.kind === 'occupant';
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
