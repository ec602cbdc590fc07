// The Dialogs view's dialog commands beyond open/send/mark read: copy id, create, add or remove
// occupants, leave, delete for me / for everyone. Each acts as the user its tree item belongs to,
// works from the palette too (it then picks the user, when several are signed in, and the dialog),
// and from scripts and tests with explicit arguments (see ActionOptions).
import * as vscode from 'vscode';
import type { ChatServiceApi, NewDialog } from '../client/contracts';
import { DialogTypes, type DialogType, type QBDialog, type QBUser } from '../shared/models';
import { displayName } from '../shared/users';
import { isObjectId } from '../shared/objectId';
import { actingService, actingUserOf, dialogIdFrom, dialogIdOf, dialogTarget, reportFailure, type ActionDeps, type DialogArg } from './dialogActionsShared';
import { Commands } from './ids';

/**
 * The optional second argument: the users to add or remove instead of a pick, and `confirmed` to
 * skip the confirmation of a destructive action (a keybinding or a test that already decided).
 */
interface ActionOptions {
  userIds?: number[];
  confirmed: boolean;
}

export function registerDialogActions(deps: ActionDeps): vscode.Disposable[] {
  const register = vscode.commands.registerCommand;
  return [
    register(Commands.copyDialogId, (arg: DialogArg) => copyDialogId(arg, deps)),
    register(Commands.createDialog, (arg: unknown) => createDialog(arg, deps)),
    register(Commands.addOccupants, (arg: DialogArg, options: unknown) => addOccupants(arg, actionOptions(options), deps)),
    register(Commands.removeOccupants, (arg: DialogArg, options: unknown) => removeOccupants(arg, actionOptions(options), deps)),
    register(Commands.leaveDialog, (arg: DialogArg, options: unknown) => leaveDialog(arg, actionOptions(options), deps)),
    register(Commands.deleteDialogForMe, (arg: DialogArg, options: unknown) => deleteDialog(arg, actionOptions(options), false, deps)),
    register(Commands.deleteDialogForEveryone, (arg: DialogArg, options: unknown) => deleteDialog(arg, actionOptions(options), true, deps)),
  ];
}

function actionOptions(value: unknown): ActionOptions {
  if (typeof value !== 'object' || value === null) return { confirmed: false };
  const userIds = 'userIds' in value && Array.isArray(value.userIds) ? value.userIds.filter((id): id is number => Number.isSafeInteger(id)) : undefined;
  return { userIds, confirmed: 'confirmed' in value && value.confirmed === true };
}

async function copyDialogId(arg: DialogArg, deps: ActionDeps): Promise<void> {
  // A tree item's id is copied as it is, online or not; only a pick needs a user.
  const given = dialogIdOf(arg);
  const dialogId = isObjectId(given) ? given : (await dialogTarget(arg, deps, 'Copy the id of which dialog?'))?.dialogId;
  if (!dialogId) return;
  await vscode.env.clipboard.writeText(dialogId);
  vscode.window.setStatusBarMessage(`$(check) QuickBlox: copied dialog id ${dialogId}`, 3000);
}

/**
 * From the view title (or a user's root in the tree): type, name and occupants, asked in that order;
 * or all of them as the argument, with `userId` naming who creates it when several are signed in.
 */
async function createDialog(arg: unknown, deps: ActionDeps): Promise<QBDialog | undefined> {
  // Only the user part of the argument counts here: a new dialog has no id to match yet.
  const userId = actingUserOf(arg);
  const service = await actingService(userId === undefined ? undefined : { userId }, deps);
  if (!service) return undefined;
  const dialog = newDialogFrom(arg) ?? (await askNewDialog(service, deps));
  if (!dialog) return undefined;
  try {
    const created = await service.createDialog(dialog);
    vscode.window.setStatusBarMessage(`$(check) QuickBlox: dialog "${deps.labels.label(created, service.me?.id)}" created`, 3000);
    return created;
  } catch (error) {
    reportFailure(deps, 'Could not create the dialog', error);
    return undefined;
  }
}

function newDialogFrom(arg: unknown): NewDialog | undefined {
  if (typeof arg !== 'object' || arg === null || !('type' in arg) || !('occupantIds' in arg)) return undefined;
  const { type, occupantIds } = arg;
  const name = 'name' in arg && typeof arg.name === 'string' ? arg.name : undefined;
  if (!isDialogType(type) || !Array.isArray(occupantIds) || !occupantIds.every((id) => Number.isSafeInteger(id))) return undefined;
  return { type, name, occupantIds: occupantIds as number[] };
}

