// The connection state as the user sees it (status bar, view context, conversation panels). It is
// the service's state, except while the connect flow is still finding or starting a local server
// or reading secrets: the service knows nothing of that phase and still says "offline", which on
// a first start (the embedded server compiles its SQLite and seeds the demo data) would show
// "offline, click to connect" for seconds while a connect is in fact under way.
import * as vscode from 'vscode';
import type { ChatServiceApi } from '../client/contracts';
import type { ConnectionState } from '../shared/protocol';

export interface ConnectionStatusChange {
  state: ConnectionState;
  /** Why, for 'error' and 'reconnecting' (from the service). */
  detail?: string;
}

export class ConnectionStatus implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ConnectionStatusChange>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private preparing = false;
  private serviceDetail: string | undefined;
  private last: ConnectionStatusChange;

  constructor(private readonly service: ChatServiceApi) {
    this.last = this.current();
    this.subscription = service.on('state', (_state, detail) => {
      this.serviceDetail = detail;
      this.update();
    });
  }

  get state(): ConnectionState {
    return this.last.state;
  }

  get detail(): string | undefined {
    return this.last.detail;
  }

  /** Set by the connect flow while it runs for the user (a cancelled one does not count). */
  setPreparing(preparing: boolean): void {
    this.preparing = preparing;
    this.update();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private current(): ConnectionStatusChange {
    const state = this.service.state;
    if (this.preparing && (state === 'offline' || state === 'error')) return { state: 'connecting' };
    return { state, detail: this.serviceDetail };
  }

  private update(): void {
    const next = this.current();
    if (next.state === this.last.state && next.detail === this.last.detail) return;
    this.last = next;
    this.changed.fire(next);
  }
}
