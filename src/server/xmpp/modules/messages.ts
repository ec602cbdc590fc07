// 1:1 chat (RFC 6121 §8, protocol spec §7.5): the stanza is routed to the recipient's available
// resources with `from` stamped by the router. With `<save_to_history>1</save_to_history>` it is
// first stored, and the routed copy's extraParams gain the stored `message_id`, `date_sent` and
// `dialog_id`, which the SDK hands to the receiving app as `extension.*`. Chat markers (XEP-0333,
// spec §7.6) move the marker sender's read/delivered state in the store and are then routed
// unchanged; chat states are only routed. Neither is ever stored as a message.
import type { Element } from '@xmpp/xml';
import { bareJid, parseUserJid, userJid } from '../../../shared/jid';
import { isCustomParam } from '../../../shared/messageFields';
import { DialogTypes } from '../../../shared/models';
import { isObjectId } from '../../../shared/objectId';
import { cloneElement, NS, readExtraParams, setExtraParam } from '../../../shared/stanza';
import type { ChatStore, DialogRecord, MessageRecord, MessageTarget } from '../../store/chatStore';
import type { Router, StanzaContext, XmppModule } from '../router';

/**
 * The spec's rule for this project (§7.5): a client `date_sent` within this many seconds of the
 * server clock is kept, otherwise the server's time is stored. The SDK stamps its own clock, which
 * is close but never exact; a far-off value is a wrong clock and would misorder the history.
 */
const DATE_SENT_TOLERANCE_S = 5;

export const messages: XmppModule = ({ router, host, store, appId, logger }) => {
  const onChat = (ctx: StanzaContext): boolean => {
    const { session, stanza } = ctx;
    if (stanza.attrs.type !== 'chat') return false;
    const recipient = parseUserJid(ctx.to);
    // RFC 6121 §8.5.1: a message to an account that does not exist gets <service-unavailable/>.
    if (!recipient || recipient.appId !== appId || !store.getUser(recipient.userId)) {
      router.fail(ctx, 'service-unavailable', 'No such user');
      return true;
    }

    const routed = cloneElement(stanza);
    const marker = markerOf(stanza);
    if (marker) {
      applyMarker(router, store, ctx, recipient.userId, marker);
    } else if (isStorable(stanza)) {
      // The store would refuse it anyway; saying why beats an internal-server-error.
      if (recipient.userId === session.userId) {
        router.fail(ctx, 'bad-request', 'a private dialog needs two different users');
        return true;
      }
      let stored: MessageRecord;
      try {
        stored = persist(store, stanza, session.userId, recipient.userId);
      } catch (error) {
        logger.error(error instanceof Error ? error : String(error));
        router.fail(ctx, 'internal-server-error', 'The message could not be saved');
        return true;
      }
      setExtraParam(routed, 'message_id', stored.id);
      setExtraParam(routed, 'date_sent', stored.dateSent);
      setExtraParam(routed, 'dialog_id', stored.dialogId);
      router.report(session, stanza, 'stored', `message ${stored.id} in dialog ${stored.dialogId}`);
    }

    // RFC 6121 §8.5.3.2.1: a full JID reaches that resource if it is available, otherwise it is
    // treated like the bare JID, which reaches every available resource (§8.5.2.1.1).
    const addressed = ctx.target === 'full' ? router.resource(ctx.to) : undefined;
    const bare = userJid(recipient.userId, appId, host.domain);
    const targets = addressed?.available ? [addressed] : router.availableResources(bare);
    if (targets.length === 0) {
      router.report(session, stanza, 'dropped-offline', `${bareJid(ctx.to)} has no available resource`);
      return true;
    }
    for (const target of targets) router.deliver(target, routed, `from ${session.jid}`);
    router.report(session, stanza, 'routed', targets.map((t) => t.jid).join(', '));
    return true;
  };
  host.on('message/bare', onChat);
  host.on('message/full', onChat);
};

interface Marker {
  kind: 'received' | 'displayed';
  /** The marked message: its stored `_id` or the id of the stanza it came in. */
  messageId: string;
}

function markerOf(stanza: Element): Marker | undefined {
  for (const kind of ['received', 'displayed'] as const) {
    const messageId = stanza.getChild(kind, NS.markers)?.attrs.id;
    if (messageId) return { kind, messageId };
  }
  return undefined;
}

/**
 * Records the marker for its sender in the dialog its extraParams name (the SDK always sends it, also
 * for group dialogs), else the pair's private dialog. Only an occupant can mark; a marker for a message
 * the store does not know changes nothing and is still routed, as the recipient may know it.
 */
function applyMarker(router: Router, store: ChatStore, ctx: StanzaContext, recipientId: number, marker: Marker): void {
  const { session, stanza } = ctx;
  const named = readExtraParams(stanza).params.dialog_id;
  const dialog = isObjectId(named) ? store.getDialog(named) : store.findPrivateDialog(session.userId, recipientId);
  if (!dialog?.occupantIds.includes(session.userId)) return;
  const ids = [marker.messageId];
  const changed =
    marker.kind === 'displayed' ? store.markRead(session.userId, dialog.id, ids) : store.markDelivered(session.userId, dialog.id, ids);
  if (changed > 0) router.report(session, stanza, 'stored', `${marker.kind} ${marker.messageId} in dialog ${dialog.id}`);
}

/** save_to_history=1, unless the stanza is a marker or a bare chat-state notification. */
function isStorable(stanza: Element): boolean {
  if (readExtraParams(stanza).params.save_to_history !== '1') return false;
  const children = stanza.getChildElements();
  const marker = children.some((c) => c.getNS() === NS.markers && c.name !== 'markable');
  const chatStateOnly = !stanza.getChild('body') && children.some((c) => c.getNS() === NS.chatStates);
  return !marker && !chatStateOnly;
}

function persist(store: ChatStore, stanza: Element, senderId: number, recipientId: number): MessageRecord {
  const { params, attachments } = readExtraParams(stanza);

  // A 1:1 message belongs to the pair's private dialog; a client-named dialog is taken only when it is
  // exactly that dialog, so a sender cannot file a message into a dialog the recipient does not share.
  const requested = isObjectId(params.dialog_id) ? store.getDialog(params.dialog_id) : undefined;
  const target: MessageTarget =
    requested && isPrivateDialogOf(requested, senderId, recipientId)
      ? { dialogId: requested.id }
      : { privateWith: recipientId };

  const now = Math.floor(Date.now() / 1000);
  const claimed = Math.trunc(Number(params.date_sent));
  const dateSent = params.date_sent && Math.abs(claimed - now) <= DATE_SENT_TOLERANCE_S ? claimed : now;

  const customParams: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) if (isCustomParam(name)) customParams[name] = value;

  // The stanza id becomes the stored id when it can be one; otherwise it is kept beside the stored id.
  // Either way a marker citing the stanza id finds the message.
  const stanzaId = stanza.attrs.id;
  const idUsable = isObjectId(stanzaId) && !store.getMessage(stanzaId);
  return store.createMessage({
    ...target,
    senderId,
    body: stanza.getChildText('body'),
    dateSent,
    attachments,
    customParams,
    markable: Boolean(stanza.getChild('markable', NS.markers)),
    id: idUsable ? stanzaId : undefined,
    stanzaId: idUsable ? undefined : stanzaId,
  });
}

function isPrivateDialogOf(dialog: DialogRecord, userA: number, userB: number): boolean {
  const { type, occupantIds } = dialog;
  return type === DialogTypes.private && occupantIds.length === 2 && occupantIds.includes(userA) && occupantIds.includes(userB);
}
