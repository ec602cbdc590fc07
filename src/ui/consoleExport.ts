// The stanza console's export formats: an XML document (each stanza preceded by a comment with its
// time, direction and connection, as Psi's console dumps it, all inside one root so the file parses)
// or JSON lines (one object per stanza, for jq and scripts). No `vscode` here: the console host asks
// where to save.
import type { ConsoleEntry } from '../shared/consoleEntries';
import type { ExportFormat, ServerDecision } from '../shared/protocol';

export function exportText(entries: readonly ConsoleEntry[], format: ExportFormat, exportedAt: number = Date.now()): string {
  return format === 'xml' ? xmlDocument(entries, exportedAt) : entries.map((e) => JSON.stringify(jsonLine(e)) + '\n').join('');
}

export function exportFileName(format: ExportFormat, exportedAt: number = Date.now()): string {
  const stamp = new Date(exportedAt).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `stanzas-${stamp}.${format === 'xml' ? 'xml' : 'jsonl'}`;
}

function xmlDocument(entries: readonly ConsoleEntry[], exportedAt: number): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    comment(`QuickBlox Chat Workbench stanza log, exported ${new Date(exportedAt).toISOString()}; ${entries.length} stanzas`),
    '<log>',
  ];
  for (const entry of entries) {
    const decisions = entry.decisions.map(decisionText).join('; ');
    lines.push(comment(`${new Date(entry.time).toISOString()} ${entry.lane} ${entry.connection}${decisions ? ` server: ${decisions}` : ''}`));
    lines.push(entry.xml);
  }
  lines.push('</log>', '');
  return lines.join('\n');
}

function jsonLine(entry: ConsoleEntry): Record<string, unknown> {
  return {
    time: new Date(entry.time).toISOString(),
    direction: entry.lane,
    connection: entry.connection,
    kind: entry.kind,
    xml: entry.xml,
    ...(entry.decisions.length > 0 && {
      server: entry.decisions.map((d) => ({ decision: d.decision, detail: d.detail, session: d.session, time: new Date(d.time).toISOString() })),
    }),
  };
}

function decisionText(decision: ServerDecision): string {
  return decision.detail ? `${decision.decision} (${decision.detail})` : decision.decision;
}

/** XML forbids `--` inside a comment (and a trailing `-`); a JID or detail could carry either. */
function comment(text: string): string {
  return `<!-- ${text.replace(/-(?=-)/g, '- ').replace(/-$/, '- ')} -->`;
}
