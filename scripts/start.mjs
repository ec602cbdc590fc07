// `npm start`: build everything, start the local chat server with demo data, and open VS Code with
// the extension loaded when a `code` command is on the PATH (otherwise print how to). Extra
// arguments go to the server: `npm start -- --http-port 9090 --memory`.
import { spawn, spawnSync } from 'node:child_process';
import { buildAll, printServerInfo, root, startDemoServer, writeWorkspace } from './demoServer.mjs';

buildAll();
const server = startDemoServer(process.argv.slice(2), (info) => {
  printServerInfo(info);
  openEditor(info);
});

const stop = () => server.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 0));

function openEditor(info) {
  const workspace = writeWorkspace(info);
  const code = spawnSync('code', ['--version'], { stdio: 'ignore', shell: process.platform === 'win32' });
  if (code.status === 0) {
    spawn('code', [`--extensionDevelopmentPath=${root}`, workspace], { stdio: 'ignore', detached: true, shell: process.platform === 'win32' }).unref();
    console.log('Opened VS Code with the extension loaded: open the QuickBlox view in the activity bar.');
  } else {
    console.log(`No \`code\` command on the PATH. To use the extension:
  - desktop VS Code: run \`code --extensionDevelopmentPath=${root} ${workspace}\`
    (or open this folder in VS Code and press F5 "Run Extension"),
  - or a browser VS Code: \`npm run workbench\`.
The extension connects to this server through the setting quickblox.local.restUrl = ${info.rest}`);
  }
}
