/**
 * @module inspect/javascript/analyze
 * JavaScript analysis on the tree-sitter-javascript tree: `child_process` calls (literal commands
 * are handed to the shell analyzer), eval and its disguises (`(0, eval)`, `obj.eval`, aliases,
 * `Function`, string timers), decoded code, sockets and reverse shells, credential reads and
 * persistence writes through `fs`, plus CodeShield-style hygiene rules (weak randomness, plain
 * HTTP, postMessage to `*`, message handlers without an origin check, unsafe buffers).
 */
import type { Node } from 'web-tree-sitter';
import { classifyPath, classifyPathOrGlob, isCriticalTree } from '../paths.js';
import type { Analysis, Engine, NestedContext } from '../types.js';
import { beginCodeAnalysis, isLoopbackUrl, reassigned, shellQuote, type Value } from '../code-common.js';

const CP_OBJECT = /^(cp|child_?process|childProcess|proc|require\(\s*['"](node:)?child_process['"]\s*\))$/i;
const DECODERS = /atob\(|base64|fromCharCode|unescape\(|decodeURIComponent\(|\.reverse\(\)|zlib|hex'/;
/** The environment as a whole (not one variable of it): `process.env`, `{ ...process.env }`, `JSON.stringify(process.env)`. */
const WHOLE_ENV = /\bprocess\.env\b(?!\s*(\.|\[|\?\.))/;
/** A call that fetches data from the network (its result run as code is a download-and-run). */
const FETCHES = /\bfetch\(|https?\.get\(|axios|got\(|XMLHttpRequest|\.responseText/;
/** Calls that send their arguments over the network. */
const NET_SEND = /^(fetch|axios|got|ky|superagent|needle|request|navigator\.sendBeacon|\$\.(ajax|post))$|^(axios|got|ky|superagent|needle|https?|http2)\.(post|put|patch|get|request)$|\.(post|put|patch|send|write|sendBeacon)$/;

function valueOf(node: Node | null | undefined, vars: Map<string, Value>): Value {
  if (!node) return { literal: false, text: '', built: false };
  if (node.type === 'string') return { literal: true, text: node.text.slice(1, -1).replace(/\\(['"\\])/g, '$1') };
  if (node.type === 'template_string') {
    if (node.namedChildren.some((c) => c?.type === 'template_substitution')) return { literal: false, text: node.text, built: true };
    return { literal: true, text: node.text.slice(1, -1) };
  }
  if (node.type === 'binary_expression') {
    const l = valueOf(node.childForFieldName('left'), vars);
    const r = valueOf(node.childForFieldName('right'), vars);
    if (l.literal && r.literal) return { literal: true, text: l.text + r.text };
    return { literal: false, text: node.text, built: l.literal || r.literal || ('built' in l && l.built) || ('built' in r && r.built) };
  }
  if (node.type === 'identifier') return vars.get(node.text) ?? { literal: false, text: node.text, built: false };
  if (node.type === 'parenthesized_expression') return valueOf(node.namedChildren[node.namedChildren.length - 1], vars);
  return { literal: false, text: node.text, built: false };
}

/**
 * Analyses JavaScript (or TypeScript-free ES) source.
 *
 * @example
 * analyzeJavaScript(engine, "require('child_process').execSync('curl x | sh')", { via: [], depth: 0 })
 */
export function analyzeJavaScript(engine: Engine, code: string, context: NestedContext): Analysis {
  const start = beginCodeAnalysis(engine, 'javascript', code, context);
  if (start.root === undefined) return start.out;
  const { out, root, at, report, tree } = start;
  const nested = (language: 'shell' | 'javascript', text: string, via: string, n: Node): void => {
    const inner = engine.analyze(language, text, { via: [...context.via, via], depth: context.depth + 1, origin: at(n) });
    out.invocations.push(...inner.invocations);
    out.findings.push(...inner.findings);
  };

  const vars = new Map<string, Value>();
  const evalAliases = new Set(['eval']);
  const cpNames = new Set<string>();
  /** Local names of child_process functions (`exec`, or `run` for `{ exec: run }`) and what they are. */
  const cpFunctions = new Map<string, string>();
  // ES modules: `import cp from 'child_process'`, `import * as cp from 'node:child_process'`,
  // `import { exec, spawn as run } from 'node:child_process'`.
  for (const imp of root.descendantsOfType('import_statement')) {
    if (!imp || !/^['"](node:)?child_process['"]$/.test(imp.childForFieldName('source')?.text ?? '')) continue;
    for (const clause of imp.namedChildren) {
      if (clause?.type !== 'import_clause') continue;
      for (const part of clause.namedChildren) {
        if (!part) continue;
        if (part.type === 'identifier') cpNames.add(part.text);
        else if (part.type === 'namespace_import') { const id = part.namedChildren.find((c) => c?.type === 'identifier'); if (id) cpNames.add(id.text); }
        else if (part.type === 'named_imports') {
          for (const spec of part.namedChildren) {
            if (spec?.type !== 'import_specifier') continue;
            const imported = spec.childForFieldName('name')?.text ?? '';
            cpFunctions.set(spec.childForFieldName('alias')?.text ?? imported, imported);
          }
        }
      }
    }
  }
  for (const d of root.descendantsOfType(['variable_declarator', 'assignment_expression'])) {
    if (!d) continue;
    const name = d.childForFieldName('name') ?? d.childForFieldName('left');
    const value = d.childForFieldName('value') ?? d.childForFieldName('right');
    if (!name || !value) continue;
    if (name.type === 'identifier') {
      vars.set(name.text, reassigned(vars.get(name.text), valueOf(value, vars), name.text));
      if (value.text === 'eval' || /\beval$/.test(value.text)) evalAliases.add(name.text);
      if (/child_process/.test(value.text)) cpNames.add(name.text);
    }
    if (name.type === 'object_pattern' && /child_process/.test(value.text)) {
      // `const { exec } = require(…)`, `const { exec: run } = …`: the local name and the function it is.
      for (const p of name.namedChildren) {
        if (!p) continue;
        const [key, local] = p.type === 'pair_pattern' ? [p.childForFieldName('key')?.text ?? '', p.childForFieldName('value')?.text ?? ''] : [p.text, p.text];
        cpFunctions.set(local.trim(), key.trim());
      }
    }
    if (/^(window\.)?onmessage$/.test(name.text) && !/\.origin\b/.test(value.text)) report('code.message-no-origin', d);
  }
  // `d += chunk`, `n++`: whatever the name started as, it is built at run time.
  for (const n of root.descendantsOfType(['augmented_assignment_expression', 'update_expression'])) {
    const target = n?.childForFieldName('left') ?? n?.childForFieldName('argument');
    if (target?.type === 'identifier') vars.set(target.text, { literal: false, text: target.text, built: true });
  }
  const source = root.text;
  let socketReported = false;
  // Variables that hold the whole environment (`const data = { ...process.env }`), for the exfiltration check.
  const envVars = new Set<string>();
  for (const d of root.descendantsOfType('variable_declarator')) {
    const name = d?.childForFieldName('name');
    if (name?.type === 'identifier' && WHOLE_ENV.test(d!.childForFieldName('value')?.text ?? '')) envVars.add(name.text);
  }
  // globalThis["ev" + "al"], window[atob("ZXZhbA==")], require("child_" + "process"): a name written in pieces.
  for (const sub of root.descendantsOfType('subscript_expression')) {
    const index = sub?.childForFieldName('index');
    if (!sub || !index || index.type === 'string' || index.type === 'number' || index.type === 'identifier') continue;
    if (/^(globalThis|window|global|self|this|process|module|Reflect|require\(.*\))$/s.test(sub.childForFieldName('object')?.text ?? '')
      && (valueOf(index, vars).literal || DECODERS.test(index.text) || /\.join\(/.test(index.text))) report('code.obfuscated-call', sub);
  }

  for (const call of root.descendantsOfType(['call_expression', 'new_expression'])) {
    if (!call) continue;
    const callee = call.childForFieldName('function') ?? call.childForFieldName('constructor');
    if (!callee) continue;
    // require('fs').readFileSync reads as fs.readFileSync.
    const fn = callee.text.replace(/\s+/g, '').replace(/\?\.$/, '').replace(/^require\((['"])(?:node:)?([\w/-]+)\1\)/, '$2');
    const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'comment');
    const arg0 = args[0];
    const v0 = valueOf(arg0, vars);
    const last = fn.split('.').pop() ?? fn;
    const object = fn.includes('.') ? fn.slice(0, fn.lastIndexOf('.')) : '';

    const imported = object === '' ? cpFunctions.get(fn) : undefined;
    const isCp = CP_OBJECT.test(object) || cpNames.has(object) || imported !== undefined;
    const cpLast = imported ?? last;
    if (isCp && /^(exec|execSync|spawn|spawnSync|execFile|execFileSync|fork)$/.test(cpLast) && arg0) {
      if (!v0.literal) report('code.shell-command', call);
      else if (/^exec(Sync)?$/.test(cpLast)) nested('shell', v0.text, `child_process.${cpLast}`, call);
      else {
        const list = args[1]?.type === 'array' ? args[1].namedChildren.map((c) => valueOf(c, vars)).map((p) => p.text) : [];
        nested('shell', shellQuote([v0.text, ...list]), `child_process.${cpLast}`, call);
      }
    }
    // `fetch(u).then((r) => r.text()).then(eval)`: eval handed over as a callback runs what it is given.
    if (args.some((a) => a.type === 'identifier' && evalAliases.has(a.text))) report('code.dynamic-eval', call);
    // node:vm runs a string as code, like eval.
    if (/^(vm\.)?(runInNewContext|runInThisContext)$|^vm\.(runInContext|compileFunction)$/.test(fn) || (call.type === 'new_expression' && fn === 'vm.Script')) {
      if (arg0 && DECODERS.test(arg0.text)) report('code.decode-eval', call);
      else if (v0.literal) nested('javascript', v0.text, fn, call);
      else if (arg0) report('code.dynamic-eval', call);
    }
    const isEval = evalAliases.has(fn) || /^(\(0,eval\)|(this|window|globalThis|global|self|\w+)\.eval)$/.test(fn) || /,eval\)$/.test(fn);
    if (isEval && arg0) {
      if (FETCHES.test(arg0.text)) report('code.download-exec', call);
      else if (DECODERS.test(arg0.text)) report('code.decode-eval', call);
      else if (v0.literal) nested('javascript', v0.text, 'eval', call);
      else report('code.dynamic-eval', call);
    }
    if ((fn === 'Function' || (call.type === 'new_expression' && fn === 'Function')) && args.length) {
      const body = valueOf(args[args.length - 1], vars);
      if (DECODERS.test(args[args.length - 1]!.text)) report('code.decode-eval', call);
      else if (!body.literal && 'built' in body && body.built) report('code.dynamic-eval', call);
    }
    if (/^(window\.)?(setTimeout|setInterval|setImmediate)$/.test(fn) && arg0 && !v0.literal && 'built' in v0 && v0.built
      && (arg0.type === 'template_string' || arg0.type === 'binary_expression')) report('code.dynamic-eval', call);
    if (/^(net\.(connect|createConnection|Socket)|tls\.connect|dgram\.createSocket)$/.test(fn) || (fn === 'Socket' && /require\(['"]net['"]\)/.test(source))) {
      if (!socketReported) {
        socketReported = true;
        report(/child_process|spawn\(|\/bin\/(ba)?sh|cmd\.exe/.test(source) ? 'code.reverse-shell' : 'code.socket', call);
      }
    }
    const globber = /^(fs\.)?(promises\.)?(globSync|glob)$/.test(fn) || (/glob|^fg$|fast-?glob/i.test(object) && /^(sync|glob|globSync|stream|async|globStream|globIterate)$/.test(last));
    if ((/^(fs\.)?(promises\.)?(readFileSync|readFile|createReadStream|copyFileSync|copyFile|cpSync|cp|openSync|open|readdirSync|readdir|opendirSync|opendir)$/.test(fn) || globber) && arg0) {
      if (classifyPathOrGlob(literalPath(arg0)) === 'credential') report('code.credential-read', call);
    }
    if (/^(fs\.)?(promises\.)?(writeFileSync|writeFile|appendFileSync|appendFile|createWriteStream|symlinkSync)$/.test(fn) && arg0) {
      const cls = classifyPath(literalPath(arg0));
      if (cls === 'persistence' || cls === 'system') report('code.persistence-write', call);
    }
    if (/^(fs\.)?(promises\.)?(rmSync|rm|rmdirSync|rmdir)$/.test(fn) && arg0) {
      // A literal path, or one assembled from the home directory (`os.homedir()`, `process.env.HOME`).
      const target = v0.literal ? v0.text : literalPath(arg0);
      if (target !== '' && isCriticalTree(target)) report('code.destroy-tree', call);
    }
    if (NET_SEND.test(fn) && !/^(fs|console|process\.std(out|err))\b/.test(fn) && args.some((a) => WHOLE_ENV.test(a.text) || (a.type === 'identifier' ? envVars.has(a.text) : a.descendantsOfType('identifier').some((id) => id && envVars.has(id.text))))) report('code.env-exfil', call);
    // `new Worker("data:…" + code)`, `new Worker(code, { eval: true })`: a string run as a module.
    if (fn === 'Worker' && arg0 && !v0.literal && (/data:|blob:/.test(arg0.text) || /eval\s*:\s*true/.test(args[1]?.text ?? ''))) report('code.dynamic-eval', call);
    // `[].constructor.constructor("return process")()`: Function reached through the prototype chain.
    if (/(^|\.)constructor\.constructor$/.test(fn) && arg0) report('code.obfuscated-call', call);
    if (/^process\.setu?g?id$|^process\.set(e?[ug]id)$/.test(fn) && arg0?.text === '0') report('code.setuid-root', call);
    // process.binding('spawn_sync'), process.dlopen(…): node's internals and native code, reached to
    // run programs without child_process.
    if (/^process\.(binding|_linkedBinding|dlopen)$/.test(fn) || (fn === 'require' && arg0 && arg0.type !== 'string' && (v0.literal || DECODERS.test(arg0.text)))) report('code.obfuscated-call', call);
    if (fn === 'Math.random' || /\.pseudoRandomBytes$/.test(fn)) report('code.insecure-random', call);
    if (/createHash$/.test(fn) && v0.literal && /^(md5|sha1|md4)$/i.test(v0.text)) report('code.weak-hash', call);
    if (/^Buffer\.(allocUnsafe|allocUnsafeSlow)$/.test(fn) || (/^(read|write)(U?Int(8|16|32)|Float|Double|BigU?Int64)(LE|BE)?$/.test(last) && args[args.length - 1]?.text === 'true')) report('code.unsafe-buffer', call);
    if (last === 'postMessage' && args[1] && valueOf(args[1], vars).text === '*') report('code.postmessage-wildcard', call);
    if (last === 'addEventListener' && v0.literal && v0.text === 'message' && args[1] && !/\.origin\b/.test(args[1].text)) report('code.message-no-origin', call);
    if (args.some((a) => { const v = valueOf(a, vars); return v.literal && /^http:\/\//i.test(v.text) && !isLoopbackUrl(v.text); })) report('code.cleartext-http', call);
  }
  // `while (true) fork(…)`, `for (;;) spawn(…)`: a loop with no way out that starts processes.
  for (const loop of root.descendantsOfType(['while_statement', 'for_statement'])) {
    if (!loop) continue;
    const endless = loop.type === 'while_statement' ? /^\(\s*(true|1)\s*\)$/.test(loop.childForFieldName('condition')?.text ?? '') : /^for\s*\(\s*;\s*;\s*\)/.test(loop.text);
    const body = loop.childForFieldName('body');
    if (endless && body && !body.descendantsOfType(['break_statement', 'return_statement']).length
      && /\b(fork|spawn|exec|execFile|spawnSync|execSync)\s*\(/.test(body.text) && /child_process|cluster/.test(source)) report('code.fork-bomb', loop);
  }
  tree.delete();
  return out;
}

/** The literal text of a path argument, joining `path.join(os.homedir(), '.ssh', 'id_rsa')` pieces. */
function literalPath(node: Node): string {
  if (node.type === 'string') return node.text.slice(1, -1);
  const inRequire = (n: Node): boolean => {
    for (let p = n.parent; p && p.id !== node.id; p = p.parent) if (p.type === 'call_expression' && p.childForFieldName('function')?.text === 'require') return true;
    return false;
  };
  const parts = node.descendantsOfType(['string_fragment']).filter((n): n is Node => !!n && !inRequire(n)).map((n) => n.text);
  if (/homedir\(\)|HOME/.test(node.text)) parts.unshift('~');
  return parts.join('/').replace(/\/{2,}/g, '/');
}
