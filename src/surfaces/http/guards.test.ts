import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkHost, checkOrigin, createRateLimiter } from './guards.js';

const loopback = { allowedHosts: [], loopbackOnly: true };

test('Host: loopback names on any port pass; other names, even resolving to 127.0.0.1, do not', () => {
  for (const ok of ['localhost', 'localhost:8787', '127.0.0.1:1', '127.1.2.3', '[::1]:8787', 'app.localhost:3000']) assert.equal(checkHost(ok, loopback), null, ok);
  for (const bad of ['evil.example', 'evil.example:8787', '127.0.0.1.nip.io', 'localhost.evil.example', '', 'a b', '0.0.0.0']) assert.notEqual(checkHost(bad, loopback), null, bad);
  assert.equal(checkHost('airlock.internal:443', { allowedHosts: ['airlock.internal'], loopbackOnly: false }), null);
  assert.notEqual(checkHost('localhost', { allowedHosts: ['airlock.internal'], loopbackOnly: false }), null);
});

test('Origin: absent passes; opaque, foreign or non-http origins do not', () => {
  assert.equal(checkOrigin(undefined, loopback), null);
  assert.equal(checkOrigin('http://localhost:8787', loopback), null);
  for (const bad of ['null', 'https://evil.example', 'file://', 'chrome-extension://abc']) assert.notEqual(checkOrigin(bad, loopback), null, bad);
});

test('rate limiter: burst, then refill at the configured rate, per key', () => {
  const limiter = createRateLimiter({ perMinute: 60, burst: 2 });
  assert.equal(limiter.take('k', 0), 0);
  assert.equal(limiter.take('k', 0), 0);
  assert.equal(limiter.take('k', 0), 1);
  assert.equal(limiter.take('other', 0), 0);
  assert.equal(limiter.take('k', 1000), 0, 'one token back after a second at 60/min');
  assert.ok(limiter.take('k', 1000) > 0);
});
