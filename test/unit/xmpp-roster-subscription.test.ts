// The RFC 6121 subscription state machine (roster/subscription.ts) on its own: every transition the
// server relies on, checked against the RFC's tables (Appendix A) without a server.
import * as assert from 'node:assert/strict';
import {
  NO_SUBSCRIPTION,
  receivesPresenceFrom,
  sendsPresenceTo,
  transition,
  type SubscriptionState,
} from '../../src/server/xmpp/modules/roster/subscription';

const listed = (subscription: SubscriptionState['subscription'], extra: Partial<SubscriptionState> = {}): SubscriptionState => ({
  ...NO_SUBSCRIPTION,
  listed: true,
  subscription,
  ...extra,
});

describe('RFC 6121 subscription state machine', () => {
  describe('outbound (the owner sends)', () => {
    it('subscribe lists the contact and asks, and is routed', () => {
      const t = transition(NO_SUBSCRIPTION, 'outbound', 'subscribe');
      assert.deepEqual(t, { state: listed('none', { askOut: true }), forward: true });
    });

    it('subscribe while already seeing the contact asks nothing but is still routed', () => {
      assert.deepEqual(transition(listed('to'), 'outbound', 'subscribe'), { state: listed('to'), forward: true });
      assert.deepEqual(transition(listed('from'), 'outbound', 'subscribe'), { state: listed('from', { askOut: true }), forward: true });
    });

    it('subscribed approves only a pending request: none → from, to → both', () => {
      const pending = { ...NO_SUBSCRIPTION, pendingIn: true };
      assert.deepEqual(transition(pending, 'outbound', 'subscribed'), { state: listed('from'), forward: true });
      assert.deepEqual(transition(listed('to', { pendingIn: true }), 'outbound', 'subscribed'), { state: listed('both'), forward: true });
      assert.deepEqual(transition(listed('none'), 'outbound', 'subscribed'), { state: listed('none'), forward: false });
    });

    it('unsubscribe stops seeing the contact and withdraws a pending request', () => {
      assert.equal(transition(listed('both'), 'outbound', 'unsubscribe').state.subscription, 'from');
      assert.equal(transition(listed('to'), 'outbound', 'unsubscribe').state.subscription, 'none');
      assert.deepEqual(transition(listed('none', { askOut: true }), 'outbound', 'unsubscribe'), { state: listed('none'), forward: true });
    });

    it('unsubscribed cancels the contact’s subscription or denies its request', () => {
      assert.equal(transition(listed('both'), 'outbound', 'unsubscribed').state.subscription, 'to');
      assert.equal(transition(listed('from'), 'outbound', 'unsubscribed').state.subscription, 'none');
      const denied = transition({ ...NO_SUBSCRIPTION, pendingIn: true }, 'outbound', 'unsubscribed');
      assert.deepEqual(denied, { state: NO_SUBSCRIPTION, forward: true });
    });
  });

  describe('inbound (the owner receives)', () => {
    it('subscribe from a stranger waits, unlisted, and is delivered', () => {
      assert.deepEqual(transition(NO_SUBSCRIPTION, 'inbound', 'subscribe'), { state: { ...NO_SUBSCRIPTION, pendingIn: true }, forward: true });
    });

    it('subscribe from an approved contact is answered for the owner and not delivered', () => {
      assert.deepEqual(transition(listed('from'), 'inbound', 'subscribe'), { state: listed('from'), forward: false, autoReply: 'subscribed' });
      assert.equal(transition(listed('both'), 'inbound', 'subscribe').autoReply, 'subscribed');
    });

    it('subscribed counts only as the answer to a pending request: none → to, from → both', () => {
      assert.deepEqual(transition(listed('none', { askOut: true }), 'inbound', 'subscribed'), { state: listed('to'), forward: true });
      assert.deepEqual(transition(listed('from', { askOut: true }), 'inbound', 'subscribed'), { state: listed('both'), forward: true });
      assert.deepEqual(transition(listed('none'), 'inbound', 'subscribed'), { state: listed('none'), forward: false });
    });

    it('unsubscribe takes away the contact’s subscription; a merely pending one vanishes silently', () => {
      assert.deepEqual(transition(listed('both'), 'inbound', 'unsubscribe'), { state: listed('to'), forward: true });
      assert.deepEqual(transition({ ...NO_SUBSCRIPTION, pendingIn: true }, 'inbound', 'unsubscribe'), { state: NO_SUBSCRIPTION, forward: false });
    });

    it('unsubscribed cancels the owner’s subscription or pending request, else is ignored', () => {
      assert.deepEqual(transition(listed('both'), 'inbound', 'unsubscribed'), { state: listed('from'), forward: true });
      assert.deepEqual(transition(listed('none', { askOut: true }), 'inbound', 'unsubscribed'), { state: listed('none'), forward: true });
      assert.deepEqual(transition(listed('from'), 'inbound', 'unsubscribed'), { state: listed('from'), forward: false });
    });
  });

  it('a full handshake both ways ends in both on each side', () => {
    let alice = NO_SUBSCRIPTION;
    let bob = NO_SUBSCRIPTION;
    const step = (from: 'alice' | 'bob', type: 'subscribe' | 'subscribed') => {
      const [sender, receiver] = from === 'alice' ? [alice, bob] : [bob, alice];
      const out = transition(sender, 'outbound', type);
      const inn = out.forward ? transition(receiver, 'inbound', type) : { state: receiver };
      if (from === 'alice') [alice, bob] = [out.state, inn.state];
      else [bob, alice] = [out.state, inn.state];
    };
    step('alice', 'subscribe');
    step('bob', 'subscribed');
    step('bob', 'subscribe');
    step('alice', 'subscribed');
    assert.deepEqual(alice, listed('both'));
    assert.deepEqual(bob, listed('both'));
    assert.ok(sendsPresenceTo(alice) && receivesPresenceFrom(alice));
  });
});
