// HTTPS and WSS as a client that trusts the certificate sees them: `--tls` through the real CLI (the
// certificate made once into the data folder and reused), the official SDK's way of trusting it
// (NODE_EXTRA_CA_CERTS), and --tls-cert/--tls-key files through startLocalServer.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startLocalServer, type RunningLocalServer } from '../../src/server/localServer';
import { createSelfSignedCertificate } from '../../src/server/tls/selfSigned';
import { exited, killHard, startServerProcess, type ServerProcess } from '../support/serverProcess';

const PORTS = ['--host', '127.0.0.1', '--http-port', '0', '--xmpp-port', '0'];
const TIMEOUT_MS = 5_000;

/** GET over HTTPS, checking the certificate against `ca`, for the URL's address or else for `servername`. */
function httpsGet(url: string, ca: string | undefined, servername?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, ...(servername && { servername }), timeout: TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

function wssOpens(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'xmpp', { ca, handshakeTimeout: TIMEOUT_MS });
    socket.once('open', () => {
      resolve(socket.protocol);
      socket.close();
    });
    socket.once('error', reject);
  });
}

describe('tls: HTTPS and WSS', function () {
  this.timeout(30_000);
  let folder: string;
  const processes: ServerProcess[] = [];
  let server: RunningLocalServer | undefined;

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'qb-tls-'));
  });
  after(async () => {
    for (const p of processes) await killHard(p.child);
    await server?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('--tls makes a certificate in the data folder, serves https:// and wss:// with it, and says where it is', async () => {
    const running = await startServerProcess(['--tls', '--data', join(folder, 'chat.db'), ...PORTS]);
    processes.push(running);
    const { info } = running;
    const certPath = join(folder, 'tls', 'localhost-cert.pem');
    assert.deepEqual(info.tls, { cert: certPath });
    assert.match(info.rest, /^https:\/\/127\.0\.0\.1:\d+\/$/);
    assert.match(info.websocket, /^wss:\/\/127\.0\.0\.1:\d+\/ws$/);
    assert.match(running.stderr(), new RegExp(`NODE_EXTRA_CA_CERTS=${certPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    const ca = readFileSync(certPath, 'utf8');

    const answer = await httpsGet(`${info.rest}_local/info.json`, ca);
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.body), info);
    assert.equal((await httpsGet(`${info.rest}_local/info.json`, ca, 'localhost')).status, 200, 'valid for the name localhost too');
    await assert.rejects(httpsGet(`${info.rest}_local/info.json`, undefined), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    assert.equal(await wssOpens(info.websocket, ca), 'xmpp');

    running.child.kill('SIGTERM');
    assert.equal((await exited(running.child)).code, 0);
    const again = await startServerProcess(['--tls', '--data', join(folder, 'chat.db'), ...PORTS]);
    processes.push(again);
    assert.equal(readFileSync(certPath, 'utf8'), ca, 'the certificate is reused, so trusting it once lasts');
    assert.equal((await httpsGet(`${again.info.rest}_local/info.json`, ca)).status, 200);
  });

  it('is trusted by a Node program started with NODE_EXTRA_CA_CERTS (how the official SDK is pointed at it)', async () => {
    const running = processes[processes.length - 1];
    const certPath = running.info.tls?.cert;
    assert.ok(certPath);
    const program = `require('node:https').get(process.argv[1], (res) => { console.log(res.statusCode); res.resume(); })
      .on('error', (e) => { console.log(e.code); });`;
    const url = `${running.info.rest}_local/info.json`;
    const run = (env: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, ['-e', program, url], { env, encoding: 'utf8', timeout: TIMEOUT_MS }).stdout.trim();
    const withoutExtra = { ...process.env };
    delete withoutExtra.NODE_EXTRA_CA_CERTS;
    assert.equal(run({ ...withoutExtra, NODE_EXTRA_CA_CERTS: certPath }), '200');
    assert.equal(run(withoutExtra), 'DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('serves the REST API over HTTPS with --tls-cert/--tls-key files', async () => {
    const { certPem, keyPem } = createSelfSignedCertificate({ hosts: ['localhost', '127.0.0.1'], validDays: 2 });
    writeFileSync(join(folder, 'own-cert.pem'), certPem);
    writeFileSync(join(folder, 'own-key.pem'), keyPem);
    server = await startLocalServer({
      memory: true,
      demo: true,
      httpPort: 0,
      xmppPort: 0,
      tls: { certFile: join(folder, 'own-cert.pem'), keyFile: join(folder, 'own-key.pem') },
    });
    assert.deepEqual(server.info.tls, { cert: join(folder, 'own-cert.pem') });
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${server?.info.rest}chat/Dialog.json`, {
        ca: certPem,
        headers: { Authorization: `ApiKey ${server?.info.apiKey}`, 'On-Behalf-Of': String(server?.info.demoUsers?.[0].id) },
        timeout: TIMEOUT_MS,
      }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(answer.status, 200);
    assert.ok(Array.isArray((JSON.parse(answer.body) as { items: unknown }).items));
  });

  it('refuses to start when the key file is missing, naming it', async () => {
    await assert.rejects(
      startLocalServer({ memory: true, httpPort: 0, xmppPort: 0, tls: { certFile: join(folder, 'own-cert.pem'), keyFile: join(folder, 'none.pem') } }),
      /Could not read the TLS key .*none\.pem/,
    );
  });
});
