// The QuickBlox REST calls the workbench needs, on one undici Agent that `close()` releases.
// Requests are shaped like the JS SDK's (form bodies for session, login and mark-read, JSON for
// message create, GET parameters in the query) so the local server and the cloud treat us like any
// SDK client.
import { randomInt } from 'node:crypto';
import type { Agent } from 'undici';
import { loadUndici } from './undici';
import type { DialogType, QBDialog, QBDialogList, QBMessage, QBMessageList, QBSession, QBUser } from '../shared/models';
import { signSessionParams } from '../shared/signature';
import { encodeQuery, restUrl, type QueryParams } from './query';
import { QuickBloxError, adviceFor, describeErrors, isErrorBody } from './quickbloxError';
import { errorMessage } from '../shared/errors';

export interface RestClientOptions {
  /** REST base, e.g. `http://127.0.0.1:8080/`. */
  apiEndpoint: string;
  appId: number;
  /** Signed sessions (the SDK way): auth key + secret. */
  authKey?: string;
  authSecret?: string;
  /** Server-to-server mode: `Authorization: ApiKey …`, acting for a user via `On-Behalf-Of`. */
  apiKey?: string;
  /** Connect, headers and body timeout of every request. */
  timeoutMs?: number;
}

export interface Credentials {
  login: string;
  password: string;
}

export interface DialogListQuery {
  limit?: number;
  skip?: number;
  sort_desc?: string;
}

export interface MessageListQuery {
  chat_dialog_id: string;
  limit?: number;
  skip?: number;
  sort_desc?: string;
  sort_asc?: string;
  /** Operators on the unix-seconds send time, e.g. `{ lte: 1700000000 }` → `date_sent[lte]=1700000000`. */
  date_sent?: Partial<Record<'lt' | 'lte' | 'gt' | 'gte', number>>;
  /** 0: list without marking the listed messages read for us (the server's default is 1). */
  mark_as_read?: 0 | 1;
}

/** `POST /chat/Dialog.json`. */
export interface NewDialog {
  type: DialogType;
  /** Required for group and public dialogs; ignored for private ones. */
  name?: string;
  /** Everyone but us (the creator is always an occupant); exactly the opponent for a private dialog. */
  occupantIds: number[];
}

/** `PUT /chat/Dialog/{id}.json` occupant changes. */
export interface OccupantChanges {
  add?: number[];
  remove?: number[];
}

/** What a DELETE of dialogs or messages may answer (otherwise the body is empty or text). */
interface DeletionReport {
  WrongPermissions?: { ids?: string[] };
  NotFound?: { ids?: string[] };
}

/** `POST /chat/Message.json`; extra keys are custom parameters. */
export interface NewRestMessage {
  chat_dialog_id: string;
  message: string;
  /** 1: also deliver over XMPP to the occupants. */
  send_to_chat?: 0 | 1;
  markable?: 0 | 1;
  [custom: string]: unknown;
}

interface UserListResponse {
  items: { user: QBUser }[];
}

const SUCCESS = new Set([200, 201, 202]); // the SDK treats anything else as an error (spec §1.5)
const USERS_PER_PAGE = 100;

type Body = { form: QueryParams } | { json: unknown };
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A successful response: its body as text and, when it is JSON, parsed. */
interface Answer {
  status: number;
  text: string;
  parsed: unknown;
  /** `METHOD /path.json?query`, for error messages. */
  described: string;
}

export class RestClient {
  /** Created with the first request (see undici.ts). */
  private agent: Promise<Agent> | undefined;
  private token: string | undefined;
  private onBehalfOf: number | undefined;

  constructor(private readonly options: RestClientOptions) {}

  private dispatcher(): Promise<Agent> {
    const timeout = this.options.timeoutMs ?? 15_000;
    return (this.agent ??= loadUndici().then(({ Agent }) => new Agent({ connect: { timeout }, headersTimeout: timeout, bodyTimeout: timeout })));
  }

  get sessionToken(): string | undefined {
    return this.token;
  }

  get usesApiKey(): boolean {
    return this.options.apiKey !== undefined && this.options.authSecret === undefined;
  }

  /** `POST /session.json`, signed per spec §2.1; with `user`, a user session in one call. */
  async createSession(user?: Credentials): Promise<QBSession> {
    const { appId, authKey, authSecret } = this.options;
    if (authKey === undefined || authSecret === undefined) {
      throw new Error('createSession needs the application auth key and auth secret');
    }
    const params = {
      application_id: appId,
      auth_key: authKey,
      nonce: randomInt(1, 100_000_000),
      timestamp: Math.floor(Date.now() / 1000),
      ...(user && { user: { login: user.login, password: user.password } }),
    };
    const form: QueryParams = { ...params, signature: signSessionParams(params, authSecret) };
    const { session } = await this.call<{ session: QBSession }>('POST', 'session', { form });
    this.token = session.token;
    return session;
  }

  /** API-key mode: subsequent calls act as this user. */
  actAs(userId: number): void {
    this.onBehalfOf = userId;
  }

