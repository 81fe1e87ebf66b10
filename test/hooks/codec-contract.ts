/**
 * The contract every hook codec must keep (`runHookCodecContract`), run against Claude Code,
 * Codex and Cursor. Each agent supplies its payloads and an `interpret` function: an independent
 * reading of what the agent would do with the hook's output, written from the agent's docs. The
 * contract's core: nothing Airlock cannot read or decide ever comes out as "go ahead".
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadPolicy } from '../../src/load-policy.js';
import { createAirlock } from '../../src/airlock.js';
import { runHook, type HookCodec, type HookOutput, type HookRequest } from '../../src/integrations/hooks/index.js';
import type { Decision } from '../../src/core/contracts.js';

/** What the agent does with a hook output. */
export type AgentReading = 'allow' | 'ask' | 'deny' | 'none';

/** One agent's side of the contract. */
export interface CodecCase {
  codec: HookCodec;
  /** What the agent does with this output for this request (null: undecodable input). */
  interpret(out: HookOutput, request: HookRequest | null): AgentReading;
  /** A real payload of a shell-command gate event for `command` in `cwd`. */
  shellGate(command: string, cwd: string): unknown;
  /** A real payload of an after-the-fact event. */
  observe(cwd: string): unknown;
  /** What the agent does with an "ask": `ask`, or `deny` for agents that cannot ask. */
  askBecomes: 'ask' | 'deny';
  /** What the agent does with an "allow": `allow`, or `none` when the codec leaves the agent's own flow in charge. */
  allowBecomes: 'allow' | 'none';
}

const stubDecision = (verdict: Decision['verdict']): Decision => ({
  verdict, findings: verdict === 'allow' ? [] : [{ rule: 'test.rule', severity: 'high', category: 'destruction', message: 'a test finding' }],
  reasons: verdict === 'allow' ? [] : ['because of a test rule'], ruleIds: verdict === 'allow' ? [] : ['test.rule'],
});

/** Runs the contract for one codec. */
export function runHookCodecContract(c: CodecCase): void {
  const policy = loadPolicy({ cwd: '/tmp' }).policy;
  const checkerFor = (verdict: Decision['verdict']) => () => ({ policy, check: async () => stubDecision(verdict) });

  describe(`hook codec contract: ${c.codec.agent}`, () => {
    test('decodes a shell gate into one command action with the agent\'s cwd', () => {
      const req = c.codec.decode(c.shellGate('ls -la', '/repo'));
      assert.equal(req.mode, 'gate');
      assert.equal(req.cwd, '/repo');
      assert.deepEqual(req.actions, [{ kind: 'command', argv: ['/bin/sh', '-c', 'ls -la'] }]);
    });

    for (const verdict of ['allow', 'ask', 'deny'] as const) {
      test(`a pipeline "${verdict}" reaches the agent as ${verdict === 'ask' ? c.askBecomes : verdict}, with the rule in the message`, async () => {
        const stdin = JSON.stringify(c.shellGate('make clean', '/repo'));
        const out = await runHook(c.codec, stdin, { checker: checkerFor(verdict) });
        const req = c.codec.decode(JSON.parse(stdin));
        assert.equal(c.interpret(out, req), verdict === 'ask' ? c.askBecomes : verdict === 'allow' ? c.allowBecomes : verdict);
        assert.notEqual(out.exitCode, 1, 'exit 1 means "go ahead" to every agent');
        if (verdict !== 'allow') assert.match(out.stdout + out.stderr, /test\.rule/);
      });
    }

    test('stdout is empty or exactly one JSON object', async () => {
      for (const verdict of ['allow', 'ask', 'deny'] as const) {
        const out = await runHook(c.codec, JSON.stringify(c.shellGate('ls', '/repo')), { checker: checkerFor(verdict) });
        if (out.stdout.trim()) assert.equal(typeof JSON.parse(out.stdout), 'object');
      }
    });

    test('input that is not JSON, or not this agent\'s, is blocked', async () => {
      for (const stdin of ['', 'not json', '[]', '{"hello": "world"}']) {
        const out = await runHook(c.codec, stdin, { checker: checkerFor('allow') });
        assert.equal(c.interpret(out, null), 'deny', `stdin ${JSON.stringify(stdin)} → ${JSON.stringify(out)}`);
      }
    });

    test('a policy that cannot load, or a check that throws, blocks with the reason', async () => {
      const stdin = JSON.stringify(c.shellGate('ls', '/repo'));
      const req = c.codec.decode(JSON.parse(stdin));
      const noPolicy = await runHook(c.codec, stdin, { checker: () => { throw new Error('policy.yaml: line 3: bad indent'); } });
      assert.equal(c.interpret(noPolicy, req), 'deny');
      assert.match(noPolicy.stdout + noPolicy.stderr, /bad indent/);
      const broken = await runHook(c.codec, stdin, { checker: () => ({ policy, check: async () => { throw new Error('parser crashed'); } }) });
      assert.equal(c.interpret(broken, req), 'deny');
      assert.match(broken.stdout + broken.stderr, /parser crashed/);
    });

    test('after-the-fact events are answered without blocking and without loading a policy', async () => {
      const out = await runHook(c.codec, JSON.stringify(c.observe('/repo')), { checker: () => { throw new Error('must not be called'); } });
      assert.equal(out.exitCode, 0);
      assert.notEqual(c.interpret(out, c.codec.decode(c.observe('/repo'))), 'deny');
    });

    test('with the real pipeline, an ordinary command is not refused', async () => {
      const airlock = createAirlock({ policy });
      const stdin = JSON.stringify(c.shellGate('ls -la src', '/repo'));
      const out = await runHook(c.codec, stdin, { checker: () => airlock });
      assert.ok(['allow', 'none'].includes(c.interpret(out, c.codec.decode(JSON.parse(stdin)))), JSON.stringify(out));
    });
  });
}
