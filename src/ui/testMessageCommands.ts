// "Send Test Message…", "Send Saved Test Message…" and "Delete Saved Test Message…": pick a
// connection (any signed-in user), a dialog or user and a template, send it, open the conversation
// to see it arrive, and offer to save it. A script or test passes the whole request as the argument
// instead of picking, with `userId` naming the sender when several users are signed in.
import * as vscode from 'vscode';
import type { ChatServiceApi } from '../client/contracts';
import { DialogTypes } from '../shared/models';
import { actingService, actingUserOf, reportFailure, type ActionDeps } from './dialogActionsShared';
import { pickUsers } from './dialogActions';
import { Commands } from './ids';
import type { SavedTestMessages } from './testMessageStore';
import {
  attachmentOf,
  MAX_BURST,
  parseCustomParams,
  parseTestMessageRequest,
  planSends,
  type SavedTestMessage,
  type TemplateKind,
  type TestMessageSpec,
  type TestTarget,
} from './testMessageTemplates';

export interface TestMessageDeps extends ActionDeps {
  saved: SavedTestMessages;
  /** Opens the conversation as the user who sent. */
  openConversation(dialogId: string, userId: number | undefined): void;
}

/** What a send did, for the notification and for the caller (tests read it). */
export interface TestMessageResult {
  dialogId: string | undefined;
  sent: number;
  planned: number;
}

const TEMPLATES: { template: TemplateKind; label: string; detail: string }[] = [
  { template: 'text', label: '$(comment) Plain text', detail: 'A chat message over XMPP, saved to the history' },
  { template: 'attachment', label: '$(file-media) With attachment', detail: 'An <attachment> with a type and an id or URL' },
  { template: 'custom', label: '$(symbol-property) With custom parameters', detail: 'key=value pairs in <extraParams>' },
  { template: 'markable', label: '$(check-all) Markable', detail: 'Asks the recipient for delivered/read markers' },
  { template: 'burst', label: '$(flame) Burst of N messages', detail: `Up to ${MAX_BURST}, one after the other, cancellable` },
  { template: 'system', label: '$(bell) System notification', detail: 'A headline SystemNotifications message; not stored' },
  { template: 'rest', label: '$(globe) Over REST with send_to_chat', detail: 'POST /chat/Message.json, stored and delivered over XMPP' },
];

export function registerTestMessageCommands(deps: TestMessageDeps): vscode.Disposable[] {
  const register = vscode.commands.registerCommand;
  return [
    register(Commands.sendTestMessage, (arg: unknown) => sendTestMessage(arg, deps)),
    register(Commands.sendSavedTestMessage, (arg: unknown) => sendSaved(arg, deps)),
    register(Commands.deleteSavedTestMessage, (arg: unknown) => deleteSaved(arg, deps)),
  ];
}

async function sendTestMessage(arg: unknown, deps: TestMessageDeps): Promise<TestMessageResult | undefined> {
  const given = parseTestMessageRequest(arg);
  // A user's root in the tree names only the sender: the rest is asked.
  if (arg !== undefined && !given && actingUserOf(arg) === undefined) {
    void vscode.window.showErrorMessage('QuickBlox: that is not a test message request ({target, spec, userId?}); run "Send Test Message…" from the palette to build one.');
    return undefined;
  }
  const service = await pickConnection(deps, actingUserOf(arg));
  if (!service) return undefined;
  const request = given ?? (await askRequest(service, deps));
  if (!request) return undefined;
  const result = await send(service, request.target, request.spec, deps);
  if (result && given?.saveAs) await deps.saved.save({ name: given.saveAs, target: request.target, spec: request.spec });
  if (result && !given) offerToSave(request.target, request.spec, deps);
  return result;
}

