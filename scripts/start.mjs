// `npm start`: build everything, start the local chat server with demo data, and open VS Code with
// the extension loaded when a `code` command is on the PATH (otherwise print how to). Extra
// arguments go to the server: `npm start -- --http-port 9090 --memory`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const serverArgs = process.argv.slice(2);

const built = spawnSync(process.execPath, [join(root, 'esbuild.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const hasData = serverArgs.some((a) => a === '--data' || a === '--memory');
const args = [join(root, 'dist', 'server.js'), '--demo', ...(hasData ? [] : ['--data', join(root, '.qb-local', 'chat.db')]), ...serverArgs];
// The IPC channel is only a lifeline: the server shuts down when it closes, so it never outlives
// this script, however this script ends.
const server = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });

const stop = () => server.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 0));

createInterface({ input: server.stdout }).on('line', (line) => {
  if (!line.startsWith('ready ')) return console.log(line);
  const info = JSON.parse(line.slice('ready '.length));
  printInfo(info);
  openEditor(info);
});

function printInfo(info) {
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
function openEditor(info) {
  const workspace = join(root, '.qb-local', 'workspace');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'quickblox.local.restUrl': info.rest }, null, 2) + '\n');
  const code = spawnSync('code', ['--version'], { stdio: 'ignore', shell: process.platform === 'win32' });
  if (code.status === 0) {
    spawn('code', [`--extensionDevelopmentPath=${root}`, workspace], { stdio: 'ignore', detached: true, shell: process.platform === 'win32' }).unref();
    console.log('Opened VS Code with the extension loaded: open the QuickBlox view in the activity bar.');
  } else {
    console.log(`No \`code\` command on the PATH. To use the extension:
  - desktop VS Code: run \`code --extensionDevelopmentPath=${root} ${workspace}\`
    (or open this folder in VS Code and press F5 "Run Extension").
The extension connects to this server through the setting quickblox.local.restUrl = ${info.rest}`);
  }
}
