// The feature modules the server loads, one per XEP or RFC section; each registers its handlers on
// the router's hosts. A new feature is a new file here and a new entry below.
import type { XmppModule } from '../router';
import { carbons } from './carbons';
import { disco } from './disco';
import { messages } from './messages';
import { ping } from './ping';
import { presence } from './presence';
import { roster } from './roster';

export const MODULES: readonly XmppModule[] = [roster, presence, ping, disco, carbons, messages];
