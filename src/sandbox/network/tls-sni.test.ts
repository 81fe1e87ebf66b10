import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { describe, it } from 'node:test';
import { parseClientHello, sniGate } from './tls-sni.js';

/** The first bytes a real node TLS client sends for `servername`. */
async function realHello(servername?: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const server = net.createServer((s) => {
      s.once('data', (d: Buffer) => { resolve(d); s.destroy(); server.close(); });
    });
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      const c = tls.connect({ host: '127.0.0.1', port, ...(servername ? { servername } : {}), rejectUnauthorized: false });
      c.on('error', () => undefined);
    });
  });
}

describe('TLS ClientHello server name', () => {
  it('reads the SNI of a real ClientHello, and none when absent', async () => {
    const hello = await realHello('API.Example.test');
    assert.deepEqual(parseClientHello(hello), { state: 'tls', sni: 'api.example.test' });
    assert.deepEqual(parseClientHello(await realHello()), { state: 'tls', sni: undefined });
  });

  it('waits for a split record, passes non-TLS bytes, refuses truncated or lying lengths', async () => {
    const hello = await realHello('a.test');
    assert.deepEqual(parseClientHello(hello.subarray(0, 3)), { state: 'incomplete' });
    assert.deepEqual(parseClientHello(hello.subarray(0, hello.length - 1)), { state: 'incomplete' });
    assert.deepEqual(parseClientHello(Buffer.from('SSH-2.0-OpenSSH\r\n')), { state: 'not-tls' });
    const lying = Buffer.from(hello);
    lying.writeUInt16BE(0xffff, 9 + 2 + 32 + 1 + lying[43]! ); // cipher suites length beyond the record
    assert.equal(parseClientHello(lying).state, 'malformed');
    for (let cut = 6; cut < 60; cut += 7) {
      const b = Buffer.from(hello.subarray(0, cut));
      b.writeUInt16BE(cut - 5, 3);
      assert.notEqual(parseClientHello(b).state, 'tls', `cut at ${cut}`);
    }
  });

  it('the gate cuts a tunnel whose SNI names another host', async () => {
    assert.equal(sniGate('a.test')(await realHello('a.test')), undefined);
    assert.match(sniGate('a.test')(await realHello('b.test')) ?? '', /"b\.test" is not the tunnel's host "a\.test"/);
    assert.equal(sniGate('a.test')(Buffer.from([0x16, 3])), 'more');
  });
});
