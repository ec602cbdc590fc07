// What the server remembers about each bound resource for RFC 6121: its last available presence
// (what contacts are told, and what a probe returns), whether it asked for the roster (only those
// resources get roster pushes, §2.1.6), and where it sent directed presence (those entities must
// hear that it went away, §4.6.3). Kept beside the session rather than in it, because only the
// roster and presence modules care; the entry goes with the session object.
import type { Element } from '@xmpp/xml';
import type { Session } from '../../router';

export interface ResourceState {
  /** The last available presence it broadcast, `from` stamped; undefined while unavailable. */
  presence?: Element;
  /** It requested the roster, so it gets roster pushes. */
  interested: boolean;
  /** JIDs that got directed available presence from it outside the subscriptions. */
  readonly directed: Set<string>;
}

const states = new WeakMap<Session, ResourceState>();

export function resourceState(session: Session): ResourceState {
  let state = states.get(session);
  if (!state) {
    state = { interested: false, directed: new Set() };
    states.set(session, state);
  }
  return state;
}
