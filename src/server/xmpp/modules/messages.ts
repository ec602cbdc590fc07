// 1:1 chat (RFC 6121 §8, protocol spec §7.5): the stanza is routed to the recipient's available
// resources with `from` stamped by the router. With `<save_to_history>1</save_to_history>` it is
// first stored, and the routed copy's extraParams gain the stored `message_id`, `date_sent` and
// `dialog_id`, which the SDK hands to the receiving app as `extension.*`. Chat markers (XEP-0333,
// spec §7.6) move the marker sender's read/delivered state in the store and are then routed
// unchanged; chat states are only routed. Neither is ever stored as a message.
// On the way: privacy lists may refuse it (privacy.ts), AMP rules are checked (amp.ts), a
// correction updates the stored original instead of adding a message (correction.ts), a recipient
// with no available resource gets it queued (offline.ts), and the sender's other resources get a
// carbon copy (carbons.ts). routeMessage is the delivery rule headlines and IBB data share.
import type { Element } from '@xmpp/xml';
import { parseUserJid, userJid } from '../../../shared/jid';
import { isCustomParam } from '../../../shared/messageFields';
import { DialogTypes } from '../../../shared/models';
import { isObjectId } from '../../../shared/objectId';
import { cloneElement, NS, readExtraParams, setExtraParam, type ExtraParams } from '../../../shared/stanza';
import type { ChatStore, DialogMembership, DialogRecord, MessageRecord, MessageTarget } from '../../store/chatStore';
import type { ModuleContext, Router, StanzaContext, XmppModule } from '../router';
import { saveBatch } from '../saveBatch';
import { userExists } from '../userLookup';
import { performAmpAction, readAmpRules, triggeredRule, type AmpRule, type PlannedDelivery } from './amp';
import { sendCarbons } from './carbons';
import { applyCorrection, isCorrection } from './correction';
import { isQueueable, queueOffline } from './offline';
import { rejectBlockedMessage } from './privacy';

/**
 * The spec's rule for this project (§7.5): a client `date_sent` within this many seconds of the
 * server clock is kept, otherwise the server's time is stored. The SDK stamps its own clock, which
 * is close but never exact; a far-off value is a wrong clock and would misorder the history.
 */
const DATE_SENT_TOLERANCE_S = 5;

export const messages: XmppModule = (moduleCtx) => {
  const { router, host, store, logger } = moduleCtx;
  const batch = saveBatch(router, store, logger);
  const onChat = (ctx: StanzaContext): boolean => {
    const { session, stanza } = ctx;
    if (stanza.attrs.type !== 'chat') return false;
    const recipientId = recipientOf(moduleCtx, ctx);
    if (!recipientId || rejectBlockedMessage(moduleCtx, ctx)) return true;
    const rules = readAmpRules(router, host.domain, ctx);
    if (!rules) return true;

    const extra = readExtraParams(stanza);
    const routed = cloneElement(stanza);
    const route = (): void => {
      const outcome = routeMessage(moduleCtx, ctx, routed, { recipientId, rules, offline: isQueueable(stanza) });
      if (outcome !== 'dropped') sendCarbons(router, session, routed);
    };
    // Saves are group-committed (saveBatch.ts); whatever the sender sends meanwhile waits behind them.
    const marker = markerOf(stanza);
    if (marker) {
      batch.inOrder(ctx, () => {
        applyMarker(router, store, ctx, recipientId, marker, extra);
        route();
      });
    } else if (isCorrection(ctx)) {
      batch.inOrder(ctx, () => {
        if (applyCorrection(moduleCtx, ctx, recipientId)) route();
      });
    } else if (isStorable(stanza, extra)) {
      // The store would refuse it anyway; saying why beats an internal-server-error.
      if (recipientId === session.userId) {
        router.fail(ctx, 'bad-request', 'a private dialog needs two different users');
        return true;
      }
      batch.save(
        ctx,
        () => persist(store, stanza, extra, session.userId, recipientId),
        (stored) => {
          addStoredIds(routed, stored);
          router.report(session, stanza, 'stored', `message ${stored.id} in dialog ${stored.dialogId}`);
          route();
        },
      );
    } else {
      batch.inOrder(ctx, route);
    }
    return true;
  };
  host.on('message/bare', onChat);
  host.on('message/full', onChat);
};

