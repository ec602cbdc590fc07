// Turns what the advanced composer holds into the options of a send, or into the problems to show
// beside the fields: checked here so nothing doomed leaves the page, with the same rules the host
// applies (src/shared/messageFields.ts). Blank rows are ignored rather than refused.
import { attachmentProblem, customParamProblem, isAttachmentUrl } from '../../src/shared/messageFields';
import type { QBAttachment } from '../../src/shared/models';
import type { SendOptions } from '../../src/shared/protocol';
import type { AdvancedState, AttachmentRow } from './state';

/** Where a problem shows: beside a parameter row, an attachment row, or the delivery switches. */
export type ProblemPlace = { kind: 'param'; index: number } | { kind: 'attachment'; index: number } | { kind: 'flags' };

export interface Problem {
  place: ProblemPlace;
  message: string;
}

export type BuiltOptions = { ok: true; options: SendOptions } | { ok: false; problems: Problem[] };

const blank = (text: string) => text.trim() === '';

export function attachmentFromRow(row: AttachmentRow): QBAttachment {
  const ref = row.ref.trim();
  return {
    type: row.type.trim(),
    ...(isAttachmentUrl(ref) ? { url: ref } : { id: ref }),
    ...(!blank(row.name) && { name: row.name.trim() }),
  };
}

export function buildSendOptions(state: AdvancedState): BuiltOptions {
  const problems: Problem[] = [];
  const customParams: Record<string, string> = {};
  state.params.forEach((row, index) => {
    if (blank(row.key) && blank(row.value)) return;
    const key = row.key.trim();
    const problem = Object.hasOwn(customParams, key) ? `"${key}" is given twice` : customParamProblem(key);
    if (problem) problems.push({ place: { kind: 'param', index }, message: problem });
    else customParams[key] = row.value;
  });
  const attachments: QBAttachment[] = [];
  state.attachments.forEach((row, index) => {
    if (blank(row.type) && blank(row.ref) && blank(row.name)) return;
    const attachment = attachmentFromRow(row);
    const problem = attachmentProblem(attachment);
    if (problem) problems.push({ place: { kind: 'attachment', index }, message: problem });
    else attachments.push(attachment);
  });
  // Group dialogs go over XMPP too once their room is joined; the host says so when it is not.
  if (!state.saveToHistory && state.viaRest) {
    problems.push({ place: { kind: 'flags' }, message: 'save_to_history=0 needs XMPP: a message sent over REST is always stored' });
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    options: {
      ...(Object.keys(customParams).length > 0 && { customParams }),
      ...(attachments.length > 0 && { attachments }),
      markable: state.markable,
      saveToHistory: state.saveToHistory,
      viaRest: state.viaRest,
    },
  };
}
