// The templates of "Send Test Message…" and what each one sends, as plain data: a saved test message
// is its template and parameters, fired again later. No `vscode` import: tested in plain Node.
import type { SendOptions } from '../client/contracts';
import { customParamProblem, isAttachmentUrl } from '../shared/messageFields';
import type { QBAttachment } from '../shared/models';
import { isObjectId } from '../shared/objectId';

export const TEMPLATE_KINDS = ['text', 'attachment', 'custom', 'markable', 'burst', 'system', 'rest'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

export interface TestMessageSpec {
  kind: TemplateKind;
  /** The message text; for a burst, the text each message is numbered after; for `system`, the body. */
  text: string;
  attachment?: QBAttachment;
  customParams?: Record<string, string>;
  /** Messages in a burst, 1…MAX_BURST. */
  count?: number;
}

/** A dialog, or a user whose private dialog is used (created when missing). */
export type TestTarget = { dialogId: string } | { userId: number };

export interface SavedTestMessage {
  name: string;
  target: TestTarget;
  spec: TestMessageSpec;
}

/** Large enough to load a conversation, small enough not to hit a cloud plan's rate limit for long. */
export const MAX_BURST = 500;

export type PlannedSend =
  | { kind: 'message'; text: string; options: SendOptions }
  | { kind: 'system'; body: string; customParams: Record<string, string> };

/** What a template sends, in order. Only `markable` asks for markers, so the others show their absence. */
export function planSends(spec: TestMessageSpec): PlannedSend[] {
  const customParams = spec.customParams ?? {};
  const message = (text: string, options: SendOptions): PlannedSend => ({ kind: 'message', text, options: { markable: false, customParams, ...options } });
  switch (spec.kind) {
    case 'text':
    case 'custom':
      return [message(spec.text, {})];
    case 'attachment':
      return [message(spec.text, { attachments: spec.attachment ? [spec.attachment] : [] })];
    case 'markable':
      return [message(spec.text, { markable: true })];
    case 'rest':
      return [message(spec.text, { viaRest: true })];
    case 'system':
      return [{ kind: 'system', body: spec.text, customParams }];
    case 'burst': {
      const count = burstCount(spec.count);
      return Array.from({ length: count }, (_, i) => message(`${spec.text} (${i + 1}/${count})`, {}));
    }
  }
}

function burstCount(count: number | undefined): number {
  return Math.min(MAX_BURST, Math.max(1, Math.trunc(count ?? 1)));
}

/** `key=value` pairs separated by commas or new lines; the error says what to fix. */
export function parseCustomParams(input: string): Record<string, string> | { error: string } {
  const params: Record<string, string> = {};
  for (const pair of input.split(/[,\n]/).map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    const key = eq === -1 ? pair : pair.slice(0, eq).trim();
    if (eq === -1) return { error: `"${pair}" has no value: write ${key}=value` };
    const problem = customParamProblem(key);
    if (problem) return { error: problem };
    params[key] = pair.slice(eq + 1).trim();
  }
  return params;
}

/** An attachment from its type and an id or URL, as the SDK's apps send them. */
export function attachmentOf(type: string, idOrUrl: string): QBAttachment {
  const value = idOrUrl.trim();
  return isAttachmentUrl(value) ? { type, url: value } : { type, id: value };
}

// ---- checking values that come from outside (command arguments, workspace state) ----

function isRecordOfStrings(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}

export function parseSpec(value: unknown): TestMessageSpec | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (!TEMPLATE_KINDS.includes(v.kind as TemplateKind) || typeof v.text !== 'string') return undefined;
  if (v.customParams !== undefined && !(isRecordOfStrings(v.customParams) && Object.keys(v.customParams).every((k) => !customParamProblem(k)))) return undefined;
  if (v.count !== undefined && !(typeof v.count === 'number' && Number.isFinite(v.count))) return undefined;
  const attachment = v.attachment as Record<string, unknown> | undefined;
  if (attachment !== undefined && !(typeof attachment === 'object' && attachment !== null && typeof attachment.type === 'string')) return undefined;
  return {
    kind: v.kind as TemplateKind,
    text: v.text,
    ...(attachment && { attachment: attachment as QBAttachment }),
    ...(v.customParams !== undefined && { customParams: v.customParams as Record<string, string> }),
    ...(v.count !== undefined && { count: burstCount(v.count as number) }),
  };
}

export function parseTarget(value: unknown): TestTarget | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if ('dialogId' in value && isObjectId(value.dialogId)) return { dialogId: value.dialogId };
  if ('userId' in value && typeof value.userId === 'number' && Number.isSafeInteger(value.userId)) return { userId: value.userId };
  return undefined;
}

export function parseSaved(value: unknown): SavedTestMessage | undefined {
  if (typeof value !== 'object' || value === null || !('name' in value) || typeof value.name !== 'string' || !value.name) return undefined;
  const target = 'target' in value ? parseTarget(value.target) : undefined;
  const spec = 'spec' in value ? parseSpec(value.spec) : undefined;
  return target && spec && { name: value.name, target, spec };
}

/** The argument of `quickblox.sendTestMessage` from a script or test: all of it, or nothing (the palette asks). */
export function parseTestMessageRequest(value: unknown): { target: TestTarget; spec: TestMessageSpec; saveAs?: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const target = 'target' in value ? parseTarget(value.target) : undefined;
  const spec = 'spec' in value ? parseSpec(value.spec) : undefined;
  const saveAs = 'saveAs' in value && typeof value.saveAs === 'string' && value.saveAs ? value.saveAs : undefined;
  return target && spec && { target, spec, ...(saveAs && { saveAs }) };
}
