/**
 * @module sandbox/seccomp/bpf
 * A tiny assembler for classic BPF as the kernel's seccomp expects it (`struct sock_filter`:
 * u16 code, u8 jt, u8 jf, u32 k, little-endian on the machines we support). Jumps name labels;
 * `assemble` resolves them to the 8-bit relative offsets classic BPF uses and refuses a program
 * whose jumps do not fit, rather than emitting a filter that means something else. Pure.
 */

/** Instruction classes and modes used by seccomp filters. */
const BPF_LD_W_ABS = 0x20;
const BPF_JMP_JEQ_K = 0x15;
const BPF_JMP_JGE_K = 0x35;
const BPF_JMP_JSET_K = 0x45;
const BPF_JMP_JA = 0x05;
const BPF_RET_K = 0x06;

/** One instruction before label resolution. */
export type BpfOp =
  | { op: 'load'; offset: number }
  | { op: 'jeq' | 'jge' | 'jset'; value: number; then: string; else?: string }
  | { op: 'jump'; to: string }
  | { op: 'ret'; value: number }
  | { op: 'label'; name: string };

const JUMP_CODES = { jeq: BPF_JMP_JEQ_K, jge: BPF_JMP_JGE_K, jset: BPF_JMP_JSET_K } as const;

/**
 * Assembles ops into the bytes of a `sock_filter` array. A conditional's missing `else` means
 * "fall through to the next instruction".
 *
 * @example
 * assemble([{ op: 'ret', value: 0x7fff0000 }]).length // 8
 */
export function assemble(ops: readonly BpfOp[]): Buffer {
  const labels = new Map<string, number>();
  const code: Exclude<BpfOp, { op: 'label' }>[] = [];
  for (const op of ops) {
    if (op.op === 'label') {
      if (labels.has(op.name)) throw new Error(`seccomp: duplicate label ${op.name}`);
      labels.set(op.name, code.length);
    } else code.push(op);
  }
  if (code.length > 4096) throw new Error('seccomp: program longer than BPF_MAXINSNS');
  const out = Buffer.alloc(code.length * 8);
  const target = (from: number, label: string, max: number): number => {
    const at = labels.get(label);
    if (at === undefined) throw new Error(`seccomp: unknown label ${label}`);
    const rel = at - from - 1;
    if (rel < 0 || rel > max) throw new Error(`seccomp: jump from ${from} to ${label} out of range`);
    return rel;
  };
  code.forEach((op, i) => {
    const at = i * 8;
    let c = 0, jt = 0, jf = 0, k = 0;
    switch (op.op) {
      case 'load': c = BPF_LD_W_ABS; k = op.offset; break;
      case 'ret': c = BPF_RET_K; k = op.value; break;
      case 'jump': c = BPF_JMP_JA; k = target(i, op.to, 0xffffffff); break;
      default:
        c = JUMP_CODES[op.op];
        k = op.value;
        jt = target(i, op.then, 255);
        jf = op.else === undefined ? 0 : target(i, op.else, 255);
    }
    out.writeUInt16LE(c, at);
    out.writeUInt8(jt, at + 2);
    out.writeUInt8(jf, at + 3);
    out.writeUInt32LE(k >>> 0, at + 4);
  });
  return out;
}

/** Decodes a program back to readable lines, for tests and `AIRLOCK_DEBUG`. */
export function disassemble(program: Buffer): string[] {
  const lines: string[] = [];
  for (let i = 0; i < program.length; i += 8) {
    const code = program.readUInt16LE(i);
    const jt = program.readUInt8(i + 2);
    const jf = program.readUInt8(i + 3);
    const k = program.readUInt32LE(i + 4);
    const n = i / 8;
    const hex = `0x${k.toString(16)}`;
    if (code === BPF_LD_W_ABS) lines.push(`${n}: ld [${k}]`);
    else if (code === BPF_RET_K) lines.push(`${n}: ret ${hex}`);
    else if (code === BPF_JMP_JA) lines.push(`${n}: ja ${n + 1 + k}`);
    else {
      const name = code === BPF_JMP_JEQ_K ? 'jeq' : code === BPF_JMP_JGE_K ? 'jge' : code === BPF_JMP_JSET_K ? 'jset' : `op${code}`;
      lines.push(`${n}: ${name} ${hex} ? ${n + 1 + jt} : ${n + 1 + jf}`);
    }
  }
  return lines;
}
