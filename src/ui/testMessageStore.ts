// Saved test messages in the workspace state: a test setup belongs to the project being debugged.
// What is read back is checked, since an older version or a hand edit may have stored anything.
import type * as vscode from 'vscode';
import { SAVED_TEST_MESSAGES_KEY } from './ids';
import { parseSaved, type SavedTestMessage } from './testMessageTemplates';

export class SavedTestMessages {
  constructor(private readonly state: vscode.Memento) {}

  list(): SavedTestMessage[] {
    const stored = this.state.get<unknown>(SAVED_TEST_MESSAGES_KEY);
    return Array.isArray(stored) ? stored.map(parseSaved).filter((s): s is SavedTestMessage => s !== undefined) : [];
  }

  find(name: string): SavedTestMessage | undefined {
    return this.list().find((s) => s.name === name);
  }

  /** Replaces a saved message of the same name. */
  save(message: SavedTestMessage): Thenable<void> {
    return this.state.update(SAVED_TEST_MESSAGES_KEY, [...this.list().filter((s) => s.name !== message.name), message]);
  }

  delete(name: string): Thenable<void> {
    return this.state.update(SAVED_TEST_MESSAGES_KEY, this.list().filter((s) => s.name !== name));
  }
}
