import * as assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { parseCliArgs, UsageError } from '../../src/server/cli';

describe('server: CLI arguments', () => {
  it('defaults to the data file under .qb-local', () => {
    assert.deepEqual(parseCliArgs([]), { kind: 'run', options: { dataPath: resolve('.qb-local/chat.db') } });
  });

  it('reads every option, as "--name value" or "--name=value"', () => {
    const command = parseCliArgs([
      '--host', '127.0.0.1', '--http-port=0', '--xmpp-port', '5333', '--domain', 'example.test', '--memory', '--demo',
      '--app-id', '7', '--auth-key', 'k', '--auth-secret=s', '--api-key', 'a',
    ]);
    assert.deepEqual(command, {
      kind: 'run',
      options: {
        host: '127.0.0.1', httpPort: 0, xmppPort: 5333, domain: 'example.test', memory: true, demo: true,
        appId: 7, authKey: 'k', authSecret: 's', apiKey: 'a',
      },
    });
  });

  it('collects every --cors-origin', () => {
    const command = parseCliArgs(['--memory', '--cors-origin', 'http://app.test:3000', '--cors-origin=https://other.test']);
    assert.deepEqual(command, { kind: 'run', options: { memory: true, corsOrigins: ['http://app.test:3000', 'https://other.test'] } });
    assert.throws(() => parseCliArgs(['--cors-origin']), UsageError);
  });

  it('asks for help', () => {
    assert.deepEqual(parseCliArgs(['--demo', '--help']), { kind: 'help' });
  });

  for (const argv of [['--bogus'], ['stray'], ['--http-port', '70000'], ['--http-port'], ['--app-id', '0'], ['--data', 'x.db', '--memory'], ['--demo=1']]) {
    it(`rejects ${argv.join(' ')}`, () => {
      assert.throws(() => parseCliArgs(argv), UsageError);
    });
  }
});