function isDialogType(value: unknown): value is DialogType {
  return value === DialogTypes.private || value === DialogTypes.group || value === DialogTypes.publicGroup;
}

async function askNewDialog(service: ChatServiceApi, deps: ActionDeps): Promise<NewDialog | undefined> {
  const kind = await vscode.window.showQuickPick(
    [
      { label: '$(person) Private', description: 'one other user; the server returns the existing dialog', type: DialogTypes.private },
      { label: '$(organization) Group', description: 'only the occupants may read and write', type: DialogTypes.group },
      { label: '$(broadcast) Public group', description: 'every user of the application may join', type: DialogTypes.publicGroup },
    ],
    { title: 'Create Dialog (1/3)', placeHolder: 'Which kind of dialog?' },
  );
  if (!kind) return undefined;
  let name: string | undefined;
  if (kind.type !== DialogTypes.private) {
    name = await vscode.window.showInputBox({
      title: 'Create Dialog (2/3)',
      prompt: 'Name of the dialog',
      validateInput: (value) => (!value.trim() ? 'Type a name' : value.length > 200 ? 'At most 200 characters' : undefined),
    });
    if (!name) return undefined;
  }
  const users = await pickUsers(service, deps, {
    title: 'Create Dialog (3/3)',
    placeHolder: kind.type === DialogTypes.private ? 'With which user?' : 'Occupants besides you',
    exclude: new Set([service.me?.id ?? -1]),
    many: kind.type !== DialogTypes.private,
  });
  if (!users || (users.length === 0 && kind.type !== DialogTypes.publicGroup)) return undefined;
  return { type: kind.type, name: name?.trim(), occupantIds: users };
}

async function addOccupants(arg: DialogArg, options: ActionOptions, deps: ActionDeps): Promise<void> {
  const target = await dialogOf(arg, deps, 'Add occupants to which dialog?', () => (d) => d.type !== DialogTypes.private);
  if (!target) return;
  const { service, dialog, label } = target;
  if (dialog.type === DialogTypes.private) {
    void vscode.window.showWarningMessage('QuickBlox: a private dialog has exactly two occupants; create a group dialog instead.');
    return;
  }
  const userIds =
    options.userIds ??
    (await pickUsers(service, deps, { title: `Add to "${label}"`, placeHolder: 'Users to add', exclude: new Set(dialog.occupants_ids), many: true }));
  if (!userIds?.length) return;
  await updateOccupants(target, deps, { add: userIds }, `added ${userIds.length} occupant${userIds.length === 1 ? '' : 's'}`);
}

async function removeOccupants(arg: DialogArg, options: ActionOptions, deps: ActionDeps): Promise<void> {
  const target = await dialogOf(arg, deps, 'Remove occupants from which dialog?', (me) => (d) => d.type !== DialogTypes.private && d.user_id === me);
  if (!target) return;
  const { dialog, label, me } = target;
  // An occupant node names its occupant; a dialog asks which.
  const fromNode = typeof arg === 'object' && arg !== null && 'occupantId' in arg && Number.isSafeInteger(arg.occupantId) ? [arg.occupantId as number] : undefined;
  let userIds = options.userIds ?? fromNode;
  if (!userIds) {
    const others = dialog.occupants_ids.filter((id) => id !== me);
    await deps.labels.resolveUsers(others).catch(() => false);
    const picked = await vscode.window.showQuickPick(
      others.map((id) => ({ label: deps.labels.userName(id), description: `id ${id}`, id })),
      { title: `Remove from "${label}"`, placeHolder: 'Occupants to remove', canPickMany: true },
    );
    userIds = picked?.map((p) => p.id);
  }
  if (!userIds?.length) return;
  const names = userIds.map((id) => deps.labels.userName(id)).join(', ');
  if (!options.confirmed && !(await confirm(`Remove ${names} from "${label}"?`, 'Remove'))) return;
  await updateOccupants(target, deps, { remove: userIds }, `removed ${names}`);
}