async function sendSaved(arg: unknown, deps: TestMessageDeps): Promise<TestMessageResult | undefined> {
  const saved = typeof arg === 'string' ? deps.saved.find(arg) : await pickSaved(deps, 'Send which saved test message?');
  if (typeof arg === 'string' && !saved) {
    void vscode.window.showErrorMessage(`QuickBlox: there is no saved test message "${arg}"; "Send Test Message…" saves one after sending.`);
  }
  if (!saved) return undefined;
  const service = await pickConnection(deps, undefined);
  return service && send(service, saved.target, saved.spec, deps);
}

async function deleteSaved(arg: unknown, deps: TestMessageDeps): Promise<void> {
  const name = typeof arg === 'string' ? arg : (await pickSaved(deps, 'Delete which saved test message?'))?.name;
  if (name) await deps.saved.delete(name);
}

async function pickSaved(deps: TestMessageDeps, placeHolder: string): Promise<SavedTestMessage | undefined> {
  const saved = deps.saved.list();
  if (saved.length === 0) {
    void vscode.window.showInformationMessage('QuickBlox: no saved test messages yet; "Send Test Message…" offers to save one after sending.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    saved.map((s) => ({ label: s.name, description: TEMPLATES.find((t) => t.template === s.spec.kind)?.label.replace(/^\$\([^)]*\) /, ''), detail: s.spec.text, saved: s })),
    { placeHolder, matchOnDetail: true },
  );
  return picked?.saved;
}

/** The sender: the user `userId` names, else the one online, else a pick among the signed-in users online. */
function pickConnection(deps: TestMessageDeps, userId: number | undefined): Promise<ChatServiceApi | undefined> {
  return actingService(userId === undefined ? undefined : { userId }, deps, 'Send as which signed-in user?');
}

async function askRequest(service: ChatServiceApi, deps: TestMessageDeps): Promise<{ target: TestTarget; spec: TestMessageSpec } | undefined> {
  const target = await pickTarget(service, deps);
  if (!target) return undefined;
  const template = await vscode.window.showQuickPick(TEMPLATES, { title: 'Send Test Message (2/3)', placeHolder: 'Which template?', matchOnDetail: true });
  if (!template) return undefined;
  const spec = await askSpec(template.template);
  return spec && { target, spec };
}

async function pickTarget(service: ChatServiceApi, deps: TestMessageDeps): Promise<TestTarget | undefined> {
  const me = service.me?.id;
  await deps.labels.resolve(service.dialogs, me).catch(() => false);
  const dialogs = service.dialogs.map((d) => ({ label: deps.labels.label(d, me), description: d.type === DialogTypes.private ? 'private' : 'group', target: { dialogId: d._id } as TestTarget }));
  const aUser = { label: '$(person-add) A user…', description: 'their private dialog, created when missing', target: undefined };
  const picked = await vscode.window.showQuickPick([...dialogs, aUser], { title: 'Send Test Message (1/3)', placeHolder: 'To which dialog or user?' });
  if (!picked) return undefined;
  if (picked.target) return picked.target;
  const users = await pickUsers(service, deps, { title: 'Send Test Message (1/3)', placeHolder: 'To which user?', exclude: new Set([me ?? -1]), many: false });
  return users?.[0] === undefined ? undefined : { userId: users[0] };
}

async function askSpec(kind: TemplateKind): Promise<TestMessageSpec | undefined> {
  const title = 'Send Test Message (3/3)';
  const text = await vscode.window.showInputBox({
    title,
    prompt: kind === 'system' ? 'Body of the system notification' : kind === 'burst' ? 'Text of each message (numbered 1/N…)' : 'Message text',
    value: `Test message ${new Date().toLocaleTimeString()}`,
  });
  if (text === undefined) return undefined;
  const spec: TestMessageSpec = { kind, text };
  if (kind === 'attachment') {
    const type = await vscode.window.showQuickPick(['image', 'video', 'audio', 'file'], { title, placeHolder: 'Attachment type' });
    if (!type) return undefined;
    const idOrUrl = await vscode.window.showInputBox({ title, prompt: 'Attachment id (a content id) or URL', validateInput: (v) => (v.trim() ? undefined : 'Type an id or a URL') });
    if (!idOrUrl) return undefined;
    spec.attachment = attachmentOf(type, idOrUrl);
  }
  if (kind === 'custom' || kind === 'system') {
    const input = await vscode.window.showInputBox({
      title,
      prompt: 'Custom parameters: key=value, separated by commas' + (kind === 'system' ? ' (optional)' : ''),
      value: kind === 'custom' ? 'custom_param=value' : '',
      validateInput: (v) => {
        const parsed = parseCustomParams(v);
        return 'error' in parsed ? parsed.error : undefined;
      },
    });
    if (input === undefined) return undefined;
    const parsed = parseCustomParams(input);
    if ('error' in parsed) return undefined;
    spec.customParams = parsed;
  }
  if (kind === 'burst') {
    const count = await vscode.window.showInputBox({
      title,
      prompt: `How many messages (1–${MAX_BURST})?`,
      value: '20',
      validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= MAX_BURST ? undefined : `A whole number from 1 to ${MAX_BURST}`),
    });
    if (!count) return undefined;
    spec.count = Number(count);
  }
  return spec;
}

