// XEP-0308 Last Message Correction. A chat message with `<replace id="X"/>` from the original
// sender replaces the stored text of message X (found by its `_id` or by the stanza id it was sent
// with) and is routed like any chat message, so REST history shows the new text; it is never stored
// as a message of its own. From anyone else it is refused. A correction of a message the server
// never stored is only routed: the recipient may still hold the original.
import { NS } from '../../../shared/stanza';
import type { StanzaContext, XmppModule, ModuleContext } from '../router';

export const correction: XmppModule = ({ host }) => {
  host.features.add(NS.correction);
};

export function isCorrection(ctx: StanzaContext): boolean {
  return ctx.stanza.getChild('replace', NS.correction) !== undefined;
}

/** Applies the correction in the store; false after refusing it with an error. */
export function applyCorrection({ router, store }: Pick<ModuleContext, 'router' | 'store'>, ctx: StanzaContext, recipientId: number): boolean {
  const { session, stanza } = ctx;
  const id = stanza.getChild('replace', NS.correction)?.attrs.id;
  if (!id) {
    router.fail(ctx, 'bad-request', '<replace/> names the corrected message in its id');
    return false;
  }
  const dialog = store.findPrivateDialog(session.userId, recipientId);
  const byId = store.getMessage(id);
  const original = byId ?? (dialog ? store.findMessageByStanzaId(dialog.id, id) : undefined);
  if (!original) return true;
  if (original.senderId !== session.userId || original.dialogId !== dialog?.id) {
    router.fail(ctx, 'forbidden', 'Only the sender of a message may correct it');
    return false;
  }
  const body = stanza.getChildText('body');
  if (body !== null) {
    store.editMessage(original.id, body);
    router.report(session, stanza, 'stored', `corrected message ${original.id}`);
  }
  return true;
}
