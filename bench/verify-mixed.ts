/**
 * @module bench/verify-mixed
 * A deterministic generator of mixed program output (logs, code, JSON, prose) with planted secrets
 * and PII, for the verify throughput benchmark.
 */

/** Deterministic PRNG (mulberry32) so every run scans the same text; tests reuse it to reproduce failures. */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** About `bytes` of mixed output: logs, code, JSON, prose, with a planted secret or PII item every ~500 lines. */
export function mixedText(bytes: number, seed = 42): { text: string; planted: number } {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const str = (alpha: string, n: number): string => Array.from({ length: n }, () => alpha[Math.floor(rnd() * alpha.length)]).join('');
  const words = ['the', 'build', 'request', 'worker', 'cache', 'user', 'config', 'value', 'result', 'error', 'retry', 'timeout', 'module', 'install', 'package', 'compiled', 'tests', 'passed', 'server', 'listening', 'port', 'session', 'token', 'key', 'password', 'update'];
  const fields = ['name', 'status', 'region', 'owner', 'kind', 'label', 'stage'];
  const lines: string[] = [];
  let size = 0;
  let planted = 0;
  let n = 0;
  while (size < bytes) {
    n++;
    let line: string;
    if (n % 500 === 0) {
      planted++;
      line = pick([
        () => `export AWS_ACCESS_KEY_ID=AKIA${str('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`,
        () => `Authorization: Bearer ${str(alnum, 40)}`,
        () => `contact: ${pick(words)}.${pick(words)}@corp-mail.io`,
        () => `card=4111 1111 1111 1111 amount=12.00`,
        () => `db_password = "${str(alnum, 18)}"`,
        () => `slack xoxb-${str('0123456789', 11)}-${str('0123456789', 12)}-${str(alnum, 24)}`,
      ])();
    } else {
      const kind = rnd();
      if (kind < 0.35) line = `2026-11-26T${String(Math.floor(rnd() * 24)).padStart(2, '0')}:${String(Math.floor(rnd() * 60)).padStart(2, '0')}:00.${Math.floor(rnd() * 999)}Z INFO [${pick(words)}-${Math.floor(rnd() * 9)}] ${pick(words)} ${pick(words)} id=${str('0123456789abcdef', 12)} path=/api/v1/${pick(words)}/${Math.floor(rnd() * 100000)} status=${pick([200, 201, 304, 404, 500])} duration=${Math.floor(rnd() * 900)}ms`;
      else if (kind < 0.6) line = `  const ${pick(words)}${Math.floor(rnd() * 9)} = ${pick(words)}.${pick(words)}(${pick(words)}, ${Math.floor(rnd() * 1000)}); // ${pick(words)} ${pick(words)} ${pick(words)}`;
      else if (kind < 0.8) line = `{"${pick(fields)}":"${str(alnum, 8)}","count":${Math.floor(rnd() * 100000)},"ratio":${rnd().toFixed(4)},"tags":["${pick(words)}","${pick(words)}"],"ts":${1700000000 + Math.floor(rnd() * 1e7)}}`;
      else line = Array.from({ length: 12 + Math.floor(rnd() * 10) }, () => pick(words)).join(' ') + '.';
    }
    lines.push(line);
    size += line.length + 1;
  }
  return { text: lines.join('\n'), planted };
}

