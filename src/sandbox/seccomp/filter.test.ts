import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assemble, disassemble } from './bpf.js';
import { buildSeccompFilter, DENIED_SYSCALLS_X86_64 } from './filter.js';

/** A tiny classic-BPF interpreter, enough to run our filter against synthetic seccomp_data. */
function evaluate(program: Buffer, data: { nr: number; arch: number; args?: bigint[] }): number {
  const mem = Buffer.alloc(64);
  mem.writeInt32LE(data.nr, 0);
  mem.writeUInt32LE(data.arch, 4);
  (data.args ?? []).forEach((a, i) => mem.writeBigUInt64LE(a, 16 + i * 8));
  let acc = 0;
  for (let pc = 0; pc < program.length / 8;) {
    const code = program.readUInt16LE(pc * 8);
    const jt = program.readUInt8(pc * 8 + 2);
    const jf = program.readUInt8(pc * 8 + 3);
    const k = program.readUInt32LE(pc * 8 + 4);
    if (code === 0x20) { acc = mem.readUInt32LE(k); pc++; continue; }
    if (code === 0x06) return k;
    if (code === 0x05) { pc += 1 + k; continue; }
    const cond = code === 0x15 ? acc === k : code === 0x35 ? acc >= k : code === 0x45 ? (acc & k) !== 0 : (() => { throw new Error(`op ${code}`); })();
    pc += 1 + (cond ? jt : jf);
  }
  throw new Error('fell off the end');
}

const X86_64 = 0xc000003e;
const ALLOW = 0x7fff0000;
const EPERM = 0x00050001;
const KILL = 0x80000000;

describe('seccomp filter', () => {
  const program = buildSeccompFilter('x64')!;

  it('is only built for architectures it has a table for', () => {
    assert.equal(buildSeccompFilter('arm64'), undefined);
    assert.ok(program.length > 0 && program.length % 8 === 0);
  });

  it('denies every listed syscall with EPERM and allows ordinary ones', () => {
    for (const [name, nr] of Object.entries(DENIED_SYSCALLS_X86_64)) {
      assert.equal(evaluate(program, { nr, arch: X86_64 }) >>> 0, EPERM, name);
    }
    for (const nr of [0, 1, 2, 3, 9, 39, 57, 59, 231]) assert.equal(evaluate(program, { nr, arch: X86_64 }) >>> 0, ALLOW, `nr ${nr}`);
  });

  it('kills foreign architectures and x32 calls', () => {
    assert.equal(evaluate(program, { nr: 20, arch: 0x40000003 }) >>> 0, KILL);
    assert.equal(evaluate(program, { nr: 39 | 0x40000000, arch: X86_64 }) >>> 0, KILL);
  });

  it('checks only the low 32 bits of the ioctl request', () => {
    assert.equal(evaluate(program, { nr: 16, arch: X86_64, args: [0n, 0x5412n] }) >>> 0, EPERM);
    assert.equal(evaluate(program, { nr: 16, arch: X86_64, args: [0n, 0x1_0000_5412n] }) >>> 0, EPERM);
    assert.equal(evaluate(program, { nr: 16, arch: X86_64, args: [0n, 0x541cn] }) >>> 0, EPERM);
    assert.equal(evaluate(program, { nr: 16, arch: X86_64, args: [0n, 0x541bn] }) >>> 0, ALLOW);
  });

  it('lets clone make threads and processes but not namespaces; clone3 is ENOSYS', () => {
    assert.equal(evaluate(program, { nr: 56, arch: X86_64, args: [0x3d0f00n] }) >>> 0, ALLOW);
    assert.equal(evaluate(program, { nr: 56, arch: X86_64, args: [0x10000000n | 17n] }) >>> 0, EPERM);
    assert.equal(evaluate(program, { nr: 56, arch: X86_64, args: [0x40000000n] }) >>> 0, EPERM);
    assert.equal(evaluate(program, { nr: 435, arch: X86_64 }) >>> 0, 0x00050026);
  });

  it('assembler resolves labels and refuses unknown ones', () => {
    const p = assemble([{ op: 'jeq', value: 1, then: 'a' }, { op: 'ret', value: 0 }, { op: 'label', name: 'a' }, { op: 'ret', value: 1 }]);
    assert.deepEqual(disassemble(p), ['0: jeq 0x1 ? 2 : 1', '1: ret 0x0', '2: ret 0x1']);
    assert.throws(() => assemble([{ op: 'jump', to: 'nowhere' }]), /unknown label/);
  });
});
