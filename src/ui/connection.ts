// The one connect flow (progress, errors with a next step, reconnect on request). The profile
// decides only the target: "local" finds a QuickBlox-compatible server (a running one at
// quickblox.local.restUrl, else one we start from dist/server.js) and picks its demo user; "cloud"
// takes a QuickBlox application from settings and secrets (cloudProfile.ts). It owns the embedded
// server process and stops it when the extension goes. It signs in the profile's user (the primary
// of ChatSessions); other users sign in after it (additionalUsers.ts, on onDidSignIn), and
// Disconnect signs everyone out.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ChatSessions } from '../client/chatSessions';
import type { ChatServiceApi, ConnectionTarget } from '../client/contracts';
import { probeLocalServer, startLocalServerProcess, type LocalServerProcess } from '../client/localServerProcess';
import { localConnectionTarget } from '../client/profile';
import { LOCAL_DEFAULTS, type DemoUser, type LocalServerInfo } from '../shared/localServer';
import type { CloudProfile } from './cloudProfile';
import type { ConnectionStatus } from './connectionStatus';
import { errorMessage } from '../shared/errors';
import { Commands, DIALOGS_VIEW_ID } from './ids';
import { openSettings, readSettings, type LocalProfileSettings, type ProfileKind } from './settings';

const PROBE_TIMEOUT_MS = 1500;
/** First start compiles the SQLite wasm and seeds the demo data; give it room on slow machines. */
const START_TIMEOUT_MS = 20_000;

type NextStep = 'Retry' | 'Open Settings' | 'Configure…' | 'Show Log';

/** What a profile resolved to: the target, and for "local" the server it belongs to. */
interface Resolved {
  target: ConnectionTarget;
  server?: LocalServerInfo;
}

/** Where the profile's user signed in: what another user of the same application signs in with. */
export interface SignedIn extends Resolved {
  profile: ProfileKind;
}

/** A failure phrased for the user, with the next steps worth offering for it. */
class ConnectFailure extends Error {
  constructor(
    message: string,
    readonly steps: NextStep[],
  ) {
    super(message);
  }
}

export class ConnectionController implements vscode.Disposable {
  private readonly signedIn = new vscode.EventEmitter<SignedIn>();
  /** Fires each time the profile's user has signed in (after Connect, Retry, a reopened view). */
  readonly onDidSignIn = this.signedIn.event;
  private readonly service: ChatServiceApi;
  private embedded: LocalServerProcess | undefined;
  /** The one start in progress: a connect and "Start Local Server" at once must not start two servers. */
  private starting: Promise<LocalServerInfo> | undefined;
  /** Where the service is signed in, or was until a connection loss. */
  private current: SignedIn | undefined;
  /** The connect flow in progress, and the attempt it runs for. */
  private run: { attempt: number; done: Promise<boolean> } | undefined;
  /** The service's own connect, while it runs: it cannot be abandoned half-way (see disconnect). */
  private signingIn: Promise<unknown> | undefined;
  /** Bumped by Disconnect: a connect flow started before it gives up at its next step. */
  private attempt = 0;
  /** After an explicit Disconnect, opening a view or panel must not sign in again by itself. */
  private userDisconnected = false;
  private stoppingEmbedded = false;

  constructor(
    private readonly sessions: ChatSessions,
    private readonly status: ConnectionStatus,
    private readonly context: vscode.ExtensionContext,
    private readonly logger: vscode.LogOutputChannel,
    private readonly cloud: CloudProfile,
  ) {
    this.service = sessions.primary;
  }

  /** The local server in use (or, when not connected, the one this window started). */
  localServerInfo(): LocalServerInfo | undefined {
    return this.current?.server ?? this.embedded?.info;
  }

  /** Where the profile's user is signed in; undefined unless online or reconnecting. */
  signedInTarget(): SignedIn | undefined {
    const state = this.service.state;
    return state === 'online' || state === 'reconnecting' ? this.current : undefined;
  }

