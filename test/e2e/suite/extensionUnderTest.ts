// What every extension-host test file needs: the extension's test API, and the local server that
// test/e2e/run.mjs started (its ready JSON arrives in QB_E2E_SERVER_INFO).
import * as assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { isLocalServerInfo, type LocalServerInfo } from '../../../src/shared/localServer';
import type { ConnectionState } from '../../../src/shared/protocol';
import type { DialogNode, DialogsTree, DialogsTreeNode } from '../../../src/ui/dialogsTree';
import type { QuickBloxTestApi } from '../../../src/ui/testApi';

export const EXTENSION_ID = 'quickblox-workbench.quickblox-chat-workbench';

export function serverInfo(): LocalServerInfo {
  const info: unknown = JSON.parse(process.env.QB_E2E_SERVER_INFO ?? 'null');
  assert.ok(isLocalServerInfo(info), 'QB_E2E_SERVER_INFO must hold the local server\'s ready JSON (run through test/e2e/run.mjs)');
  return info;
}

/** The extension as activation left it, before any test used it. */
export interface AfterActivation {
  state: ConnectionState;
  localServerStarted: boolean;
  activationMs: number;
}

let afterActivation: AfterActivation | undefined;

/** Activates the extension (a no-op after the first time) and returns its test API. */
export async function activateExtension(): Promise<QuickBloxTestApi> {
  const extension = vscode.extensions.getExtension<QuickBloxTestApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is loaded`);
  const api = await extension.activate();
  afterActivation ??= { state: api.service.state, localServerStarted: api.localServerInfo() !== undefined, activationMs: api.activationMs };
  return api;
}

export function stateAfterActivation(): AfterActivation | undefined {
  return afterActivation;
}

/** A figure for the run's output (the suite's log, which the runner prints), not an assertion. */
export function report(line: string): void {
  if (process.env.E2E_TEST_LOG) appendFileSync(process.env.E2E_TEST_LOG, `    [figure] ${line}\n`);
}

/** Every node of the Dialogs tree below `node` (the whole tree without), depth first, occupants left out. */
export function treeNodes(tree: DialogsTree, node?: DialogsTreeNode): DialogsTreeNode[] {
  return tree.getChildren(node).flatMap((child) => (child.kind === 'dialog' ? [child] : [child, ...treeNodes(tree, child)]));
}

/** The dialog rows of the Dialogs tree, of one user when `userId` is given. */
export function dialogNodes(tree: DialogsTree, userId?: number): DialogNode[] {
  return treeNodes(tree).filter((n): n is DialogNode => n.kind === 'dialog' && (userId === undefined || n.userId === userId));
}

export function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}