/** The addressed user's id, or undefined after answering <service-unavailable/> (RFC 6121 §8.5.1: no such account). */
export function recipientOf({ router, store, appId }: Pick<ModuleContext, 'router' | 'store' | 'appId'>, ctx: StanzaContext): number | undefined {
  const recipient = parseUserJid(ctx.to);
  if (recipient && recipient.appId === appId && userExists(store, recipient.userId)) return recipient.userId;
  router.fail(ctx, 'service-unavailable', 'No such user');
  return undefined;
}

export interface RouteOptions {
  recipientId: number;
  /** The message's AMP rules (XEP-0079), checked against what is about to happen. */
  rules: AmpRule[];
  /** Queue it when the recipient has no available resource (offline.ts); otherwise it is dropped. */
  offline: boolean;
}

/**
 * Delivers a message stanza to a user (RFC 6121 §8.5): a full JID reaches that resource if it is
 * available, otherwise it is treated like the bare JID, which reaches every available resource; with
 * none, it is queued offline when allowed. AMP rules may drop it or ask for notices first.
 */
export function routeMessage(
  { router, host, store, appId }: Pick<ModuleContext, 'router' | 'host' | 'store' | 'appId'>,
  ctx: StanzaContext,
  routed: Element,
  { recipientId, rules, offline }: RouteOptions,
): 'routed' | 'queued' | 'dropped' {
  const { session, stanza } = ctx;
  const addressed = ctx.target === 'full' ? router.resource(ctx.to) : undefined;
  const bare = userJid(recipientId, appId, host.domain);
  const targets = addressed?.available ? [addressed] : router.availableResources(bare);
  const plan: PlannedDelivery = { deliver: targets.length > 0 ? 'direct' : offline ? 'stored' : 'none', exactResource: addressed !== undefined && targets[0] === addressed };
  const rule = triggeredRule(rules, plan, ctx.target === 'full');
  if (rule && !performAmpAction(router, host.domain, session, stanza, rule)) {
    router.report(session, stanza, 'rejected', `amp ${rule.action}: ${rule.condition}=${rule.value}`);
    return 'dropped';
  }
  if (targets.length > 0) {
    for (const target of targets) router.deliver(target, routed, `from ${session.jid}`);
    router.report(session, stanza, 'routed', targets.map((t) => t.jid).join(', '));
    return 'routed';
  }
  if (!offline) {
    router.report(session, stanza, 'dropped-offline', `${bare} has no available resource`);
    return 'dropped';
  }
  if (!queueOffline(store, recipientId, routed)) {
    router.fail(ctx, 'service-unavailable', 'The recipient is offline and their offline storage is full');
    return 'dropped';
  }
  router.report(session, stanza, 'queued', `${bare} has no available resource`);
  return 'queued';
}

export interface Marker {
  kind: 'received' | 'displayed';
  /** The marked message: its stored `_id` or the id of the stanza it came in. */
  messageId: string;
}