  /** Runs the connect flow, or joins the one in progress; resolves true when signed in. */
  connect(): Promise<boolean> {
    if (this.run?.attempt === this.attempt) return this.run.done;
    const attempt = this.attempt;
    // A flow that Disconnect cancelled may still be finishing; this one starts after it.
    const previous = this.run?.done;
    const done = (async () => {
      await previous;
      return vscode.window.withProgress({ location: { viewId: DIALOGS_VIEW_ID } }, () => this.runConnect(attempt));
    })().finally(() => {
      if (this.run?.done === done) this.run = undefined;
      this.showPreparing();
    });
    this.run = { attempt, done };
    this.showPreparing();
    return done;
  }

  /** Connects on first use (a view or panel wants data), unless the user chose to be offline. */
  ensureConnected(): void {
    if (!this.userDisconnected && this.service.state === 'offline') void this.connect();
  }

  /** Signs out, and cancels a connect in progress (which then ends quietly: the user asked for this). */
  async disconnect(): Promise<void> {
    this.userDisconnected = true;
    this.attempt++;
    this.showPreparing();
    // Abandoned half-way through signing in, the service would stay "connecting" for good; so its
    // connect (bounded by its own timeouts) finishes first, and is then undone.
    await this.signingIn;
    await Promise.all([this.sessions.removeAdditional(), this.service.disconnect()]);
    this.current = undefined;
    this.logger.info('Disconnected');
  }

