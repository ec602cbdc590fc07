import * as assert from 'node:assert/strict';
import { attachmentOf, MAX_BURST, parseCustomParams, parseSaved, parseTestMessageRequest, planSends } from '../../src/ui/testMessageTemplates';

const DIALOG = '65f000000000000000000001';

describe('ui: test message templates', () => {
  it('plain text is not markable; markable is', () => {
    assert.deepEqual(planSends({ kind: 'text', text: 'a' }), [{ kind: 'message', text: 'a', options: { markable: false, customParams: {} } }]);
    const [markable] = planSends({ kind: 'markable', text: 'a' });
    assert.equal(markable.kind === 'message' && markable.options.markable, true);
  });

  it('sends attachments, custom parameters and REST as options of one message', () => {
    const [withFile] = planSends({ kind: 'attachment', text: 'f', attachment: { type: 'image', id: '7' } });
    assert.deepEqual(withFile.kind === 'message' && withFile.options.attachments, [{ type: 'image', id: '7' }]);
    const [custom] = planSends({ kind: 'custom', text: 'c', customParams: { k: 'v' } });
    assert.deepEqual(custom.kind === 'message' && custom.options.customParams, { k: 'v' });
    const [rest] = planSends({ kind: 'rest', text: 'r' });
    assert.equal(rest.kind === 'message' && rest.options.viaRest, true);
  });

  it('numbers a burst and bounds it', () => {
    assert.deepEqual(planSends({ kind: 'burst', text: 'b', count: 3 }).map((p) => p.kind === 'message' && p.text), ['b (1/3)', 'b (2/3)', 'b (3/3)']);
    assert.equal(planSends({ kind: 'burst', text: 'b', count: 10_000 }).length, MAX_BURST);
    assert.equal(planSends({ kind: 'burst', text: 'b', count: 0 }).length, 1);
  });

  it('a system notification is a system send with its parameters', () => {
    assert.deepEqual(planSends({ kind: 'system', text: 'hey', customParams: { a: 'b' } }), [{ kind: 'system', body: 'hey', customParams: { a: 'b' } }]);
  });

  it('parses custom parameters and says what is wrong', () => {
    assert.deepEqual(parseCustomParams('a=1, b = two\nc='), { a: '1', b: 'two', c: '' });
    assert.match((parseCustomParams('novalue') as { error: string }).error, /no value/);
    assert.match((parseCustomParams('dialog_id=x') as { error: string }).error, /protocol field/);
    assert.match((parseCustomParams('1bad=x') as { error: string }).error, /cannot be a parameter name/);
  });

  it('reads an attachment value as a URL or an id', () => {
    assert.deepEqual(attachmentOf('image', ' https://example.com/a.png '), { type: 'image', url: 'https://example.com/a.png' });
    assert.deepEqual(attachmentOf('file', 'abc123'), { type: 'file', id: 'abc123' });
  });

  it('checks requests and saved messages that come from outside', () => {
    assert.deepEqual(parseTestMessageRequest({ target: { dialogId: DIALOG }, spec: { kind: 'text', text: 'x' }, saveAs: 'n' }), {
      target: { dialogId: DIALOG },
      spec: { kind: 'text', text: 'x' },
      saveAs: 'n',
    });
    assert.equal(parseTestMessageRequest({ target: { dialogId: 'nope' }, spec: { kind: 'text', text: 'x' } }), undefined);
    assert.equal(parseTestMessageRequest({ target: { userId: 2 }, spec: { kind: 'shout', text: 'x' } }), undefined);
    assert.equal(parseSaved({ name: 'n', target: { userId: 2 }, spec: { kind: 'custom', text: 'x', customParams: { message_id: 'x' } } }), undefined);
    assert.deepEqual(parseSaved({ name: 'n', target: { userId: 2 }, spec: { kind: 'burst', text: 'x', count: 9999 } })?.spec.count, MAX_BURST);
  });
});
