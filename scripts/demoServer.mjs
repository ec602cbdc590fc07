// What `npm start` and `npm run workbench` share: build everything, start the local chat server with
// demo data (dist/server.js --demo), print its endpoints and demo logins, and write the small
// workspace whose settings point the extension at it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `node esbuild.mjs --quiet`; exits the process with esbuild's status when it fails. */
export function buildAll() {
  const built = spawnSync(process.execPath, [join(root, 'esbuild.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

/**
 * Starts dist/server.js --demo with `serverArgs` (data in .qb-local/chat.db unless they say
 * --data or --memory). Lines other than `ready {json}` are echoed; `onReady(info)` gets the JSON.
 */
export function startDemoServer(serverArgs, onReady) {
  const hasData = serverArgs.some((a) => a === '--data' || a === '--memory');
  const args = [join(root, 'dist', 'server.js'), '--demo', ...(hasData ? [] : ['--data', join(root, '.qb-local', 'chat.db')]), ...serverArgs];
  // The IPC channel is only a lifeline: the server shuts down when it closes, so it never outlives
  // the script that started it, however that script ends.
  const server = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  createInterface({ input: server.stdout }).on('line', (line) => {
    if (!line.startsWith('ready ')) return console.log(line);
    onReady(JSON.parse(line.slice('ready '.length)));
  });
  return server;
}

export function printServerInfo(info) {
  const users = (info.demoUsers ?? []).map((u) => `    ${u.login.padEnd(8)} password ${u.password.padEnd(14)} id ${u.id}  (${u.fullName})`);
  console.log(`
QuickBlox local chat server is running (Ctrl+C stops it)
  REST              ${info.rest}
  XMPP over TCP     ${info.xmpp}
  XMPP over WS      ${info.websocket}
  chat domain       ${info.domain}   rooms on ${info.muc}
  application id    ${info.appId}   auth key ${info.authKey}   auth secret ${info.authSecret}   API key ${info.apiKey}
  demo users
${users.join('\n')}
`);
}

// The extension finds a running server through quickblox.local.restUrl; a small workspace with that
// setting lets it meet this server even on non-default ports, without touching the user's settings.
export function writeWorkspace(info, name = 'workspace') {
  const workspace = join(root, '.qb-local', name);
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'quickblox.local.restUrl': info.rest }, null, 2) + '\n');
  return workspace;
}
