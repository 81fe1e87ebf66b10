import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspectCode } from '../inspect/engine.js';
import { checkCommandRuleExamples, matchCommandRules, matchesWords, ruleWords } from './commands.js';
import { parsePolicy, type Policy } from './schema.js';

function policy(input: unknown): Policy {
  const r = parsePolicy(input);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
  return r.value;
}

async function ids(code: string, rules: unknown[]): Promise<string[]> {
  const { invocations } = await inspectCode('shell', code);
  return [...new Set(matchCommandRules(invocations, policy({ commands: rules }).commands).map((m) => m.id))];
}

test('ruleWords splits strings with quotes and keeps arrays', () => {
  assert.deepEqual(ruleWords('git commit -m "a b"'), ['git', 'commit', '-m', 'a b']);
  assert.deepEqual(ruleWords(['rm', '-rf']), ['rm', '-rf']);
});

test('program matched by basename, * is exactly one argument', () => {
  assert.equal(matchesWords(['rm'], { program: 'rm', path: '/bin/rm', args: ['x'], via: [] }, 'deny'), true);
  assert.equal(matchesWords(['/usr/bin/rm'], { program: 'rm', args: [], via: [] }, 'deny'), true);
  assert.equal(matchesWords(['npm', 'run', '*'], { program: 'npm', args: ['run'], via: [] }, 'allow'), false);
  assert.equal(matchesWords(['npm', 'run', '*'], { program: 'npm', args: ['run', 'build'], via: [] }, 'allow'), true);
});

test('options match anywhere and inside combined short flags', () => {
  const inv = { program: 'rm', args: ['-fr', 'dir'], via: [] };
  assert.equal(matchesWords(['rm', '-r', '-f'], inv, 'deny'), true);
  assert.equal(matchesWords(['rm', '--recursive'], inv, 'deny'), false);
  assert.equal(matchesWords(['git', 'push', '--force'], { program: 'git', args: ['push', 'origin', '--force'], via: [] }, 'deny'), true);
  assert.equal(matchesWords(['git', 'push', '--force'], { program: 'git', args: ['push', '--force-with-lease'], via: [] }, 'deny'), false);
});

test('deny/ask rules tolerate words in between; allow rules need the exact leading words', () => {
  const inv = { program: 'git', args: ['-C', 'repo', 'push'], via: [] };
  assert.equal(matchesWords(['git', 'push'], inv, 'ask'), true);
  assert.equal(matchesWords(['git', 'push'], inv, 'allow'), false);
});

test('rules see through chaining, wrappers, substitutions and quoting', async () => {
  const rule = [{ id: 'push', match: 'git push', verdict: 'ask' }];
  for (const code of ['npm test && git push', 'sudo -u me git push', "g''it push", 'echo $(git push)', 'bash -c "git push"', 'xargs git push < list', 'env A=1 timeout 9 /usr/bin/git push']) {
    assert.deepEqual(await ids(code, rule), ['push'], code);
  }
  assert.deepEqual(await ids('git pull; echo git push', rule), []);
});

test('checkCommandRuleExamples reports examples that do not behave', async () => {
  const good = policy({ commands: [{ match: 'git push', verdict: 'ask', examples: { match: ['cd x && git push'], notMatch: ['git pull'] } }] });
  assert.deepEqual(await checkCommandRuleExamples(good), []);
  const bad = policy({ commands: [{ match: 'git push', verdict: 'ask', examples: { match: ['git pull'], notMatch: ['git push origin'] } }] });
  const issues = await checkCommandRuleExamples(bad);
  assert.deepEqual(issues.map((i) => i.path), ['commands[0].examples.match[0]', 'commands[0].examples.notMatch[0]']);
});
