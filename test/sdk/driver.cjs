'use strict';
// Runs the official QuickBlox JavaScript SDK (npm quickblox@2.23.0, unmodified) in its own Node
// process, driven over the fork() IPC channel by sdk.test.mjs. It is started with
// NODE_EXTRA_CA_CERTS naming the local server's self-signed certificate, so the SDK's own
// node-fetch reaches the server's https:// REST API exactly as it would reach api.quickblox.com.
//
// Messages from the parent:
//   {op:'init', id, appId, authKey, authSecret, api, chat, xmppHost, xmppPort, users:[name…]}
//   {op:'call', id, user, path:'chat.dialog.create', args:[…], callback:true|false}
//        callback:true appends a callback and answers with the arguments the SDK hands it;
//        callback:false answers with the return value.
//   {op:'wire', id, user}   the stanzas this user's XMPP client sent and received so far
//   {op:'stop', id}         QB.chat.disconnect() for every user, then exit
// Answers: {type:'reply', id, ok, value|error}. Listener calls: {type:'event', user, name, args}.

const QB = require('quickblox');

const instances = new Map(); // user name -> SDK instance (the first is the QB singleton)
const wires = new Map(); // user name -> [{dir, t, xml}]
const MAX_WIRE = 2000;

const LISTENERS = [
  'onMessageListener',
  'onMessageErrorListener',
  'onSentMessageCallback',
  'onDeliveredStatusListener',
  'onReadStatusListener',
  'onMessageTypingListener',
  'onSystemMessageListener',
  'onLastUserActivityListener',
  'onContactListListener',
  'onSubscribeListener',
  'onConfirmSubscribeListener',
  'onRejectSubscribeListener',
  'onJoinOccupant',
  'onLeaveOccupant',
  'onKickOccupant',
  'onDisconnectedListener',
  'onReconnectListener',
  'onReconnectFailedListener',
  'onSessionExpiredListener',
];

function send(message) {
  if (process.connected) process.send(message);
}

/** JSON-safe copy of what the SDK hands out: XML elements as their markup, errors as plain objects. */
function plain(value, seen = new WeakSet()) {
  if (value === undefined) return { $undefined: true };
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function') return { $function: value.name || 'anonymous' };
    if (typeof value === 'bigint') return String(value);
    return value;
  }
  if (seen.has(value)) return { $cycle: true };
  seen.add(value);
  if (value instanceof Error) return { $error: true, name: value.name, message: value.message, stack: value.stack };
  if (typeof value.getChild === 'function' && value.attrs && Array.isArray(value.children)) return { $xml: value.toString() };
  if (Array.isArray(value)) return value.map((v) => plain(v, seen));
  const out = {};
  for (const [k, v] of Object.entries(value)) out[k] = plain(v, seen);
  return out;
}

function record(user, dir, stanza) {
  const list = wires.get(user);
  if (!list) return;
  list.push({ dir, t: Date.now(), xml: typeof stanza === 'string' ? stanza : stanza.toString() });
  if (list.length > MAX_WIRE) list.splice(0, list.length - MAX_WIRE);
}

function resolvePath(root, path) {
  const parts = path.split('.');
  let owner = root;
  for (const part of parts.slice(0, -1)) {
    owner = owner == null ? undefined : owner[part];
  }
  const fn = owner == null ? undefined : owner[parts[parts.length - 1]];
  if (typeof fn !== 'function') throw new Error(`SDK has no function ${path}`);
  return { owner, fn };
}

function init(msg) {
  const config = { endpoints: { api: msg.api, chat: msg.chat }, debug: { mode: 0 } };
  for (const user of msg.users) {
    if (instances.has(user)) throw new Error(`user ${user} already initialised`);
    // spec §0.10: QB is a singleton; new QB.QuickBlox() gives another client with its own
    // REST session and XMPP connection.
    const sdk = instances.size === 0 ? QB : new QB.QuickBlox();
    // The documented five-argument form; with custom endpoints no account_settings call is made.
    sdk.init(msg.appId, msg.authKey, msg.authSecret, 'local-account-key', config);
    // spec §0.2: in Node the SDK opens TCP to the JID domain on 5222 unless these are set.
    sdk.chat.Client.options.host = msg.xmppHost;
    sdk.chat.Client.options.port = msg.xmppPort;
    for (const name of LISTENERS) {
      sdk.chat[name] = (...args) => send({ type: 'event', user, name, args: plain(args), t: Date.now() });
    }
    instances.set(user, sdk);
    wires.set(user, []);
  }
  return { version: QB.version, buildNumber: QB.buildNumber };
}

/**
 * After QB.chat.connect() the node-xmpp connection exists (nothing is on the wire yet): record
 * every stanza it parses and everything written through it, SASL payloads masked.
 */
function tapConnection(user, sdk) {
  const connection = sdk.chat.Client.connection;
  if (!connection || connection.__sdkTestTapped) return;
  connection.__sdkTestTapped = true;
  connection.on('stanza', (stanza) => record(user, 'in', stanza));
  const originalSend = connection.send;
  connection.send = function (stanza) {
    const el = stanza && typeof stanza.root === 'function' ? stanza.root() : stanza;
    record(user, 'out', String(el).replace(/(<auth\b[^>]*>)[^<]*/, '$1…'));
    return originalSend.apply(this, arguments);
  };
}

function call(msg, reply) {
  const sdk = instances.get(msg.user);
  if (!sdk) throw new Error(`unknown user ${msg.user}`);
  const { owner, fn } = resolvePath(sdk, msg.path);
  const args = msg.args.slice();
  if (msg.callback) {
    // (...a) has length 0: the SDK's muc.join would otherwise hand over the raw stanza.
    args.push((...a) => reply({ ok: true, value: plain(a) }));
  }
  const result = fn.apply(owner, args);
  if (msg.path === 'chat.connect') tapConnection(msg.user, sdk);
  if (!msg.callback) reply({ ok: true, value: plain(result) });
}

function stop() {
  for (const sdk of instances.values()) {
    try {
      if (sdk.chat) sdk.chat.disconnect();
    } catch (error) {
      send({ type: 'event', user: null, name: 'stopError', args: plain([error]) });
    }
  }
}

process.on('uncaughtException', (error) => {
  send({ type: 'event', user: null, name: 'uncaughtException', args: plain([error]), t: Date.now() });
});
process.on('unhandledRejection', (error) => {
  send({ type: 'event', user: null, name: 'unhandledRejection', args: plain([error]), t: Date.now() });
});
process.on('disconnect', () => {
  stop();
  setTimeout(() => process.exit(0), 500).unref();
});

process.on('message', (msg) => {
  let replied = false;
  const reply = (body) => {
    if (replied) {
      // a second callback call is itself worth seeing
      send({ type: 'event', user: msg.user, name: 'extraCallback', args: [msg.path, body], t: Date.now() });
      return;
    }
    replied = true;
    send({ type: 'reply', id: msg.id, ...body });
  };
  try {
    switch (msg.op) {
      case 'init':
        reply({ ok: true, value: init(msg) });
        break;
      case 'call':
        call(msg, reply);
        break;
      case 'wire':
        reply({ ok: true, value: wires.get(msg.user) || [] });
        break;
      case 'stop':
        stop();
        reply({ ok: true, value: null });
        setTimeout(() => process.exit(0), 300).unref();
        break;
      default:
        throw new Error(`unknown op ${msg.op}`);
    }
  } catch (error) {
    reply({ ok: false, error: plain(error) });
  }
});

send({ type: 'ready', pid: process.pid, node: process.version });