  /** `POST /login.json`: upgrades the current (application) session to this user. */
  async login(credentials: Credentials): Promise<QBUser> {
    const { user } = await this.call<{ user: QBUser }>('POST', 'login', { form: { ...credentials } });
    return user;
  }

  async getSession(): Promise<QBSession> {
    const { session } = await this.call<{ session: QBSession }>('GET', 'session');
    return session;
  }

  listDialogs(query: DialogListQuery = {}): Promise<QBDialogList> {
    return this.call<QBDialogList>('GET', 'chat/Dialog', undefined, { ...query });
  }

  /** One dialog, fetched the way the SDK does it (a list filtered by `_id`). */
  async getDialog(dialogId: string): Promise<QBDialog | undefined> {
    const list = await this.call<QBDialogList>('GET', 'chat/Dialog', undefined, { _id: dialogId });
    return list.items.find((d) => d._id === dialogId);
  }

  listMessages(query: MessageListQuery): Promise<QBMessageList> {
    const { date_sent, ...rest } = query;
    return this.call<QBMessageList>('GET', 'chat/Message', undefined, { ...rest, date_sent: definedOnly(date_sent) });
  }

  createMessage(message: NewRestMessage): Promise<QBMessage> {
    return this.call<QBMessage>('POST', 'chat/Message', { json: message });
  }

  /**
   * The body of `GET /chat/Message.json?chat_dialog_id=…&_id=…&mark_as_read=0` exactly as the server
   * sent it: one message, looked at without marking it read.
   */
  async messageListText(dialogId: string, messageId: string): Promise<string> {
    const query = { chat_dialog_id: dialogId, _id: messageId, mark_as_read: 0 };
    return (await this.send('GET', 'chat/Message', undefined, query)).text;
  }

  /** The body of `GET /chat/Dialog/{id}.json` exactly as the server sent it. */
  async dialogText(dialogId: string): Promise<string> {
    return (await this.send('GET', `chat/Dialog/${encodeURIComponent(dialogId)}`)).text;
  }

  /** A form body as the SDK's `dialog.create` sends it: occupants pre-joined with ", " (spec §4.2). */
  createDialog(dialog: NewDialog): Promise<QBDialog> {
    const form: QueryParams = { type: dialog.type, occupants_ids: dialog.occupantIds.join(', '), name: dialog.name };
    return this.call<QBDialog>('POST', 'chat/Dialog', { form });
  }

  /** `push_all` / `pull_all` of occupant ids, JSON as the SDK's `dialog.update` sends it. */
  updateOccupants(dialogId: string, changes: OccupantChanges): Promise<QBDialog> {
    const json = {
      ...(changes.add?.length && { push_all: { occupants_ids: changes.add } }),
      ...(changes.remove?.length && { pull_all: { occupants_ids: changes.remove } }),
    };
    return this.call<QBDialog>('PUT', `chat/Dialog/${encodeURIComponent(dialogId)}`, { json });
  }

  /**
   * Without `forEveryone` the dialog goes for us only; with it (force=1, in the form body as the SDK
   * sends DELETE parameters) for everyone, which only its owner may.
   */
  async deleteDialog(dialogId: string, forEveryone: boolean): Promise<void> {
    const answer = await this.send('DELETE', `chat/Dialog/${encodeURIComponent(dialogId)}`, forEveryone ? { form: { force: 1 } } : undefined);
    requireDeleted(answer, dialogId, {
      forbidden: "only the dialog's owner can delete it for everyone; delete it for yourself instead",
      missing: `the server does not know dialog ${dialogId}; refresh the dialog list`,
    });
  }

  /**
   * `DELETE /chat/Message/{id}.json`: for us only, or with force=1 for everyone, which the message's
   * sender and the dialog's owner may.
   */
  async deleteMessage(messageId: string, forEveryone: boolean): Promise<void> {
    const answer = await this.send('DELETE', `chat/Message/${encodeURIComponent(messageId)}`, forEveryone ? { form: { force: 1 } } : undefined);
    requireDeleted(answer, messageId, {
      forbidden: "only the message's sender or the dialog's owner can delete it for everyone; delete it for yourself instead",
      missing: `the server has no message ${messageId} you can see: it was deleted already, or never stored (save_to_history=0)`,
    });
  }

  /** The SDK's `message.update(id, {message, chat_dialog_id})`: a form PUT answered with an empty 200 (spec §5.2). */
  async updateMessageText(dialogId: string, messageId: string, text: string): Promise<void> {
    await this.send('PUT', `chat/Message/${encodeURIComponent(messageId)}`, { form: { chat_dialog_id: dialogId, message: text } });
  }

  /** One page of the application's users (`GET /users.json`), for pickers. */
  async listUsers(page = 1, perPage = USERS_PER_PAGE): Promise<QBUser[]> {
    const list = await this.call<UserListResponse>('GET', 'users', undefined, { page, per_page: perPage });
    return list.items.map((item) => item.user);
  }

