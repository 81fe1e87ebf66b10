import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyGlob, classifyPath, classifyPathOrGlob } from './paths.js';

describe('classifyGlob', () => {
  it('judges an unquoted glob by the sensitive files it could expand to', () => {
    for (const g of ['~/.a?s/credentials', '~/.aws/cred*', '$HOME/.[a]ws/c*', '/???/shadow', '~/.ssh/id_*', '~/.ss?', '/home/*/.ssh/id_rsa', '/root/.g*pg/*', '/proc/*/environ']) {
      assert.equal(classifyGlob(g), 'credential', g);
    }
    assert.equal(classifyGlob('/etc/pass??'), 'system');
    assert.equal(classifyGlob('~/.b*rc'), 'persistence');
  });

  it('leaves ordinary globs, hidden-file catch-alls and bash\'s leading-dot rule alone', () => {
    for (const g of ['src/*.ts', '*.txt', '/tmp/*', '~/*', '~/projects/*/README*', '.*', 'x/.*', '[abc].txt', '/var/log/*.log', 'no-glob']) {
      assert.equal(classifyGlob(g), undefined, g);
    }
    // `*` never matches a leading dot, as in bash: ~/*/credentials cannot reach ~/.aws/credentials.
    assert.equal(classifyGlob('~/*/credentials'), undefined);
  });

  it('classifyPath stays literal', () => {
    assert.equal(classifyPath('~/.a?s/credentials'), undefined);
    assert.equal(classifyPath('~/.aws/credentials'), 'credential');
  });

  it('classifyPathOrGlob takes a literal path, else a glob (paths code names for glob())', () => {
    assert.equal(classifyPathOrGlob('~/.aws/credentials'), 'credential');
    assert.equal(classifyPathOrGlob('~/.a?s/cred*'), 'credential');
    assert.equal(classifyPathOrGlob('src/**/*.py'), undefined);
  });
});
