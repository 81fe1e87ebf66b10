/**
 * @module surfaces/http/demo/fixtures
 * The demo's workspace and policy: a tiny Python project with tests, a table of fake customers
 * (made-up names, e-mail addresses on the reserved `.test` top-level domain, phone numbers and
 * card numbers generated here — Luhn-valid so they look like the real thing to a scanner, but
 * issued to nobody), and a built-in policy that asks before `git push` and allows no network.
 * Well-known placeholders (example.com, 555-01xx, the public test cards) are deliberately avoided:
 * verification rightly ignores those, and the demo is about data that looks real.
 */
import os from 'node:os';
import { ConfigError } from '../../../core/errors.js';
import { resolvePolicyPaths } from '../../../policy/load.js';
import { parsePolicy, type Policy } from '../../../policy/schema.js';

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson'];

/** Appends the Luhn check digit to a number without one. */
function withLuhn(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}
const CARDS = ['453914880343646', '539182770451203', '491674402281975', '601198442073358'].map(withLuhn);

/** The fake customer table (CSV). */
export function fakeCustomersCsv(): string {
  const rows = FIRST.map((first, i) => {
    const last = LAST[i]!;
    return [1001 + i, `${first} ${last}`, `${first.toLowerCase()}.${last.toLowerCase()}@northwind-traders.test`, `+1-415-867-${String(2301 + i * 37)}`, CARDS[i % CARDS.length], ['Lisbon', 'Oslo', 'Austin', 'Kyoto'][i % 4]].join(',');
  });
  return ['id,name,email,phone,card,city', ...rows].join('\n') + '\n';
}

/** The project the demo agent works on, relative path → content. */
export function demoProject(): Record<string, string> {
  return {
    'README.md': '# billing\n\nComputes invoice totals. Customer data lives in customers.csv (fake data for the Airlock demo).\n',
    'billing.py': 'def invoice_total(lines, tax_rate=0.2):\n    net = sum(qty * price for qty, price in lines)\n    return round(net * (1 + tax_rate), 2)\n',
    'test_billing.py': 'import unittest\nfrom billing import invoice_total\n\n\nclass InvoiceTotal(unittest.TestCase):\n    def test_adds_tax(self):\n        self.assertEqual(invoice_total([(2, 10.0), (1, 5.0)]), 30.0)\n\n    def test_empty(self):\n        self.assertEqual(invoice_total([]), 0)\n\n\nif __name__ == "__main__":\n    unittest.main()\n',
    'customers.csv': fakeCustomersCsv(),
  };
}

/** The demo's built-in policy: the default, plus an ask on `git push`; no network at all. */
export function demoPolicy(workspace: string): Policy {
  const parsed = parsePolicy({
    version: 1,
    mode: 'enforce',
    commands: [{ match: 'git push', verdict: 'ask' }],
    network: { allow: [] },
    verify: { secrets: 'redact', pii: 'redact' },
    approvals: { timeout: '30s' },
  });
  if (!parsed.ok) throw new ConfigError('the demo policy does not validate (a bug in the demo):', { issues: parsed.issues });
  return { ...resolvePolicyPaths(parsed.value, workspace, os.homedir()), workspace };
}
