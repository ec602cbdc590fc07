// "Inspect Message JSON" / "Inspect Dialog JSON" / "Inspect Message Stanzas": read-only virtual
// documents with the REST JSON as the server returns it to the signed-in user the URI names, and
// beside a message its stanzas from the stanza log of every signed-in user. The content is fetched
// whenever VS Code asks for it (opening, reopening) and on "Refresh"; nothing is kept per document
// except a refreshed text on its way to the editor.
import * as vscode from 'vscode';
import type { ChatSessions } from '../client/chatSessions';
import type { ChatServiceApi } from '../client/contracts';
import type { QBMessage } from '../shared/models';
import { isObjectId } from '../shared/objectId';
import { actingService, actingUserOf, dialogIdFrom, dialogTarget, reportFailure, requireOnline, type ActionDeps, type DialogArg } from './dialogActionsShared';
import { Commands, INSPECT_JSON_SCHEME, INSPECT_STANZA_SCHEME } from './ids';
import { inspectPath, inspectQuery, isStanzaId, parseInspectPath, parseInspectQuery, stanzaDocument, stanzasOfMessage, type InspectTarget } from './inspectTargets';

/** How many recent messages the palette's message pick offers. */
const RECENT_MESSAGES = 30;

/** A message as a command argument names it, with the user to act as when it says. */
interface MessageArg {
  dialogId: string;
  messageId: string;
  userId?: number;
}

export class InspectDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Text a refresh fetched (and so could report failing), handed to the read its change event causes. */
  private readonly refreshed = new Map<string, string>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly sessions: ChatSessions) {
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

  /** Opens the JSON as `userId` gets it (and, for a message with stanzas in the log, the stanzas beside it). */
  async open(target: Exclude<InspectTarget, { kind: 'stanza' }>, userId: number): Promise<vscode.TextEditor> {
    const editor = await this.show(uriOf(target, userId), vscode.ViewColumn.Active);
    if (target.kind === 'message' && stanzasOfMessage(this.sessions.stanzas(), target.messageId).length > 0) {
      await this.show(uriOf({ kind: 'stanza', messageId: target.messageId }), vscode.ViewColumn.Beside, true);
    }
    return editor;
  }

  /** Opens the stanzas of a message, from every signed-in user's log. */
  openStanzas(messageId: string): Promise<vscode.TextEditor> {
    return this.show(uriOf({ kind: 'stanza', messageId }), vscode.ViewColumn.Active);
  }

  /** The service a JSON document is fetched with; undefined when its user is not signed in (any more). */
  serviceOf(uri: vscode.Uri): ChatServiceApi | undefined {
    const named = parseInspectQuery(uri.query);
    return named && this.sessions.serviceFor(named.userId);
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
    if (target.kind === 'stanza') return stanzaDocument(stanzasOfMessage(this.sessions.stanzas(), target.messageId), target.messageId);
    const named = parseInspectQuery(uri.query);
    if (!named) throw new Error(`${uri.toString()} names no user to fetch it as; run "Inspect Message JSON" again`);
    const service = this.sessions.serviceFor(named.userId);
    if (!service) {
      throw new Error(`this document is fetched as user ${named.userId}, who is not signed in here any more; sign in as them again ("Sign In as Another User…"), then Refresh`);
    }
    return target.kind === 'dialog' ? service.dialogJson(target.dialogId) : service.messageJson(target.dialogId, target.messageId);
  }
}

function uriOf(target: InspectTarget, userId?: number): vscode.Uri {
  const scheme = target.kind === 'stanza' ? INSPECT_STANZA_SCHEME : INSPECT_JSON_SCHEME;
  return vscode.Uri.from({ scheme, path: inspectPath(target), query: userId === undefined ? '' : inspectQuery(userId) });
}

