/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are JSON read from the API under test */
/**
 * The dashboard end to end in Debian's headless Chromium (driven by playwright-core): a reviewer
 * signs in with an API key, an agent's `git push` raised over the API appears live, is approved
 * in the page, and the agent's waiting run proceeds; an agent key sees no approve buttons. Each
 * page is screenshotted into docs/screenshots/ (linked from docs/dashboard.md).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createAirlock } from '../../src/airlock.js';
import { defaultPolicy } from '../../src/policy/schema.js';
import { askOnGitPush, eventually, startTestGateway, type TestGateway } from '../http/helpers.js';
import { scratchDir } from '../tmp.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.resolve(import.meta.dirname, '../../docs/screenshots');
const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}: run scripts/install-browser.sh (needs apt-get and root/sudo)`;

describe('dashboard in headless Chromium', { skip }, () => {
  let gw: TestGateway;
  let browser: any;
  let context: any;
  let profile: string;
  let realAsk = false;
  before(async () => {
    // The real pipeline when it applies command rules (then the page shows the parsed programs),
    // else the stand-in that makes `git push` an ask the same way.
    const policy = { ...defaultPolicy(), workspace: os.tmpdir(), commands: [{ match: 'git push', verdict: 'ask' as const }] };
    const probeOptions = { policy, audit: false as const };
    const probe = createAirlock(probeOptions);
    realAsk = (await probe.check({ kind: 'command', argv: ['git', 'push', 'origin', 'main'] })).verdict === 'ask';
    await probe.close();
    gw = await startTestGateway(realAsk ? { policy: { ...policy, workspace: scratchDir('airlock-dash-ws-') } } : { createAirlock: askOnGitPush });
    profile = mkdtempSync(path.join(os.tmpdir(), 'airlock-chromium-'));
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 860 },
    });
    browser = context;
    mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await gw?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  test('an ask raised by an agent appears live, is approved in the page, and the run proceeds', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e: Error) => errors.push(e.message));
    // Some history first, so the timeline and chart have something to show.
    const s = (await gw.call(gw.keys.aAgent, 'POST', '/v1/sessions', { name: 'refactor-billing' })).body;
    const run = (action: unknown) => gw.call(gw.keys.aAgent, 'POST', `/v1/sessions/${s.id}/runs`, action);
    await run({ kind: 'write_file', path: 'app.py', content: 'print("total", 6 * 7)\n' });
    await run({ kind: 'command', argv: ['python3', 'app.py'] });
    await run({ kind: 'list_files' });
    await run({ kind: 'command', argv: ['sh', '-c', 'exit 3'] });

    await page.goto(gw.url);
    await page.screenshot({ path: path.join(SHOTS, 'login.png') });
    await page.fill('#key', gw.keys.aReviewer);
    await page.press('#key', 'Enter');
    await page.waitForSelector('#no-approvals');
    await page.waitForSelector('#live:has-text("live")');

    const pushing = run({ kind: 'command', argv: ['git', 'push', 'origin', 'main'] });
    const card = page.locator('article.approval', { hasText: 'git push origin main' });
    await card.waitFor({ timeout: 15_000 });
    const text = await card.innerText();
    assert.match(text, /Why Airlock asks\s+\S/, 'the reasons behind the ask are shown');
    if (realAsk) assert.match(text, /Programs it would run\s+git push origin main/, 'the parsed programs are shown');
    else assert.match(text, /policy\.command-rule/, 'the finding with its rule id is shown');
    // The count is fetched after the card is drawn (route() ends with refreshCount()).
    await eventually(async () => (await page.locator('#pending-count').innerText()) === '1', 'the pending count to read 1');
    await page.screenshot({ path: path.join(SHOTS, 'approvals.png'), fullPage: true });

    // Keyboard: focus the button and press Enter.
    await card.getByRole('button', { name: 'Approve once' }).focus();
    await page.keyboard.press('Enter');
    const result = (await pushing).body;
    assert.equal(result.approval.answer, 'approved');
    assert.equal(result.approval.by, 'http:aReviewer');
    assert.equal(result.ran, true);

    await page.click('nav a[data-page="timeline"]');
    await page.waitForSelector('tr.run-row');
    await eventually(async () => (await page.locator('tr.run-row').count()) === 5, 'five runs in the timeline');
    assert.match(await page.locator('svg.chart').getAttribute('aria-label'), /Verdicts over time: \d+ allowed, \d+ asked, \d+ denied/);
    await page.screenshot({ path: path.join(SHOTS, 'timeline.png'), fullPage: true });

    await page.click('tr.run-row >> text=python3 app.py');
    await page.waitForSelector('#chain p');
    assert.match(await page.locator('pre[aria-label="stdout"]').innerText(), /total 42/);
    assert.match(await page.locator('#chain').innerText(), /Intact/);
    await page.screenshot({ path: path.join(SHOTS, 'run-detail.png'), fullPage: true });

    await page.click('nav a[data-page="audit"]');
    await page.waitForSelector('#chain-status');
    assert.match(await page.locator('#chain-status').innerText(), /intact/);
    await page.screenshot({ path: path.join(SHOTS, 'audit.png') });

    await page.click('nav a[data-page="policy"]');
    await page.waitForSelector('pre[aria-label="policy"]');
    await page.screenshot({ path: path.join(SHOTS, 'policy.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('an agent key signs in but cannot approve', async () => {
    const page = await context.newPage();
    await page.goto(gw.url);
    await page.evaluate('sessionStorage.clear()');
    await page.reload();
    await page.fill('#key', gw.keys.aAgent);
    await page.press('#key', 'Enter');
    await page.waitForSelector('text=only reviewer and admin keys');
    assert.equal(await page.locator('article.approval button').count(), 0);
    await page.close();
  });

  test('a wrong key is refused in the page', async () => {
    const page = await context.newPage();
    await page.goto(gw.url);
    await page.fill('#key', 'alk_wrongwrongwrongwrongwrong');
    await page.press('#key', 'Enter');
    await page.waitForSelector('#login-error:has-text("not valid")');
    await page.close();
  });
});
