// The two connection profiles, reduced to the one thing the chat service needs: a ConnectionTarget.
// "Local server": what a running local server announced plus one of its demo users. "QuickBlox
// application": values the user entered (settings and secrets), checked here so that the message
// for an incomplete profile is plain code, tested without VS Code.
import type { DemoUser, LocalServerInfo } from '../shared/localServer';
import type { ConnectionTarget } from './contracts';
import { isLoopbackService } from './xmppSession';

export function localConnectionTarget(info: LocalServerInfo, user: Pick<DemoUser, 'login' | 'password'>): ConnectionTarget {
  return {
    apiEndpoint: info.rest,
    chatService: info.xmpp,
    chatDomain: info.domain,
    appId: info.appId,
    authKey: info.authKey,
    authSecret: info.authSecret,
    login: user.login,
    password: user.password,
  };
}

/** A QuickBlox application as entered; anything may be absent or wrong until checked. */
export interface CloudProfileValues {
  apiEndpoint?: string;
  chatEndpoint?: string;
  chatDomain?: string;
  appId?: number;
  authKey?: string;
  /** Signed sessions use authKey + authSecret; an API key replaces both. The secret wins if both are given. */
  authSecret?: string;
  apiKey?: string;
  login?: string;
  password?: string;
}

export type CloudField = 'apiEndpoint' | 'chatEndpoint' | 'chatDomain' | 'appId' | 'authKey' | 'credential' | 'login' | 'password';

/** Each field as the user knows it and where it is kept, so a message says where to fix it. */
export const CLOUD_FIELD_LABELS: Readonly<Record<CloudField, string>> = {
  apiEndpoint: 'API endpoint (quickblox.cloud.apiEndpoint)',
  chatEndpoint: 'chat endpoint (quickblox.cloud.chatEndpoint)',
  chatDomain: 'chat domain (quickblox.cloud.chatDomain)',
  appId: 'application id (quickblox.cloud.appId)',
  authKey: 'auth key (quickblox.cloud.authKey)',
  credential: 'auth secret or API key (secret storage)',
  login: 'user login (quickblox.cloud.login)',
  password: 'user password (secret storage)',
};

export type CloudTargetResult =
  | { ok: true; target: ConnectionTarget }
  | { ok: false; missing: CloudField[]; problems: string[]; message: string };

const CHAT_PROTOCOLS = ['xmpp:', 'xmpps:', 'ws:', 'wss:'];

/** The target for a QuickBlox application, or one message naming everything missing or wrong. */
export function cloudConnectionTarget(values: CloudProfileValues): CloudTargetResult {
  const present = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  const apiEndpoint = present(values.apiEndpoint);
  const chatEndpoint = present(values.chatEndpoint);
  const chatDomain = present(values.chatDomain);
  const authKey = present(values.authKey);
  const authSecret = present(values.authSecret);
  const apiKey = present(values.apiKey);
  const login = present(values.login);
  // Passwords are taken as typed: spaces may be part of them.
  const password = values.password || undefined;
  const appId = values.appId !== undefined && Number.isInteger(values.appId) && values.appId > 0 ? values.appId : undefined;

  const missing: CloudField[] = [];
  if (!apiEndpoint) missing.push('apiEndpoint');
  if (!chatEndpoint) missing.push('chatEndpoint');
  if (!chatDomain) missing.push('chatDomain');
  if (appId === undefined) missing.push('appId');
  // The auth key only signs sessions; with an API key there is no session to sign.
  if (!authKey && !(apiKey && !authSecret)) missing.push('authKey');
  if (!authSecret && !apiKey) missing.push('credential');
  if (!login) missing.push('login');
  if (!password) missing.push('password');

  const problems = [apiEndpoint && apiEndpointProblem(apiEndpoint), chatEndpoint && chatEndpointProblem(chatEndpoint)].filter(
    (problem): problem is string => Boolean(problem),
  );

  // `missing` is empty exactly when these hold; they are repeated only so the types narrow.
  if (missing.length === 0 && problems.length === 0 && apiEndpoint && chatEndpoint && chatDomain && appId && login && password) {
    const credentials = authSecret ? { authKey, authSecret } : { apiKey };
    return { ok: true, target: { apiEndpoint, chatService: chatEndpoint, chatDomain, appId, ...credentials, login, password } };
  }
  const parts = [];
  if (missing.length > 0) parts.push(`missing ${missing.map((field) => CLOUD_FIELD_LABELS[field]).join(', ')}`);
  parts.push(...problems);
  return { ok: false, missing, problems, message: `The QuickBlox application profile is incomplete: ${parts.join('; ')}.` };
}

/** Undefined when the API endpoint is usable; otherwise why not. */
export function apiEndpointProblem(endpoint: string): string | undefined {
  const url = parseUrl(endpoint);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return `the API endpoint "${endpoint}" is not an https:// URL`;
  }
  // The user's password goes to /session.json in the request body: only over TLS, or to this machine.
  if (url.protocol === 'http:' && !isLoopbackService(endpoint)) {
    return `the API endpoint "${endpoint}" must use https:// (plain http:// only to this machine)`;
  }
  return undefined;
}

/** Undefined when the chat endpoint is an XMPP service URL xmpp.js can connect to; otherwise why not. */
export function chatEndpointProblem(endpoint: string): string | undefined {
  const url = parseUrl(endpoint);
  if (!url || !CHAT_PROTOCOLS.includes(url.protocol) || !url.hostname) {
    return `the chat endpoint "${endpoint}" is not an XMPP service URL (xmpp://host:5222, xmpps://host:port or wss://host:5291)`;
  }
  return undefined;
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