export function registerInspectCommands(deps: ActionDeps, documents: InspectDocuments): vscode.Disposable[] {
  const register = vscode.commands.registerCommand;
  return [
    register(Commands.inspectDialogJson, async (arg: DialogArg) => {
      const target = await dialogTarget(arg, deps, 'Inspect the JSON of which dialog?');
      const me = target?.service.me?.id;
      if (target && me !== undefined) await openReporting(deps, () => documents.open({ kind: 'dialog', dialogId: target.dialogId }, me));
    }),
    register(Commands.inspectMessageJson, async (first: unknown, second: unknown) => {
      const target = await messageToInspect(first, second, deps);
      if (target) await openReporting(deps, () => documents.open({ kind: 'message', dialogId: target.dialogId, messageId: target.messageId }, target.userId));
    }),
    register(Commands.inspectMessageStanza, async (first: unknown) => {
      // A named message needs nobody online: the log is here. A pick lists a dialog's history.
      const named = stanzaIdOf(first);
      const messageId = named ?? (await messageToInspect(undefined, undefined, deps))?.messageId;
      if (messageId) await openReporting(deps, () => documents.openStanzas(messageId));
    }),
    register(Commands.refreshInspectedDocument, async (uri: unknown) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!target || (target.scheme !== INSPECT_JSON_SCHEME && target.scheme !== INSPECT_STANZA_SCHEME)) {
        void vscode.window.showInformationMessage('QuickBlox: open an inspected dialog or message first ("Inspect Message JSON").');
        return;
      }
      // A user who is not signed in any more is said by the fetch itself, with what to do.
      const service = target.scheme === INSPECT_JSON_SCHEME ? documents.serviceOf(target) : undefined;
      if (service && !requireOnline(service, deps)) return;
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

/** The message a command names (or the palette picks), and the online user it is inspected as. */
async function messageToInspect(first: unknown, second: unknown, deps: ActionDeps): Promise<Required<MessageArg> | undefined> {
  const named = messageArgOf(first, second);
  // Without a message, only who acts counts: `{ userId }` picks from that user's dialogs.
  const userId = actingUserOf(first);
  const service = await actingService(named ?? (userId === undefined ? undefined : { userId }), deps);
  const me = service?.me?.id;
  if (!service || me === undefined) return undefined;
  const message = named ?? (await pickMessage(service, deps));
  return message && { dialogId: message.dialogId, messageId: message.messageId, userId: me };
}

/**
 * `(messageId, dialogId)`, `{ dialogId, messageId, userId? }` (the conversation panel's "Inspect"),
 * or a message object (`_id`, `chat_dialog_id`); undefined when neither, so the palette picks.
 */
function messageArgOf(first: unknown, second: unknown): MessageArg | undefined {
  let messageId: unknown = first;
  let dialogId: unknown = second;
  if (typeof first === 'object' && first !== null) {
    messageId = 'messageId' in first ? first.messageId : '_id' in first ? first._id : undefined;
    dialogId = 'dialogId' in first ? first.dialogId : 'chat_dialog_id' in first ? first.chat_dialog_id : undefined;
  }
  if (!isObjectId(messageId) || !isObjectId(dialogId)) return undefined;
  const userId = actingUserOf(first);
  return { messageId, dialogId, ...(userId !== undefined && { userId }) };
}

/** The stanza id `messageId` or `{ messageId }` names (any client's stanza id, not only an ObjectId). */
function stanzaIdOf(arg: unknown): string | undefined {
  const id = typeof arg === 'object' && arg !== null && 'messageId' in arg ? arg.messageId : arg;
  return isStanzaId(id) ? id : undefined;
}

/** From the palette: a dialog of `service`'s user, then one of its recent messages (listed without marking them read). */
async function pickMessage(service: ChatServiceApi, deps: ActionDeps): Promise<MessageArg | undefined> {
  const dialogId = await dialogIdFrom(undefined, service, deps, 'Inspect a message of which dialog?');
  if (!dialogId) return undefined;
  let messages: QBMessage[];
  try {
    messages = await service.loadMessages(dialogId, { limit: RECENT_MESSAGES, markAsRead: false });
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
