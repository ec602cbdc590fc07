// 1:1 chat (RFC 6121 §8, protocol spec §7.5): the stanza is routed to the recipient's available
// resources with `from` stamped by the router. With `<save_to_history>1</save_to_history>` it is
// first stored, and the routed copy's extraParams gain the stored `message_id`, `date_sent` and
// `dialog_id`, which the SDK hands to the receiving app as `extension.*`. Markers and chat states
// are routed untouched and never stored here.
import type { Element } from '@xmpp/xml';
import { bareJid, parseUserJid, userJid } from '../../../shared/jid';
import { isObjectId } from '../../../shared/objectId';
import { cloneElement, NS, readExtraParams, setExtraParam } from '../../../shared/stanza';
import type { ChatStore, MessageRecord } from '../../store/chatStore';
import type { StanzaContext, XmppModule } from '../router';

/** A client clock this close to ours is trusted for `date_sent`; anything else gets the server's time. */
const DATE_SENT_TOLERANCE_S = 5;

/** extraParams the server owns or interprets; the rest are the app's custom parameters. */
const RESERVED_PARAMS = new Set(['save_to_history', 'dialog_id', 'date_sent', 'message_id']);

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
    if (isStorable(stanza)) {
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

  const requested = isObjectId(params.dialog_id) ? store.getDialog(params.dialog_id) : undefined;
  const dialog = requested?.occupantIds.includes(senderId) ? requested : store.ensurePrivateDialog(senderId, recipientId);

  const now = Math.floor(Date.now() / 1000);
  const claimed = Math.trunc(Number(params.date_sent));
  const dateSent = params.date_sent && Math.abs(claimed - now) <= DATE_SENT_TOLERANCE_S ? claimed : now;

  const customParams: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) if (!RESERVED_PARAMS.has(name)) customParams[name] = value;

  // The stanza id becomes the stored id when it can be one, so that markers citing it find the message.
  const id = stanza.attrs.id;
  return store.createMessage({
    dialogId: dialog.id,
    senderId,
    body: stanza.getChildText('body'),
    dateSent,
    attachments,
    customParams,
    markable: Boolean(stanza.getChild('markable', NS.markers)),
    id: isObjectId(id) && !store.getMessage(id) ? id : undefined,
  });
}
