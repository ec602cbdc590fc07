// The identifiers package.json contributes, in one place: code and manifest must spell them alike.
export const Commands = {
  connect: 'quickblox.connect',
  disconnect: 'quickblox.disconnect',
  refreshDialogs: 'quickblox.refreshDialogs',
  openConversation: 'quickblox.openConversation',
  sendMessage: 'quickblox.sendMessage',
  markDialogRead: 'quickblox.markDialogRead',
  showStanzaConsole: 'quickblox.showStanzaConsole',
  inspectMessageJson: 'quickblox.inspectMessageJson',
  inspectMessageStanza: 'quickblox.inspectMessageStanza',
  inspectDialogJson: 'quickblox.inspectDialogJson',
  refreshInspectedDocument: 'quickblox.refreshInspectedDocument',
  sendTestMessage: 'quickblox.sendTestMessage',
  sendSavedTestMessage: 'quickblox.sendSavedTestMessage',
  deleteSavedTestMessage: 'quickblox.deleteSavedTestMessage',
  createDialog: 'quickblox.createDialog',
  copyDialogId: 'quickblox.copyDialogId',
  addOccupants: 'quickblox.addOccupants',
  removeOccupants: 'quickblox.removeOccupants',
  leaveDialog: 'quickblox.leaveDialog',
  deleteDialogForMe: 'quickblox.deleteDialogForMe',
  deleteDialogForEveryone: 'quickblox.deleteDialogForEveryone',
  startLocalServer: 'quickblox.startLocalServer',
  stopLocalServer: 'quickblox.stopLocalServer',
  showLog: 'quickblox.showLog',
  configureCloudProfile: 'quickblox.configureCloudProfile',
  forgetCloudSecrets: 'quickblox.forgetCloudSecrets',
  signInAsAnotherUser: 'quickblox.signInAsAnotherUser',
  signOutUser: 'quickblox.signOutUser',
} as const;

export const DIALOGS_VIEW_ID = 'quickblox.dialogs';
export const CONVERSATION_VIEW_TYPE = 'quickblox.conversation';
export const STANZA_CONSOLE_VIEW_TYPE = 'quickblox.stanzaConsole';
/**
 * Tree item contextValues, matched by the `view/item/context` when clauses: a dialog is
 * `dialog.<private|group|public>`, with `.owner` appended when its user owns it (only the owner
 * deletes for everyone or removes others); an occupant is `occupant`, or `occupant.removable` when
 * its user may remove it; a user (a root while several are signed in) is `user.primary` or
 * `user.additional` (only additional users sign out on their own).
 */
export const ContextValues = {
  primaryUser: 'user.primary',
  additionalUser: 'user.additional',
  dialogGroupNode: 'dialogType',
  dialogPrefix: 'dialog',
  ownerSuffix: 'owner',
  occupant: 'occupant',
  removableOccupant: 'occupant.removable',
} as const;
/** Read-only virtual documents of "Inspect … JSON": the REST JSON, and the stanza beside it. */
export const INSPECT_JSON_SCHEME = 'quickblox-json';
export const INSPECT_STANZA_SCHEME = 'quickblox-stanza';
/** workspaceState key of the saved test messages. */
export const SAVED_TEST_MESSAGES_KEY = 'quickblox.savedTestMessages';
/** Set from the connection state; read by the `when` clauses of views, menus and the welcome view. */
export const CONNECTION_STATE_CONTEXT_KEY = 'quickblox.connectionState';
/** How many users are signed in besides the profile's (Sign Out User… is offered when > 0). */
export const ADDITIONAL_USERS_CONTEXT_KEY = 'quickblox.additionalUsers';
/** workspaceState key of the additional users to sign in again after Connect (logins, never passwords). */
export const ADDITIONAL_USERS_KEY = 'quickblox.additionalUsers';
