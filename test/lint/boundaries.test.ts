/**
 * The dependency direction is enforced by lint: these cases would pass silently if the rules in
 * eslint.config.js were loosened or mis-scoped.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint();
const lint = async (filePath: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
};

describe('import boundaries', () => {
  for (const layer of ['core', 'policy', 'inspect', 'verify']) {
    it(`a pure module in src/${layer} may not import node:fs, child_process or net`, async () => {
      for (const mod of ['node:fs', 'fs', 'node:child_process', 'node:net', 'node:http']) {
        const messages = await lint(`src/${layer}/example.ts`, `import x from '${mod}';\nexport const y = x;\n`);
        assert.equal(messages.length, 1, `${layer} importing ${mod} was not reported`);
        assert.match(messages[0]!, /Pure modules/);
      }
    });
  }

  it('a pure module may not import an I/O layer', async () => {
    const messages = await lint('src/inspect/example.ts', "import { runSandboxed } from '../sandbox/runner.js';\nexport const y = runSandboxed;\n");
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /dependency direction/);
  });

  it('core imports nothing else of Airlock', async () => {
    const messages = await lint('src/core/example.ts', "import { parsePolicy } from '../policy/schema.js';\nexport const y = parsePolicy;\n");
    assert.equal(messages.length, 1);
  });

  it('I/O layers may not import integrations or surfaces, integrations may not import surfaces', async () => {
    assert.equal((await lint('src/sandbox/example.ts', "import { main } from '../surfaces/cli/main.js';\nexport const y = main;\n")).length, 1);
    assert.equal((await lint('src/integrations/example.ts', "import { main } from '../surfaces/cli/main.js';\nexport const y = main;\n")).length, 1);
  });

  it('allows what the direction allows', async () => {
    assert.deepEqual(await lint('src/policy/example.ts', "import path from 'node:path';\nimport type { Finding } from '../core/contracts.js';\nexport const y: Finding[] = [];\nexport const z = path.sep;\n"), []);
    assert.deepEqual(await lint('src/sandbox/example.ts', "import { readFileSync } from 'node:fs';\nimport { parsePolicy } from '../policy/schema.js';\nexport const y = [readFileSync, parsePolicy];\n"), []);
  });
});