  /**
   * Marks every message of the dialog read for us: the SDK's `message.update('', {read: 1, …})`,
   * `PUT /chat/Message.json` with a form body (spec §5.2). The documented answer is 200 with an
   * empty body, so no JSON is expected.
   */
  async markDialogRead(dialogId: string): Promise<void> {
    await this.send('PUT', 'chat/Message', { form: { chat_dialog_id: dialogId, read: 1 } });
  }

  /** Users by id, `filter[]=number id in …`, paged by 100 ids. */
  async getUsers(ids: readonly number[]): Promise<QBUser[]> {
    const unique = [...new Set(ids)];
    const users: QBUser[] = [];
    for (let i = 0; i < unique.length; i += USERS_PER_PAGE) {
      const chunk = unique.slice(i, i + USERS_PER_PAGE);
      const filter = [`number id in ${chunk.join(',')}`];
      const page = await this.call<UserListResponse>('GET', 'users', undefined, { filter, per_page: USERS_PER_PAGE });
      users.push(...page.items.map((item) => item.user));
    }
    return users;
  }

  async getUserByLogin(login: string): Promise<QBUser> {
    const { user } = await this.call<{ user: QBUser }>('GET', 'users/by_login', undefined, { login });
    return user;
  }

  /** Idempotent: drops the token and closes the agent's sockets. */
  async close(): Promise<void> {
    this.token = undefined;
    const agent = await this.agent;
    if (agent && !agent.closed) await agent.close();
  }

  private headers(body: Body | undefined): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body && 'form' in body) headers['content-type'] = 'application/x-www-form-urlencoded; charset=UTF-8';
    if (body && 'json' in body) headers['content-type'] = 'application/json; charset=utf-8';
    if (this.token) headers['qb-token'] = this.token;
    if (this.usesApiKey) headers.authorization = `ApiKey ${this.options.apiKey}`;
    if (this.usesApiKey && this.onBehalfOf !== undefined) headers['on-behalf-of'] = String(this.onBehalfOf);
    return headers;
  }

  /** A QuickBlox call whose answer is a JSON body of type T. */
  private async call<T>(method: Method, path: string, body?: Body, query?: QueryParams): Promise<T> {
    const { status, text, parsed, described } = await this.send(method, path, body, query);
    if (parsed === undefined) {
      throw new QuickBloxError(status, described, undefined, `${described} → ${status}: the response is not JSON (${text.slice(0, 200)})`);
    }
    // The server's JSON is trusted to match the QuickBlox model it claims; checked at the UI edges.
    return parsed as T;
  }

  /** Sends a request; resolves with any successful answer, whatever its body, and throws for the rest. */
  private async send(method: Method, path: string, body?: Body, query?: QueryParams): Promise<Answer> {
    // The SDK appends `?` to every GET, even without parameters (spec §1.4).
    const search = method === 'GET' ? `?${encodeQuery(query ?? {})}` : '';
    const described = `${method} /${path}.json${search}`;
    const payload = body === undefined ? undefined : 'form' in body ? encodeQuery(body.form) : JSON.stringify(body.json);
    let status: number;
    let text: string;
    try {
      const [{ request }, dispatcher] = await Promise.all([loadUndici(), this.dispatcher()]);
      const response = await request(restUrl(this.options.apiEndpoint, path) + search, {
        method,
        headers: this.headers(body),
        body: payload,
        dispatcher,
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (cause) {
      const reason = errorMessage(cause);
      throw new QuickBloxError(0, described, undefined, `${described} to ${this.options.apiEndpoint}: ${adviceFor(0)} (${reason})`, { cause });
    }
    const parsed = parseJson(text);
    if (!SUCCESS.has(status)) {
      const errorBody = isErrorBody(parsed) ? parsed : undefined;
      const detail = describeErrors(errorBody) || text.slice(0, 200);
      throw new QuickBloxError(status, described, errorBody, `${described} → ${status}: ${adviceFor(status)}${detail ? ` (${detail})` : ''}`);
    }
    return { status, text, parsed, described };
  }
}

/**
 * A DELETE with a success status may still report the id under WrongPermissions or NotFound (the
 * cloud answers several ids that way, and may for one); those become errors here.
 */
function requireDeleted(answer: Answer, id: string, advice: { forbidden: string; missing: string }): void {
  const report = (answer.parsed ?? {}) as DeletionReport;
  if (report.WrongPermissions?.ids?.includes(id)) {
    throw new QuickBloxError(403, answer.described, undefined, `${answer.described}: ${advice.forbidden}`);
  }
  if (report.NotFound?.ids?.includes(id)) {
    throw new QuickBloxError(404, answer.described, undefined, `${answer.described}: ${advice.missing}`);
  }
}

function definedOnly(ops: MessageListQuery['date_sent']): Record<string, number> | undefined {
  if (!ops) return undefined;
  const entries = Object.entries(ops).filter((e): e is [string, number] => e[1] !== undefined);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