/** Sends with a progress notification (cancellable between messages), then opens the conversation. */
async function send(service: ChatServiceApi, target: TestTarget, spec: TestMessageSpec, deps: TestMessageDeps): Promise<TestMessageResult | undefined> {
  const plan = planSends(spec);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'QuickBlox: sending test message', cancellable: plan.length > 1 },
      async (progress, cancel) => {
        const dialogId = 'dialogId' in target ? target.dialogId : spec.kind === 'system' ? undefined : (await service.createPrivateDialog(target.userId))._id;
        let sent = 0;
        for (const step of plan) {
          if (cancel.isCancellationRequested) break;
          if (step.kind === 'system') {
            for (const userId of systemRecipients(service, target)) await service.sendSystemNotification(userId, { body: step.body, customParams: step.customParams });
          } else {
            await service.sendMessage(dialogId ?? '', step.text, step.options);
          }
          sent++;
          if (plan.length > 1) progress.report({ message: `${sent} of ${plan.length}`, increment: 100 / plan.length });
        }
        return { dialogId, sent, planned: plan.length };
      },
    );
    if (result.dialogId) deps.openConversation(result.dialogId, service.me?.id);
    const partly = result.sent < result.planned ? ` (cancelled: ${result.sent} of ${result.planned} sent)` : '';
    vscode.window.setStatusBarMessage(`$(check) QuickBlox: test message sent${partly}`, 4000);
    return result;
  } catch (error) {
    reportFailure(deps, 'Could not send the test message', error);
    return undefined;
  }
}

/** A system notification goes to a user: the one picked, or every other occupant of the dialog. */
function systemRecipients(service: ChatServiceApi, target: TestTarget): number[] {
  if ('userId' in target) return [target.userId];
  const dialog = service.dialogs.find((d) => d._id === target.dialogId);
  if (!dialog) throw new Error(`dialog ${target.dialogId} is not in the dialog list; refresh the dialogs`);
  return dialog.occupants_ids.filter((id) => id !== service.me?.id);
}

/** Not awaited: the command is done when the message is sent, whether or not anyone saves it. */
function offerToSave(target: TestTarget, spec: TestMessageSpec, deps: TestMessageDeps): void {
  void vscode.window.showInformationMessage('QuickBlox: test message sent.', 'Save for Later…').then(async (choice) => {
    if (!choice) return;
    const name = await vscode.window.showInputBox({
      prompt: 'Name of the saved test message (a saved one of the same name is replaced)',
      validateInput: (v) => (v.trim() ? undefined : 'Type a name'),
    });
    if (name) await deps.saved.save({ name: name.trim(), target, spec });
  });
}