  /** The "Start Local Server" command: the embedded server without signing in. */
  async startLocalServer(): Promise<void> {
    if (this.embedded) {
      void vscode.window.showInformationMessage(`The local server is already running: ${describeServer(this.embedded.info)}.`);
      return;
    }
    try {
      const local = readSettings().local;
      const httpPort = portOf(local.restUrl);
      // A start under way (a connect's) is joined below; the probe would find that very server.
      const running = this.starting ? undefined : await probeLocalServer(local.restUrl, PROBE_TIMEOUT_MS);
      if (running) {
        void vscode.window.showInformationMessage(
          `A local server is already running (not started by VS Code): ${describeServer(running)}.`,
        );
        return;
      }
      const info = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Starting the QuickBlox local server…' },
        () => this.startEmbedded(httpPort),
      );
      // Not awaited: the command is done once the server runs, whether or not anyone clicks.
      void vscode.window.showInformationMessage(`Local server started: ${describeServer(info)}.`, 'Connect').then((choice) => {
        if (choice === 'Connect') void this.connect();
      });
    } catch (error) {
      const failure = error instanceof ConnectFailure ? error : startFailure(error);
      this.logger.error(failure.message);
      void this.offer(failure.message, failure.steps);
    }
  }

  /** The "Stop Local Server" command: only a server this window started is ours to stop. */
  async stopLocalServer(): Promise<void> {
    const server = this.embedded;
    if (!server) {
      void vscode.window.showInformationMessage(
        'No local server started by this window is running. A server started elsewhere (npm run serve) stops where it runs.',
      );
      return;
    }
    if (sameServer(this.current?.server, server.info) && this.service.state !== 'offline') await this.disconnect();
    await this.stopEmbedded();
    void vscode.window.showInformationMessage('Local server stopped.');
  }

  /** Stops the embedded server; awaited by `deactivate` so that no server outlives the extension. */
  async stopEmbedded(): Promise<void> {
    // A server still starting is stopped once it has started, not left behind.
    await this.starting?.catch(() => undefined);
    const server = this.embedded;
    if (!server) return;
    this.stoppingEmbedded = true;
    try {
      await server.stop();
    } finally {
      this.stoppingEmbedded = false;
      this.forget(server);
    }
  }

  dispose(): void {
    this.signedIn.dispose();
    this.stopEmbedded().catch((error: unknown) => this.logger.warn(`Could not stop the local server: ${errorMessage(error)}`));
  }

  /** "Connecting" for the UI while a flow runs that Disconnect has not cancelled. */
  private showPreparing(): void {
    this.status.setPreparing(this.run?.attempt === this.attempt);
  }

  private async runConnect(attempt: number): Promise<boolean> {
    this.userDisconnected = false;
    const settings = readSettings();
    const cancelled = () => attempt !== this.attempt;
    try {
      const { target, server } = settings.profile === 'cloud' ? await this.cloudTarget() : await this.localTarget(settings.local);
      if (cancelled()) return false;
      this.logger.info(`Connecting (profile "${settings.profile}") to ${target.apiEndpoint} as ${target.login}`);
      // connect() drops the old session first, whatever server it was on; the other users sign in
      // again after it, to wherever it is now.
      this.current = undefined;
      await this.sessions.removeAdditional();
      if (cancelled()) return false;
      const signingIn = this.service.connect(target);
      this.signingIn = signingIn.catch(() => undefined);
      try {
        await signingIn;
      } catch (error) {
        if (cancelled()) return false;
        // A rejected login is the usual cloud failure, and Configure is where credentials are fixed.
        const steps: NextStep[] = settings.profile === 'cloud' ? ['Retry', 'Configure…', 'Show Log'] : ['Retry', 'Show Log'];
        throw new ConnectFailure(`Could not sign in to ${target.apiEndpoint} as ${target.login}: ${errorMessage(error)}`, steps);
      } finally {
        this.signingIn = undefined;
      }
      // Disconnect, waiting for signingIn, signs this session out again.
      if (cancelled()) return false;
      this.current = { profile: settings.profile, target, server };
      this.signedIn.fire(this.current);
      return true;
    } catch (error) {
      if (cancelled()) return false;
      const failure = error instanceof ConnectFailure ? error : new ConnectFailure(errorMessage(error), ['Retry', 'Show Log']);
      this.logger.error(`Connect failed: ${failure.message}`);
      void this.offer(failure.message, failure.steps);
      return false;
    }
  }

  private async localTarget(local: LocalProfileSettings): Promise<Resolved> {
    const server = await this.findOrStartServer(local);
    return { target: localConnectionTarget(server, pickDemoUser(server, local.user)), server };
  }

  private async cloudTarget(): Promise<Resolved> {
    const result = await this.cloud.target();
    if (!result.ok) throw new ConnectFailure(result.message, ['Configure…', 'Open Settings']);
    return { target: result.target };
  }

  private async findOrStartServer(local: LocalProfileSettings): Promise<LocalServerInfo> {
    // Checked first: a bad URL is a settings problem, not a server one.
    const httpPort = portOf(local.restUrl);
    const running = await probeLocalServer(local.restUrl, PROBE_TIMEOUT_MS);
    if (running) {
      this.logger.info(`Found a running local server at ${running.rest}`);
      return running;
    }
    if (this.embedded) return this.embedded.info;
    if (!local.startEmbedded) {
      throw new ConnectFailure(
        `No QuickBlox local server answers at ${local.restUrl}, and quickblox.local.startEmbedded is off. Start one with "npm run serve", or turn the setting on.`,
        ['Retry', 'Open Settings'],
      );
    }
    try {
      return await this.startEmbedded(httpPort);
    } catch (error) {
      // Another VS Code window may have started its server here a moment before us (same port, same data).
      const winner = await probeLocalServer(local.restUrl, PROBE_TIMEOUT_MS);
      if (winner) {
        this.logger.info(`Using the local server another window started at ${winner.rest}`);
        return winner;
      }
      throw startFailure(error);
    }
  }

  /** Starts the embedded server, or joins the start already under way. */
  private startEmbedded(httpPort: number): Promise<LocalServerInfo> {
    // Checked again here: a start may have finished while the caller was probing.
    if (this.embedded) return Promise.resolve(this.embedded.info);
    this.starting ??= this.launch(httpPort).finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async launch(httpPort: number): Promise<LocalServerInfo> {
    const dataDir = this.context.globalStorageUri.fsPath;
    await mkdir(dataDir, { recursive: true });
    const base = ['--data', join(dataDir, 'chat.db'), '--demo'];
    try {
      return await this.spawn([...base, '--http-port', String(httpPort), '--xmpp-port', String(LOCAL_DEFAULTS.xmppPort)]);
    } catch (error) {
      if (!isAddressInUse(error)) throw error;
      // Something that is not a QuickBlox server (the probe said so) holds a port: take free ones.
      this.logger.warn(`Port ${httpPort} or ${LOCAL_DEFAULTS.xmppPort} is taken; starting the local server on free ports`);
      return await this.spawn([...base, '--http-port', '0', '--xmpp-port', '0']);
    }
  }

  private async spawn(args: string[]): Promise<LocalServerInfo> {
    const server = await startLocalServerProcess({
      serverScript: this.context.asAbsolutePath('dist/server.js'),
      args,
      logger: this.logger,
      timeoutMs: START_TIMEOUT_MS,
    });
    this.embedded = server;
    server.onExit((code, signal) => {
      if (this.embedded !== server) return;
      this.forget(server);
      if (this.stoppingEmbedded) return;
      const how = signal ? `signal ${signal}` : `exit code ${code ?? 'unknown'}`;
      this.logger.warn(`The local server exited unexpectedly (${how})`);
      void this.offer(`The local server stopped unexpectedly (${how}).`, ['Show Log', 'Retry']);
    });
    this.logger.info(`Started the local server: ${describeServer(server.info)}`);
    return server.info;
  }

  private forget(server: LocalServerProcess): void {
    if (this.embedded === server) this.embedded = undefined;
    if (sameServer(this.current?.server, server.info)) this.current = undefined;
  }

  private async offer(message: string, steps: NextStep[]): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, ...steps);
    if (choice === 'Retry') void this.connect();
    else if (choice === 'Open Settings') void openSettings(`quickblox.${readSettings().profile}`);
    else if (choice === 'Configure…') void vscode.commands.executeCommand(Commands.configureCloudProfile);
    else if (choice === 'Show Log') this.logger.show();
  }
}