/** Leaving a group is removing ourselves from its occupants (`pull_all`), as the SDK does. */
async function leaveDialog(arg: DialogArg, options: ActionOptions, deps: ActionDeps): Promise<void> {
  const target = await dialogOf(arg, deps, 'Leave which group?', () => (d) => d.type === DialogTypes.group);
  if (!target) return;
  const { dialog, label, me } = target;
  if (dialog.type !== DialogTypes.group) {
    void vscode.window.showWarningMessage('QuickBlox: only group dialogs can be left; delete this dialog for yourself instead.');
    return;
  }
  if (!options.confirmed && !(await confirm(`Leave "${label}"? You will no longer get its messages.`, 'Leave'))) return;
  await updateOccupants(target, deps, { remove: [me] }, `left "${label}"`);
}

async function deleteDialog(arg: DialogArg, options: ActionOptions, forEveryone: boolean, deps: ActionDeps): Promise<void> {
  const placeHolder = forEveryone ? 'Delete which dialog for everyone?' : 'Delete which dialog for you?';
  const target = await dialogOf(arg, deps, placeHolder, (me) => (d) => !forEveryone || d.user_id === me);
  if (!target) return;
  const { service, dialog, label } = target;
  const question = forEveryone
    ? `Delete "${label}" for everyone? Its history is deleted for all occupants; this cannot be undone.`
    : `Delete "${label}" for you? ${dialog.type === DialogTypes.group ? 'You leave the group.' : 'It comes back with the next message.'}`;
  if (!options.confirmed && !(await confirm(question, 'Delete'))) return;
  try {
    await service.deleteDialog(dialog._id, { forEveryone });
    vscode.window.setStatusBarMessage(`$(check) QuickBlox: deleted "${label}"`, 3000);
  } catch (error) {
    reportFailure(deps, `Could not delete "${label}"`, error);
  }
}

/** A listed dialog as one signed-in user sees it. */
interface UsersDialog {
  service: ChatServiceApi;
  me: number;
  dialog: QBDialog;
  label: string;
}

async function updateOccupants({ service, dialog, label }: UsersDialog, deps: ActionDeps, changes: { add?: number[]; remove?: number[] }, done: string): Promise<void> {
  try {
    await service.updateOccupants(dialog._id, changes);
    vscode.window.setStatusBarMessage(`$(check) QuickBlox: ${done}`, 3000);
  } catch (error) {
    reportFailure(deps, `Could not change the occupants of "${label}"`, error);
  }
}

/**
 * The listed dialog a command acts on, and the user it acts as; one the list does not have is
 * reported, not guessed. `filter` gets the acting user's id and says which dialogs a pick offers.
 */
async function dialogOf(
  arg: DialogArg,
  deps: ActionDeps,
  placeHolder: string,
  filter: (me: number) => (d: QBDialog) => boolean,
): Promise<UsersDialog | undefined> {
  const service = await actingService(arg, deps);
  const me = service?.me?.id;
  if (!service || me === undefined) return undefined;
  const dialogId = await dialogIdFrom(arg, service, deps, placeHolder, filter(me));
  if (!dialogId) return undefined;
  const dialog = service.dialogs.find((d) => d._id === dialogId);
  if (!dialog) {
    void vscode.window.showErrorMessage(`QuickBlox: dialog ${dialogId} is not in ${service.me?.login ?? 'this user'}'s dialog list; refresh the dialogs and try again.`);
    return undefined;
  }
  return { service, me, dialog, label: deps.labels.label(dialog, me) };
}

/** A modal question: destructive actions are not undone by a toast going away. */
async function confirm(question: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(question, { modal: true }, action)) === action;
}

/** The application's users as a pick (the local server's, or the cloud application's first 100), listed by `service`. */
export async function pickUsers(
  service: ChatServiceApi,
  deps: Pick<ActionDeps, 'logger'>,
  options: { title: string; placeHolder: string; exclude: ReadonlySet<number>; many: boolean },
): Promise<number[] | undefined> {
  let users: QBUser[];
  try {
    users = (await service.listUsers()).filter((u) => !options.exclude.has(u.id));
  } catch (error) {
    reportFailure(deps, 'Could not list the users', error);
    return undefined;
  }
  if (users.length === 0) {
    void vscode.window.showInformationMessage('QuickBlox: there are no other users to pick; create users in the application first.');
    return undefined;
  }
  const items = users.map((u) => ({ label: displayName(u), description: `id ${u.id}${u.login ? ` · ${u.login}` : ''}`, id: u.id }));
  const base = { title: options.title, placeHolder: options.placeHolder, matchOnDescription: true };
  if (options.many) return (await vscode.window.showQuickPick(items, { ...base, canPickMany: true }))?.map((i) => i.id);
  const one = await vscode.window.showQuickPick(items, base);
  return one ? [one.id] : undefined;
}
