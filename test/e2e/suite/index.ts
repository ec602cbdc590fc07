// Entry point of the extension-host suite (runTests' extensionTestsPath): VS Code calls run() inside
// the extension host once the extension under development is loaded, and exits with its outcome.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const log = logger(process.env.E2E_TEST_LOG);
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 20000 });
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  }
  let failures: number;
  try {
    failures = await new Promise<number>((resolve) => {
      const runner = mocha.run((count) => {
        writeResult(process.env.E2E_MARKER_DIR, runner.stats?.passes ?? 0, count, runner.stats?.pending ?? 0);
        resolve(count);
      });
    });
  } catch (err) {
    // A test file that fails to load throws here, before the reporter prints anything.
    log(`the suite could not run: ${err instanceof Error ? err.stack : String(err)}`);
    throw err;
  }
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}

// In code-server the extension host's console reaches only the browser's log service, and VS Code
// makes console.log non-writable there, so copy what the reporter prints into a file the runner shows.
function logger(logFile: string | undefined): (text: string) => void {
  const original = Mocha.reporters.Base.consoleLog;
  const log = (text: string) => {
    if (logFile) fs.appendFileSync(logFile, text + '\n');
  };
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
    log(util.format(...args));
    original(...args);
  };
  return log;
}

// The outer runner adds these counts to its "N passed, N failed" total.
function writeResult(markerDir: string | undefined, passes: number, failures: number, pending: number): void {
  if (markerDir) fs.writeFileSync(path.join(markerDir, 'mocha-result.json'), JSON.stringify({ passes, failures, pending }));
}