function pickDemoUser(info: LocalServerInfo, login: string): DemoUser {
  const users = info.demoUsers ?? [];
  const first = users[0];
  if (!first) {
    throw new ConnectFailure(`The local server at ${info.rest} has no demo users to sign in as (start it with --demo).`, [
      'Show Log',
    ]);
  }
  if (!login) return first;
  const user = users.find((u) => u.login === login);
  if (!user) {
    throw new ConnectFailure(
      `The local server has no demo user "${login}" (quickblox.local.user); it has ${users.map((u) => u.login).join(', ')}.`,
      ['Open Settings'],
    );
  }
  return user;
}

function startFailure(error: unknown): ConnectFailure {
  return new ConnectFailure(`Could not start the local server: ${errorMessage(error)}`, ['Show Log', 'Retry', 'Open Settings']);
}

function portOf(restUrl: string): number {
  let url: URL;
  try {
    url = new URL(restUrl);
  } catch {
    throw new ConnectFailure(`quickblox.local.restUrl is not a URL: "${restUrl}".`, ['Open Settings']);
  }
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

function isAddressInUse(error: unknown): boolean {
  // The server reports a taken port in words (localServer.ts `listen`) or as the raw Node error code.
  return /EADDRINUSE|already in use/i.test(errorMessage(error));
}

/** By address: a later connect finds our own server by probing, as a new info object. */
function sameServer(a: LocalServerInfo | undefined, b: LocalServerInfo): boolean {
  return a?.rest === b.rest;
}

function describeServer(info: LocalServerInfo): string {
  return `REST ${info.rest}, XMPP ${info.xmpp}`;
}
