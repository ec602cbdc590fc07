// The feature modules the server loads, one per XEP or RFC section; each registers its handlers on
// the router's hosts. A new feature is a new file here and a new entry below.
import type { XmppModule } from '../router';
import type { NonzaModule } from '../stream';
import { amp } from './amp';
import { carbons } from './carbons';
import { correction } from './correction';
import { clientStateIndication } from './csi';
import { disco } from './disco';
import { headlines } from './headlines';
import { ibb } from './ibb';
import { lastActivity } from './lastActivity';
import { messages } from './messages';
import { muc } from './muc';
import { offline } from './offline';
import { ping } from './ping';
import { presence } from './presence';
import { privacy } from './privacy';
import { roster } from './roster';
import { streamManagement } from './sm';
import { time } from './time';

export const MODULES: readonly XmppModule[] = [roster, presence, lastActivity, time, ping, disco, carbons, messages, muc, offline, privacy, correction, amp, headlines, ibb];

/** Stream-level modules: they handle nonzas (top-level elements that are not stanzas) of their namespace. */
export const NONZA_MODULES: readonly NonzaModule[] = [streamManagement, clientStateIndication];
