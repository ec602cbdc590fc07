// XEP-0079 Advanced Message Processing, the part a single server can honour: the conditions
// `deliver` (direct, stored, none; forward and gateway never happen here), `expire-at` and
// `match-resource`, with the actions alert, drop, error and notify. Rules are validated before the
// message is processed (an unknown condition or action, or a bad value, rejects it whole, §4.1), then
// evaluated against what the server is about to do with it (routeMessage in messages.ts), and
// `expire-at` once more when an offline message is finally delivered (offline.ts).
import { xml, type Element } from '@xmpp/xml';
import { cloneElement, NS } from '../../../shared/stanza';
import type { Router, Session, StanzaContext, XmppModule } from '../router';

const NS_AMP = 'http://jabber.org/protocol/amp';
const NS_AMP_ERRORS = 'http://jabber.org/protocol/amp#errors';

const CONDITION_VALUES: Record<string, ((value: string) => boolean) | undefined> = {
  deliver: (v) => ['direct', 'forward', 'gateway', 'none', 'stored'].includes(v),
  'expire-at': (v) => /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/.test(v) && !Number.isNaN(Date.parse(v)),
  'match-resource': (v) => ['any', 'exact', 'other'].includes(v),
};
const ACTIONS = ['alert', 'drop', 'error', 'notify'] as const;
type AmpAction = (typeof ACTIONS)[number];

export interface AmpRule {
  condition: string;
  action: AmpAction;
  value: string;
}

/** What the server would do with the message: deliver it now, store it offline, or neither. */
export interface PlannedDelivery {
  deliver: 'direct' | 'stored' | 'none';
  /** Whether it goes to exactly the resource the `to` named (false for a bare `to`). */
  exactResource: boolean;
}

export const amp: XmppModule = ({ host }) => {
  host.features.add(NS_AMP);
  for (const condition of Object.keys(CONDITION_VALUES)) host.features.add(`${NS_AMP}?condition=${condition}`);
  for (const action of ACTIONS) host.features.add(`${NS_AMP}?action=${action}`);
};

/**
 * The message's rules, or undefined after answering an invalid set with the XEP's error
 * (`<unsupported-conditions/>`, `<unsupported-actions/>` or `<invalid-rules/>`). No `<amp>`: no rules.
 */
export function readAmpRules(router: Router, domain: string, ctx: StanzaContext): AmpRule[] | undefined {
  const element = ctx.stanza.getChild('amp', NS_AMP);
  if (!element) return [];
  const ruleElements = element.getChildren('rule');
  const unsupportedConditions = ruleElements.filter((r) => !CONDITION_VALUES[r.attrs.condition ?? '']);
  const unsupportedActions = ruleElements.filter((r) => !ACTIONS.includes(r.attrs.action as AmpAction));
  const invalid = ruleElements.filter((r) => !CONDITION_VALUES[r.attrs.condition ?? '']?.(r.attrs.value ?? '') && !unsupportedConditions.includes(r));
  const refusal: [string, string, number, Element[]] | undefined =
    ruleElements.length === 0
      ? ['bad-request', 'invalid-rules', 400, []]
      : unsupportedConditions.length > 0
        ? ['bad-request', 'unsupported-conditions', 400, unsupportedConditions]
        : unsupportedActions.length > 0
          ? ['bad-request', 'unsupported-actions', 400, unsupportedActions]
          : invalid.length > 0
            ? ['not-acceptable', 'invalid-rules', 405, invalid]
            : undefined;
  if (refusal) {
    const [condition, specific, code, rules] = refusal;
    ctx.session.send(
      xml(
        'message',
        { type: 'error', id: ctx.stanza.attrs.id, from: domain, to: ctx.session.jid },
        xml('amp', { xmlns: NS_AMP }, ...ruleElements.map(cloneElement)),
        xml('error', { type: 'modify', code }, xml(condition, { xmlns: NS.stanzas }), xml(specific, { xmlns: NS_AMP }, ...rules.map(cloneElement))),
      ),
    );
    router.report(ctx.session, ctx.stanza, 'rejected', `amp ${specific}`);
    return undefined;
  }
  return ruleElements.map((r) => ({ condition: r.attrs.condition, action: r.attrs.action as AmpAction, value: r.attrs.value }));
}

/** The first rule whose condition holds for this delivery plan (§3.3: rules are processed in order). */
export function triggeredRule(rules: AmpRule[], plan: PlannedDelivery, intendedResource: boolean, now = Date.now()): AmpRule | undefined {
  const delivered = plan.deliver === 'direct';
  return rules.find(({ condition, value }) => {
    switch (condition) {
      case 'deliver':
        return value === plan.deliver;
      case 'expire-at':
        return now >= Date.parse(value);
      case 'match-resource':
        // §3.4.3: with no resource in `to`, "exact" means delivery to no resource (offline storage).
        if (value === 'any') return delivered;
        if (value === 'exact') return intendedResource ? delivered && plan.exactResource : !delivered;
        return delivered && (!intendedResource || !plan.exactResource);
      default:
        return false;
    }
  });
}

/**
 * Performs a triggered rule's action for `message` from `sender` (original from/to on the message):
 * returns true when the default processing goes on (notify), false when the message stops here.
 */
export function performAmpAction(router: Router, domain: string, sender: Session | undefined, message: Element, rule: AmpRule): boolean {
  const ruleElement = () => xml('rule', { condition: rule.condition, action: rule.action, value: rule.value });
  if (rule.action !== 'drop' && sender) {
    const status = xml('amp', { xmlns: NS_AMP, status: rule.action, from: message.attrs.from, to: message.attrs.to }, ruleElement());
    router.deliver(
      sender,
      xml(
        'message',
        { id: message.attrs.id, from: domain, to: sender.jid, type: rule.action === 'error' ? 'error' : undefined },
        status,
        rule.action === 'error'
          ? xml('error', { type: 'modify', code: 500 }, xml('undefined-condition', { xmlns: NS.stanzas }), xml('failed-rules', { xmlns: NS_AMP_ERRORS }, ruleElement()))
          : undefined,
      ),
      `amp ${rule.action}: ${rule.condition}=${rule.value}`,
    );
  }
  return rule.action === 'notify';
}

/** The `expire-at` rule of a stored message that has expired by now, if any. */
export function expiredRule(message: Element, now = Date.now()): AmpRule | undefined {
  for (const r of message.getChild('amp', NS_AMP)?.getChildren('rule') ?? []) {
    if (r.attrs.condition === 'expire-at' && now >= Date.parse(r.attrs.value ?? '')) {
      return { condition: 'expire-at', action: r.attrs.action as AmpAction, value: r.attrs.value };
    }
  }
  return undefined;
}