export function markerOf(stanza: Element): Marker | undefined {
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
function applyMarker(router: Router, store: ChatStore, ctx: StanzaContext, recipientId: number, marker: Marker, extra: ExtraParams): void {
  const { session } = ctx;
  const named = extra.params.dialog_id;
  const dialog = isObjectId(named) ? store.getDialog(named) : store.findPrivateDialog(session.userId, recipientId);
  if (dialog) recordMarker(router, store, ctx, dialog, marker);
}

/** Moves the marker sender's read/delivered state in the dialog; shared with the MUC module's groupchat markers. */
export function recordMarker(router: Router, store: ChatStore, ctx: StanzaContext, dialog: DialogRecord, marker: Marker): void {
  const { session, stanza } = ctx;
  if (!dialog.occupantIds.includes(session.userId)) return;
  const ids = [marker.messageId];
  const changed =
    marker.kind === 'displayed' ? store.markRead(session.userId, dialog.id, ids) : store.markDelivered(session.userId, dialog.id, ids);
  if (changed > 0) router.report(session, stanza, 'stored', `${marker.kind} ${marker.messageId} in dialog ${dialog.id}`);
}

/** save_to_history=1 (in `extra`, the stanza's extraParams), unless the stanza is a marker or a bare chat-state notification. */
export function isStorable(stanza: Element, extra: ExtraParams): boolean {
  if (extra.params.save_to_history !== '1') return false;
  const children = stanza.getChildElements();
  const marker = children.some((c) => c.getNS() === NS.markers && c.name !== 'markable');
  const chatStateOnly = !stanza.getChild('body') && children.some((c) => c.getNS() === NS.chatStates);
  return !marker && !chatStateOnly;
}

function persist(store: ChatStore, stanza: Element, extra: ExtraParams, senderId: number, recipientId: number): MessageRecord {
  const { params } = extra;

  // A 1:1 message belongs to the pair's private dialog; a client-named dialog is taken only when it is
  // exactly that dialog, so a sender cannot file a message into a dialog the recipient does not share.
  const requested = isObjectId(params.dialog_id) ? store.dialogMembership(params.dialog_id) : undefined;
  const target: MessageTarget =
    requested && isPrivateDialogOf(requested, senderId, recipientId)
      ? { dialogId: requested.id }
      : { privateWith: recipientId };
  return saveStanza(store, stanza, extra, senderId, target);
}

/** Stores a chat or groupchat stanza in its dialog, applying the date_sent rule; shared with the MUC module. */
export function saveStanza(store: ChatStore, stanza: Element, extra: ExtraParams, senderId: number, target: MessageTarget): MessageRecord {
  const { params, attachments } = extra;
  const now = Math.floor(Date.now() / 1000);
  const claimed = Math.trunc(Number(params.date_sent));
  const dateSent = params.date_sent && Math.abs(claimed - now) <= DATE_SENT_TOLERANCE_S ? claimed : now;

  const customParams: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) if (isCustomParam(name)) customParams[name] = value;

  // The stanza id becomes the stored id when it can be one; otherwise it is kept beside the stored id.
  // Either way a marker citing the stanza id finds the message.
  // Whether the id is taken the store finds out by inserting it (NewMessage.preferredId), not by a read.
  const stanzaId = stanza.attrs.id;
  const idUsable = isObjectId(stanzaId);
  const message = {
    senderId,
    body: stanza.getChildText('body'),
    dateSent,
    attachments,
    customParams,
    markable: Boolean(stanza.getChild('markable', NS.markers)),
    preferredId: idUsable ? stanzaId : undefined,
    stanzaId: idUsable ? undefined : stanzaId,
  };
  // Not `{ ...target, … }`: V8 builds that literal from the target's shape in microseconds, which showed
  // as 6% of the server's time in the benchmark's profile; naming the one target field costs nothing.
  return store.createMessage('dialogId' in target ? { dialogId: target.dialogId, ...message } : { privateWith: target.privateWith, ...message });
}

/** What the SDK hands the receiving app as `extension.*` of a stored message (spec §0.8). */
export function addStoredIds(routed: Element, stored: MessageRecord): void {
  setExtraParam(routed, 'message_id', stored.id);
  setExtraParam(routed, 'date_sent', stored.dateSent);
  setExtraParam(routed, 'dialog_id', stored.dialogId);
}

function isPrivateDialogOf(dialog: DialogMembership, userA: number, userB: number): boolean {
  const { type, occupantIds } = dialog;
  return type === DialogTypes.private && occupantIds.length === 2 && occupantIds.includes(userA) && occupantIds.includes(userB);
}
