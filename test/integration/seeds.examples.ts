// The documented examples in ../shared/seeds/ (QuickBlox's REST docs as captured pages) as data: each
// distinct curl request, the response JSON documented right after it (or "Empty body" / "Status 200 OK"),
// and the success status per endpoint from the docs' "API requests" table. Read at test time, so a new
// seed file is replayed without touching the tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/built';

export const SEEDS_DIR = join(repoRoot, '..', 'shared', 'seeds');

export interface SeedRequest {
  method: string;
  /** Path and query as documented, e.g. /chat/Message.json?chat_dialog_id=5d75…; the host is dropped. */
  url: string;
  headers: Record<string, string>;
  /** The -d argument as sent; for JSON, after repairing the docs' typos (see repairJson). */
  body?: string;
  /** Set when the documented body was not valid JSON and had to be repaired. */
  repaired?: string;
}

export type DocumentedResponse = { kind: 'json'; value: unknown; repaired?: string } | { kind: 'empty' };

export interface SeedExample {
  /** "<file>: METHOD url" plus the auth form, unique per example. */
  name: string;
  request: SeedRequest;
  /** Responses documented after this exact request (same method, URL and body, any auth). */
  responses: DocumentedResponse[];
}

export interface SeedCatalog {
  examples: SeedExample[];
  /** "METHOD /chat/Dialog" → status, from the docs' table of success statuses. */
  statuses: Map<string, number>;
}

export function readSeedCatalog(dir = SEEDS_DIR): SeedCatalog {
  const examples = new Map<string, SeedExample>();
  const responsesByRequest = new Map<string, DocumentedResponse[]>();
  const statuses = new Map<string, number>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const [key, status] of statusTable(text)) statuses.set(key, status);
    for (const { request, after } of curlCommands(text)) {
      const requestKey = `${request.method} ${request.url} ${request.body ?? ''}`;
      const response = documentedResponse(after);
      if (response) responsesByRequest.set(requestKey, [...(responsesByRequest.get(requestKey) ?? []), response]);
      const auth = request.headers['QB-Token'] !== undefined ? 'QB-Token' : 'ApiKey';
      const unique = `${file} ${requestKey} ${auth}`;
      const name = `${file}: ${request.method} ${request.url} ${request.body ? compact(request.body) : ''} (${auth}) #${examples.size + 1}`;
      if (!examples.has(unique)) examples.set(unique, { name, request, responses: [] });
    }
  }
  for (const example of examples.values()) {
    const { method, url, body } = example.request;
    example.responses = responsesByRequest.get(`${method} ${url} ${body ?? ''}`) ?? [];
  }
  return { examples: [...examples.values()], statuses };
}

function compact(body: string): string {
  const oneLine = body.replace(/\s+/g, ' ');
  return oneLine.length > 70 ? `${oneLine.slice(0, 67)}…` : oneLine;
}

/** Rows like "/chat/Message | POST | Create message | 201 |". */
function statusTable(text: string): Array<[string, number]> {
  const rows: Array<[string, number]> = [];
  for (const match of text.matchAll(/^(\/\S+) \| (GET|POST|PUT|DELETE|PATCH) \| [^|]+ \| (\d{3}) \|/gm)) {
    rows.push([`${match[2]} ${match[1].split('?')[0]}`, Number(match[3])]);
  }
  return rows;
}

const CURL = /curl\s+(?:-X|-H|-d)[\s\S]*?https?:\/\/api\.quickblox\.com(\/\S+)/g;

function curlCommands(text: string): Array<{ request: SeedRequest; after: string }> {
  const commands: Array<{ request: SeedRequest; after: string }> = [];
  for (const match of text.matchAll(CURL)) {
    const end = (match.index ?? 0) + match[0].length;
    const next = text.indexOf('curl ', end);
    commands.push({ request: parseCurl(match[0], match[1]), after: text.slice(end, next === -1 ? undefined : next) });
  }
  return commands;
}

/** Shell words of a curl command: quotes, and "\" + newline (or the one-line docs' "\ ") as continuations. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  const pattern = /'([^']*)'|"((?:[^"\\]|\\.)*)"|\\\s|(\S+)/g;
  for (const m of command.matchAll(pattern)) {
    if (m[1] !== undefined) words.push(m[1]);
    else if (m[2] !== undefined) words.push(m[2].replace(/\\(.)/g, '$1'));
    else if (m[3] !== undefined) words.push(m[3]);
  }
  return words;
}

function parseCurl(command: string, url: string): SeedRequest {
  const words = shellWords(command);
  let method = 'GET';
  const headers: Record<string, string> = {};
  let body: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    if (word === '-X') method = words[++i];
    else if (word === '-H') {
      const header = words[++i];
      const colon = header.indexOf(':');
      headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
    } else if (word === '-d') body = words[++i];
  }
  // curl -d without a Content-Type sends a form; with -X GET it still sends that body.
  if (body !== undefined && headers['Content-Type'] === undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  if (body === undefined || !headers['Content-Type'].includes('json')) return { method, url, headers, body };
  const repaired = repairJson(body);
  return repaired === body ? { method, url, headers, body } : { method, url, headers, body: repaired, repaired: body };
}

/** What follows a curl command: a JSON response, an explicitly empty one, or nothing documented. */
function documentedResponse(after: string): DocumentedResponse | undefined {
  const start = after.trimStart();
  if (/^(Empty body|Response\s+Status 200 OK|200 OK \(empty body\))/.test(start)) return { kind: 'empty' };
  // The delete docs give two answers; a replayed request names several ids, so the second is the one.
  const json = /^(?:Response\s+)?(?:In a case of deletion single \w+:\s+200 OK \(empty body\)\s+In a case of deletion multiple \w+:\s+)?(\{[\s\S]*)/.exec(start);
  if (!json) return undefined;
  const text = balancedObject(json[1]);
  if (text === undefined) return undefined;
  const repaired = repairJson(text);
  return repaired === text ? { kind: 'json', value: JSON.parse(text) } : { kind: 'json', value: JSON.parse(repaired), repaired: text };
}

/** The text of the first {…} with its braces balanced (strings respected), or undefined. */
function balancedObject(text: string): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && --depth === 0) return text.slice(0, i + 1);
  }
  return undefined;
}

/**
 * The docs' JSON typos, fixed the one obvious way: a trailing comma before } or ], a missing comma
 * between a value and the next key, a missing final }. Valid JSON is returned unchanged.
 */
export function repairJson(text: string): string {
  if (parses(text)) return text;
  let fixed = text
    .replace(/,(\s*[}\]])/g, '$1')
    .replace(/("|\d|true|false|null|\]|\})(\s+)(?="[^"]*"\s*:)/g, '$1,$2');
  const open = (fixed.match(/\{/g) ?? []).length - (fixed.match(/\}/g) ?? []).length;
  if (open > 0) fixed += '}'.repeat(open);
  return parses(fixed) ? fixed : text;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
