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
  sendTestMessage: 'quickblox.sendTestMessage',
  startLocalServer: 'quickblox.startLocalServer',
  stopLocalServer: 'quickblox.stopLocalServer',
  showLog: 'quickblox.showLog',
  configureCloudProfile: 'quickblox.configureCloudProfile',
  forgetCloudSecrets: 'quickblox.forgetCloudSecrets',
} as const;

export const DIALOGS_VIEW_ID = 'quickblox.dialogs';
export const CONVERSATION_VIEW_TYPE = 'quickblox.conversation';
export const STANZA_CONSOLE_VIEW_TYPE = 'quickblox.stanzaConsole';
/** Matched by `viewItem == dialog` in the `view/item/context` menus. */
export const DIALOG_CONTEXT_VALUE = 'dialog';
/** Set from the connection state; read by the `when` clauses of views, menus and the welcome view. */
export const CONNECTION_STATE_CONTEXT_KEY = 'quickblox.connectionState';
