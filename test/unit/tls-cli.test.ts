import * as assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { parseCliArgs, UsageError } from '../../src/server/cli';

describe('server: CLI TLS options', () => {
  it('reads --tls-cert and --tls-key as absolute paths', () => {
    assert.deepEqual(parseCliArgs(['--memory', '--tls-cert', 'c.pem', '--tls-key=k.pem']), {
      kind: 'run',
      options: { memory: true, tls: { certFile: resolve('c.pem'), keyFile: resolve('k.pem') } },
    });
  });

  it('reads --tls as a self-signed certificate', () => {
    assert.deepEqual(parseCliArgs(['--memory', '--tls']), { kind: 'run', options: { memory: true, tls: { selfSigned: true } } });
  });

  for (const argv of [['--tls-cert', 'c.pem'], ['--tls-key', 'k.pem'], ['--tls', '--tls-cert', 'c', '--tls-key', 'k'], ['--tls=1']]) {
    it(`rejects ${argv.join(' ')}`, () => {
      assert.throws(() => parseCliArgs(argv), UsageError);
    });
  }
});
