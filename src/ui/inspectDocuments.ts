// "Inspect Message JSON" / "Inspect Dialog JSON": read-only virtual documents with the REST JSON as
// the server returns it, and beside a message its stanzas from the stanza log. The content is
// fetched whenever VS Code asks for it (opening, reopening) and on "Refresh"; nothing is kept per
// document except a refreshed text on its way to the editor.
import * as vscode from 'vscode';
import type { ChatServiceApi } from '../client/contracts';
import type { QBMessage } from '../shared/models';
import { isObjectId } from '../shared/objectId';
import { dialogIdFrom, reportFailure, requireOnline, type ActionDeps, type DialogArg } from './dialogActionsShared';
import { Commands, INSPECT_JSON_SCHEME, INSPECT_STANZA_SCHEME } from './ids';
import { inspectPath, parseInspectPath, stanzaDocument, stanzasOfMessage, type InspectTarget } from './inspectTargets';

/** How many recent messages the palette's message pick offers. */
const RECENT_MESSAGES = 30;

export class InspectDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Text a refresh fetched (and so could report failing), handed to the read its change event causes. */
  private readonly refreshed = new Map<string, string>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly service: ChatServiceApi) {
    this.disposables = [
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(INSPECT_JSON_SCHEME, this),
      vscode.workspace.registerTextDocumentContentProvider(INSPECT_STANZA_SCHEME, this),
      vscode.workspace.onDidCloseTextDocument((doc) => this.refreshed.delete(doc.uri.toString())),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const key = uri.toString();
    const text = this.refreshed.get(key);
    this.refreshed.delete(key);
    return text !== undefined ? Promise.resolve(text) : this.load(uri);
  }

  /** Opens the JSON (and, for a message with stanzas in the log, the stanzas beside it). */
  async open(target: Exclude<InspectTarget, { kind: 'stanza' }>): Promise<vscode.TextEditor> {
    const editor = await this.show(uriOf(target), vscode.ViewColumn.Active);
    if (target.kind === 'message' && stanzasOfMessage(this.service.stanzas(), target.messageId).length > 0) {
      await this.show(uriOf({ kind: 'stanza', messageId: target.messageId }), vscode.ViewColumn.Beside, true);
    }
    return editor;
  }

  /** Fetches again; a failure is reported and leaves the document as it was. */
  async refresh(uri: vscode.Uri): Promise<void> {
    const text = await this.load(uri);
    this.refreshed.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  dispose(): void {
    this.refreshed.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private async show(uri: vscode.Uri, viewColumn: vscode.ViewColumn, preserveFocus = false): Promise<vscode.TextEditor> {
    let doc = await vscode.workspace.openTextDocument(uri);
    // The extension picks the language, unless the user's files.associations says otherwise.
    const language = uri.scheme === INSPECT_JSON_SCHEME ? 'json' : 'xml';
    if (doc.languageId !== language) doc = await vscode.languages.setTextDocumentLanguage(doc, language);
    return vscode.window.showTextDocument(doc, { viewColumn, preserveFocus, preview: false });
  }

  private async load(uri: vscode.Uri): Promise<string> {
    const target = parseInspectPath(uri.path);
    const scheme = target?.kind === 'stanza' ? INSPECT_STANZA_SCHEME : INSPECT_JSON_SCHEME;
    if (!target || uri.scheme !== scheme) throw new Error(`${uri.toString()} names no dialog or message; run "Inspect Message JSON" again`);
    switch (target.kind) {
      case 'dialog':
        return this.service.dialogJson(target.dialogId);
      case 'message':
        return this.service.messageJson(target.dialogId, target.messageId);
      case 'stanza':
        return stanzaDocument(stanzasOfMessage(this.service.stanzas(), target.messageId), target.messageId);
    }
  }
}

function uriOf(target: InspectTarget): vscode.Uri {
  return vscode.Uri.from({ scheme: target.kind === 'stanza' ? INSPECT_STANZA_SCHEME : INSPECT_JSON_SCHEME, path: inspectPath(target) });
}

export function registerInspectCommands(deps: ActionDeps, documents: InspectDocuments): vscode.Disposable[] {
  const register = vscode.commands.registerCommand;
  return [
    register(Commands.inspectDialogJson, async (arg: DialogArg) => {
      if (!requireOnline(deps)) return;
      const dialogId = await dialogIdFrom(arg, deps, 'Inspect the JSON of which dialog?');
      if (dialogId) await openReporting(deps, () => documents.open({ kind: 'dialog', dialogId }));
    }),
    register(Commands.inspectMessageJson, async (first: unknown, second: unknown) => {
      if (!requireOnline(deps)) return;
      const target = messageTargetOf(first, second) ?? (await pickMessage(deps));
      if (target) await openReporting(deps, () => documents.open({ kind: 'message', ...target }));
    }),
    register(Commands.refreshInspectedDocument, async (uri: unknown) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!target || (target.scheme !== INSPECT_JSON_SCHEME && target.scheme !== INSPECT_STANZA_SCHEME)) {
        void vscode.window.showInformationMessage('QuickBlox: open an inspected dialog or message first ("Inspect Message JSON").');
        return;
      }
      if (target.scheme === INSPECT_JSON_SCHEME && !requireOnline(deps)) return;
      try {
        await documents.refresh(target);
      } catch (error) {
        reportFailure(deps, 'Could not refresh the document', error);
      }
    }),
  ];
}

