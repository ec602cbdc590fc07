// The RFC 6121 §3 subscription state machine (the table of Appendix A), as a pure function, so that
// every transition is unit-tested without a server. A state is one side's view of one contact: its
// item's `subscription`, whether its own request is pending (`ask="subscribe"`), whether the contact's
// request waits for its approval, and whether the item is in its roster at all (a request received
// from a stranger waits without adding the stranger to the roster, RFC 6121 §3.1.3).
import type { RosterItemRecord, RosterSubscription as Subscription } from '../../../store/chatStore';

export type SubscriptionType = 'subscribe' | 'subscribed' | 'unsubscribe' | 'unsubscribed';

export const SUBSCRIPTION_TYPES: readonly SubscriptionType[] = ['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed'];

/** The part of a stored roster item the state machine reads and writes. */
export type SubscriptionState = Pick<RosterItemRecord, 'subscription' | 'askOut' | 'pendingIn' | 'listed'>;

/** A contact nobody has heard of yet. */
export const NO_SUBSCRIPTION: SubscriptionState = { subscription: 'none', askOut: false, pendingIn: false, listed: false };

/** `outbound`: the state's owner sends the stanza to the contact; `inbound`: the owner receives it from the contact. */
export type Direction = 'outbound' | 'inbound';

export interface Transition {
  state: SubscriptionState;
  /** Outbound: route the stanza on to the contact. Inbound: deliver it to the owner's resources. */
  forward: boolean;
  /** Inbound only: answer on the owner's behalf (a request from an already approved contact). */
  autoReply?: 'subscribed';
}

const seesContact = (s: Subscription) => s === 'to' || s === 'both';
const seenByContact = (s: Subscription) => s === 'from' || s === 'both';

/** `to`/`both` gain or lose the "we see them" half; `from`/`both` the "they see us" half. */
function withTo(s: Subscription, on: boolean): Subscription {
  const from = seenByContact(s);
  return on ? (from ? 'both' : 'to') : from ? 'from' : 'none';
}
function withFrom(s: Subscription, on: boolean): Subscription {
  const to = seesContact(s);
  return on ? (to ? 'both' : 'from') : to ? 'to' : 'none';
}

export function transition(state: SubscriptionState, direction: Direction, type: SubscriptionType): Transition {
  const { subscription: sub } = state;
  if (direction === 'outbound') {
    switch (type) {
      case 'subscribe':
        // §3.1.2: the request is always routed (the contact's server answers for a standing approval);
        // the item is created, and marked pending unless we already see the contact.
        return { state: { ...state, listed: true, askOut: !seesContact(sub) }, forward: true };
      case 'subscribed':
        // §3.1.5: approving means something only while the contact's request is pending (no pre-approval).
        if (!state.pendingIn) return { state, forward: false };
        return { state: { ...state, subscription: withFrom(sub, true), pendingIn: false, listed: true }, forward: true };
      case 'unsubscribe':
        // §3.3.2: always routed; we stop seeing the contact and withdraw a pending request.
        return { state: { ...state, subscription: withTo(sub, false), askOut: false }, forward: true };
      case 'unsubscribed':
        // §3.2.2: always routed; cancels the contact's subscription or denies its pending request.
        return { state: { ...state, subscription: withFrom(sub, false), pendingIn: false }, forward: true };
    }
  }
  switch (type) {
    case 'subscribe':
      // §3.1.3: an approved contact asking again is answered for us; otherwise the request waits.
      if (seenByContact(sub)) return { state, forward: false, autoReply: 'subscribed' };
      return { state: { ...state, pendingIn: true }, forward: true };
    case 'subscribed':
      // §3.1.6: only an answer to our pending request counts.
      if (!state.askOut) return { state, forward: false };
      return { state: { ...state, subscription: withTo(sub, true), askOut: false }, forward: true };
    case 'unsubscribe':
      // §3.3.3: a withdrawn request that was only pending disappears silently.
      if (seenByContact(sub)) return { state: { ...state, subscription: withFrom(sub, false), pendingIn: false }, forward: true };
      return { state: { ...state, pendingIn: false }, forward: false };
    case 'unsubscribed':
      // §3.2.3: our subscription (or pending request) is cancelled; otherwise nothing to say.
      if (seesContact(sub) || state.askOut) return { state: { ...state, subscription: withTo(sub, false), askOut: false }, forward: true };
      return { state, forward: false };
  }
}

export function sameState(a: SubscriptionState, b: SubscriptionState): boolean {
  return a.subscription === b.subscription && a.askOut === b.askOut && a.pendingIn === b.pendingIn && a.listed === b.listed;
}

/** Whether the owner's available presence goes to the contact (RFC 6121 §4.2.2). */
export function sendsPresenceTo(state: SubscriptionState): boolean {
  return seenByContact(state.subscription);
}

/** Whether the owner receives the contact's presence (what a probe may return, RFC 6121 §4.3.2). */
export function receivesPresenceFrom(state: SubscriptionState): boolean {
  return seesContact(state.subscription);
}