/** Opening fetches; a fetch that fails is said once, with what to do. */
async function openReporting(deps: ActionDeps, open: () => Promise<unknown>): Promise<void> {
  try {
    await open();
  } catch (error) {
    reportFailure(deps, 'Could not inspect it', error);
  }
}

/**
 * `(messageId, dialogId)` or `{ messageId, dialogId }` (the conversation panel's "Inspect JSON"),
 * or a message object (`_id`, `chat_dialog_id`); undefined when neither, so the palette picks.
 */
function messageTargetOf(first: unknown, second: unknown): { dialogId: string; messageId: string } | undefined {
  let messageId: unknown = first;
  let dialogId: unknown = second;
  if (typeof first === 'object' && first !== null) {
    messageId = 'messageId' in first ? first.messageId : '_id' in first ? first._id : undefined;
    dialogId = 'dialogId' in first ? first.dialogId : 'chat_dialog_id' in first ? first.chat_dialog_id : undefined;
  }
  return isObjectId(messageId) && isObjectId(dialogId) ? { messageId, dialogId } : undefined;
}

/** From the palette: a dialog, then one of its recent messages (listed without marking them read). */
async function pickMessage(deps: ActionDeps): Promise<{ dialogId: string; messageId: string } | undefined> {
  const dialogId = await dialogIdFrom(undefined, deps, 'Inspect a message of which dialog?');
  if (!dialogId) return undefined;
  let messages: QBMessage[];
  try {
    messages = await deps.service.loadMessages(dialogId, { limit: RECENT_MESSAGES, markAsRead: false });
  } catch (error) {
    reportFailure(deps, 'Could not list the messages', error);
    return undefined;
  }
  if (messages.length === 0) {
    void vscode.window.showInformationMessage('QuickBlox: this dialog has no messages yet.');
    return undefined;
  }
  const senders = [...new Set(messages.map((m) => m.sender_id))];
  await deps.labels.resolveUsers(senders).catch(() => false);
  const picked = await vscode.window.showQuickPick(
    [...messages].reverse().map((m) => ({
      label: m.message?.replace(/\s+/g, ' ') || (m.attachments.length ? '(attachment)' : '(no text)'),
      description: `${deps.labels.userName(m.sender_id)} · ${new Date(m.date_sent * 1000).toLocaleString()}`,
      detail: m._id,
      messageId: m._id,
    })),
    { placeHolder: 'Inspect which message? (newest first)', matchOnDescription: true, matchOnDetail: true },
  );
  return picked && { dialogId, messageId: picked.messageId };
}
