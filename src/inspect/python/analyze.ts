/**
 * @module inspect/python/analyze
 * Python analysis on the tree-sitter-python tree: calls are resolved through imports and aliases
 * (`import pickle as pkl`, `__import__("os")`), literal shell commands (`os.system("…")`,
 * `subprocess.run([...])`) are handed to the shell analyzer, and the code rules report shell
 * execution of built strings, eval/exec of decoded data, unsafe deserialisation, sockets and reverse
 * shells, credential reads, persistence writes, SQL built by formatting and weak hashes.
 */
import type { Node } from 'web-tree-sitter';
import { classifyPathOrGlob, isCriticalTree, type PathClass } from '../paths.js';
import type { Analysis, Engine, NestedContext } from '../types.js';
import { beginCodeAnalysis, reassigned, shellQuote, type Value } from '../code-common.js';

const SHELL_CALLS = new Set(['os.system', 'os.popen', 'os.popen2', 'os.popen3', 'commands.getoutput', 'commands.getstatusoutput', 'subprocess.getoutput', 'subprocess.getstatusoutput']);
const SUBPROCESS = /^subprocess\.(run|call|check_call|check_output|Popen)$|^os\.(exec|spawn)[lv]p?e?$|^pty\.spawn$|^asyncio\.create_subprocess_(exec|shell)$/;
const DESERIALIZE = /^(pickle|cPickle|_pickle|dill|marshal|shelve|jsonpickle|joblib|cloudpickle)\.(loads?|open|decode|Unpickler)$|^yaml\.(unsafe_load|load|load_all|full_load)$|^torch\.load$|^numpy\.load$/;
const DECODERS = /b64decode|b32decode|a85decode|decodebytes|decompress|fromhex|unhexlify|\.decode\(\s*['"](rot.?13|hex|base64|zlib)|\[::-1\]|codecs\.decode/;

/** Reads a Python string literal; f-strings with fields, concatenations and formatting are built. */
function valueOf(node: Node | null | undefined, vars: Map<string, Value>): Value {
  if (!node) return { literal: false, text: '', built: false };
  if (node.type === 'string') {
    if (node.namedChildren.some((c) => c?.type === 'interpolation')) return { literal: false, text: node.text, built: true };
    const content = node.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('');
    return { literal: true, text: content.replace(/\\n/g, '\n').replace(/\\(['"\\])/g, '$1') };
  }
  if (node.type === 'concatenated_string') {
    const parts = node.namedChildren.map((c) => valueOf(c, vars));
    return parts.every((p) => p.literal) ? { literal: true, text: parts.map((p) => p.text).join('') } : { literal: false, text: node.text, built: true };
  }
  if (node.type === 'binary_operator') {
    const l = valueOf(node.childForFieldName('left'), vars);
    const r = valueOf(node.childForFieldName('right'), vars);
    if (l.literal && r.literal && node.text.includes('+')) return { literal: true, text: l.text + r.text };
    return { literal: false, text: node.text, built: l.literal || r.literal || ('built' in l && l.built) || ('built' in r && r.built) };
  }
  if (node.type === 'call' && /\.format$/.test(node.childForFieldName('function')?.text ?? '')) return { literal: false, text: node.text, built: true };
  if (node.type === 'identifier') return vars.get(node.text) ?? { literal: false, text: node.text, built: false };
  if (node.type === 'parenthesized_expression') return valueOf(node.namedChildren[0], vars);
  return { literal: false, text: node.text, built: false };
}

/** The environment as a whole (not one variable of it): `os.environ`, `dict(os.environ)`, `{**os.environ}`, `os.environ.copy()`. */
const WHOLE_ENV = /\bos\.environ\b(?!\s*(\[|\.get\b|\.setdefault\b|\.pop\b|\.__getitem__\b))/;
/** Calls that send their arguments over the network. */
const NET_SEND = /^(requests|httpx)\.(post|put|patch|get|request|delete)$|^urllib\.request\.(urlopen|Request)$|\.(post|put|patch|request|urlopen|sendall|send|sendto)$/;
/** A call that fetches data from the network (its result run as code is a download-and-run). */
const FETCHES = /urlopen\(|requests\.(get|post|request)\(|httpx\.(get|post|request)\(|urllib3|http\.client|\.recv\(|aiohttp|pycurl/;
/** A name built by decoding or joining rather than written out. */
const ASSEMBLED = /\bjoin\(|\.decode\(|\bchr\(|fromhex|b64decode|\[::-1\]|codecs\.|rot_?13/;

/** Calls that name the user's home directory. */
const HOME_CALLS = /^(pathlib\.)?Path\.home$|^os\.path\.expanduser$|^os\.(getenv|environ\.get)$/;
/** Calls that return their (joined) path arguments as a path. */
const PATH_CALLS = /^(pathlib\.)?(Pure)?(Posix)?Path$|^os\.path\.(join|expanduser|expandvars|abspath|realpath|normpath)$|^posixpath\.join$|^os\.fspath$|^str$/;
/** Methods of a path that give a path to the same place (or below, with arguments). */
const PATH_METHODS = new Set(['expanduser', 'resolve', 'absolute', 'joinpath']);

/** Joins path pieces the way `os.path.join` and pathlib's `/` do (an absolute piece restarts). */
function joinPath(parts: readonly string[]): string {
  let out = '';
  for (const p of parts) out = p.startsWith('/') || !out ? p : `${out.replace(/\/+$/, '')}/${p}`;
  return out;
}

/**
 * The path an expression names, as far as it is written in the code: string literals,
 * `os.path.join`/`expanduser`, pathlib's `Path.home() / ".aws" / "credentials"`, `os.environ["HOME"]`
 * (as `~`), variables assigned such values, f-strings (an unknown field becomes `*`, so
 * `f"{d}/.ssh/id_rsa"` still names an SSH key). Undefined when nothing of it is literal.
 */
function pathOf(node: Node | null | undefined, vars: Map<string, Value>, paths: Map<string, string>, resolve: (fn: string) => string, depth = 0): string | undefined {
  if (!node || depth > 12) return undefined;
  const sub = (n: Node | null | undefined): string | undefined => pathOf(n, vars, paths, resolve, depth + 1);
  switch (node.type) {
    case 'string': {
      if (!node.namedChildren.some((c) => c?.type === 'interpolation')) return valueOf(node, vars).text;
      let text = '';
      for (const c of node.namedChildren) {
        if (c?.type === 'string_content') text += c.text;
        else if (c?.type === 'interpolation') text += sub(c.namedChildren[0]) ?? '*';
      }
      return text;
    }
    case 'concatenated_string':
    case 'parenthesized_expression':
      return node.namedChildren.map((c) => sub(c) ?? '').join('') || undefined;
    case 'identifier':
      return paths.get(node.text) ?? (vars.get(node.text)?.literal ? vars.get(node.text)!.text : undefined);
    case 'subscript':
      return /^os\.environ$/.test(resolve(node.childForFieldName('value')?.text ?? '')) && /^['"]HOME['"]$/.test(node.childForFieldName('subscript')?.text ?? '') ? '~' : undefined;
    case 'binary_operator': {
      const op = node.childForFieldName('operator')?.text;
      const l = sub(node.childForFieldName('left'));
      const r = sub(node.childForFieldName('right'));
      if (l === undefined && r === undefined) return undefined;
      if (op === '/') return joinPath([l ?? '*', r ?? '*']);
      return op === '+' ? (l ?? '*') + (r ?? '*') : undefined;
    }
    case 'call': {
      const callee = node.childForFieldName('function');
      const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'keyword_argument' && c.type !== 'comment');
      const fn = resolve(callee?.text ?? '');
      if (HOME_CALLS.test(fn) && (!args.length || /^['"](~|HOME)['"]$/.test(args[0]!.text))) return '~';
      if (PATH_CALLS.test(fn)) {
        const parts = args.map((a) => sub(a) ?? '*');
        return parts.length && parts.some((p) => p !== '*') ? joinPath(parts) : undefined;
      }
      if (callee?.type === 'attribute' && PATH_METHODS.has(callee.childForFieldName('attribute')?.text ?? '')) {
        const base = sub(callee.childForFieldName('object'));
        return base === undefined ? undefined : joinPath([base, ...args.map((a) => sub(a) ?? '*')]);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The sensitive class of a path or glob pattern, if the expression names one. */
const classify = (path: string | undefined): PathClass | undefined => (path ? classifyPathOrGlob(path) : undefined);

/** Functions whose first argument is a file or directory they read, list or copy. */
const READERS = /^(open|io\.open|codecs\.open|os\.open|os\.listdir|os\.scandir|os\.walk|glob\.i?glob|shutil\.(copy\w*|move|make_archive)|pathlib\.Path|Path|os\.path\.expanduser|tarfile\.open)$/;
/** Methods that read, list or archive the path they are called on (or, for add/write, are given). */
const READ_METHODS = new Set(['read_text', 'read_bytes', 'open', 'iterdir', 'glob', 'rglob', 'add', 'write']);

/**
 * Analyses Python source.
 *
 * @example
 * analyzePython(engine, 'import os\nos.system("curl x | sh")', { via: [], depth: 0 }).findings
 */
export function analyzePython(engine: Engine, code: string, context: NestedContext): Analysis {
  const start = beginCodeAnalysis(engine, 'python', code, context);
  if (start.root === undefined) return start.out;
  const { out, root, at, report, tree } = start;

  const aliases = new Map<string, string>();
  const vars = new Map<string, Value>();
  for (const n of root.descendantsOfType(['import_statement', 'import_from_statement', 'assignment'])) {
    if (!n) continue;
    if (n.type === 'import_statement') {
      for (const a of n.descendantsOfType('aliased_import')) if (a) aliases.set(a.childForFieldName('alias')?.text ?? '', a.childForFieldName('name')?.text ?? '');
    } else if (n.type === 'import_from_statement') {
      const mod = n.childForFieldName('module_name')?.text ?? '';
      for (const name of n.childrenForFieldName('name')) {
        if (!name) continue;
        if (name.type === 'aliased_import') aliases.set(name.childForFieldName('alias')?.text ?? '', `${mod}.${name.childForFieldName('name')?.text ?? ''}`);
        else aliases.set(name.text, `${mod}.${name.text}`);
      }
    } else {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (left?.type === 'identifier' && right) {
        vars.set(left.text, reassigned(vars.get(left.text), valueOf(right, vars), left.text));
      }
    }
  }
  // `code += more`: whatever the name started as, it is built at run time.
  for (const n of root.descendantsOfType('augmented_assignment')) {
    const left = n?.childForFieldName('left');
    if (left?.type === 'identifier') vars.set(left.text, { literal: false, text: left.text, built: true });
  }
  const resolve = (fn: string): string => {
    const text = fn.replace(/\s+/g, '').replace(/__import__\(['"]([\w.]+)['"]\)/g, '$1');
    const [head, ...rest] = text.split('.');
    const full = aliases.get(head!);
    return full ? [full, ...rest].join('.') : text;
  };

  // Variables that hold a path (`home = Path.home()`, `d = os.path.join(home, ".ssh")`), in order.
  const paths = new Map<string, string>();
  for (const n of root.descendantsOfType('assignment')) {
    const left = n?.childForFieldName('left');
    if (left?.type !== 'identifier') continue;
    const p = pathOf(n!.childForFieldName('right'), vars, paths, resolve);
    if (p !== undefined) paths.set(left.text, p);
  }
  const credentialLines = new Set<number>();
  const reportCredential = (call: Node): void => {
    if (credentialLines.has(call.startPosition.row)) return;
    credentialLines.add(call.startPosition.row);
    report('code.credential-read', call);
  };

  // Variables that hold the whole environment (`data = dict(os.environ)`), for the exfiltration check.
  const envVars = new Set<string>();
  for (const n of root.descendantsOfType('assignment')) {
    const left = n?.childForFieldName('left');
    if (left?.type === 'identifier' && WHOLE_ENV.test(n!.childForFieldName('right')?.text ?? '')) envVars.add(left.text);
  }

  const source = root.text;
  const usesSocket = /\bsocket\b|\bTCPSocket\b/.test(source);
  let socketReported = false;
  for (const call of root.descendantsOfType('call')) {
    if (!call) continue;
    const fn = resolve(call.childForFieldName('function')?.text ?? '');
    const argList = call.childForFieldName('arguments');
    const positional = argList?.namedChildren.filter((c) => c && c.type !== 'keyword_argument' && c.type !== 'comment') ?? [];
    const kw = new Map<string, string>();
    for (const k of argList?.namedChildren ?? []) if (k?.type === 'keyword_argument') kw.set(k.childForFieldName('name')?.text ?? '', k.childForFieldName('value')?.text ?? '');
    const arg0 = positional[0];
    const v0 = valueOf(arg0, vars);

    const shellTrue = kw.get('shell') === 'True';
    if (SHELL_CALLS.has(fn) || (SUBPROCESS.test(fn) && shellTrue) || fn === 'asyncio.create_subprocess_shell') {
      if (v0.literal) nestedShell(engine, out, v0.text, [...context.via, fn], context, at(call));
      else if (arg0) report('code.shell-command', call);
    } else if (/^os\.(exec|spawn)[lv]p?e?$/.test(fn) && arg0) {
      // os.execvp(file, [argv0, …]), os.execl(path, argv0, …), os.spawnv(mode, path, [argv0, …]):
      // the program is the path, its arguments come after argv[0].
      const at0 = fn.startsWith('os.spawn') ? 1 : 0;
      const program = valueOf(positional[at0], vars);
      const argvNode = positional[at0 + 1];
      const argv = fn.slice(fn.startsWith('os.spawn') ? 8 : 7).startsWith('v')
        ? (argvNode && (argvNode.type === 'list' || argvNode.type === 'tuple') ? argvNode.namedChildren.map((c) => valueOf(c, vars)) : [])
        : positional.slice(at0 + 1).map((p) => valueOf(p, vars));
      if (!program.literal || argv.slice(1).some((p) => !p.literal)) report('code.shell-command', call);
      else nestedShell(engine, out, shellQuote([program.text, ...argv.slice(1).map((p) => p.text)]), [...context.via, fn], context, at(call));
    } else if (SUBPROCESS.test(fn) && arg0) {
      if (arg0.type === 'list' || arg0.type === 'tuple') {
        const parts = arg0.namedChildren.map((c) => valueOf(c, vars));
        if (parts.every((p) => p.literal)) nestedShell(engine, out, shellQuote(parts.map((p) => p.text)), [...context.via, fn], context, at(call));
        else if (parts[0] && !parts[0].literal) report('code.shell-command', call);
        else nestedShell(engine, out, shellQuote(parts.map((p) => (p.literal ? p.text : p.text || 'VALUE'))), [...context.via, fn], context, at(call));
      } else if (v0.literal) {
        const rest = positional.slice(1).map((p) => valueOf(p, vars)).filter((p) => p.literal).map((p) => p.text);
        nestedShell(engine, out, shellQuote([v0.text, ...rest]), [...context.via, fn], context, at(call));
      } else report('code.shell-command', call);
    }
    if (/^(builtins\.)?(eval|exec|compile)$/.test(fn) && arg0) {
      if (FETCHES.test(arg0.text)) report('code.download-exec', call);
      else if (DECODERS.test(arg0.text)) report('code.decode-eval', call);
      else if (v0.literal) {
        const inner = engine.analyze('python', v0.text, { via: [...context.via, fn], depth: context.depth + 1, origin: at(call) });
        out.invocations.push(...inner.invocations);
        out.findings.push(...inner.findings);
      } else if (arg0.type !== 'identifier' || 'built' in v0 && v0.built) report('code.dynamic-eval', call);
      else if (!vars.has(arg0.text)) report('code.dynamic-eval', call);
    }
    if (DESERIALIZE.test(fn) && arg0 && !v0.literal) {
      if (fn.startsWith('yaml.load') && /SafeLoader|CSafeLoader|BaseLoader/.test(kw.get('Loader') ?? positional[1]?.text ?? '')) continue;
      report(/urlopen|requests\.|\.recv\(|urllib|http\.client|socket/.test(source) ? 'code.network-deserialize' : 'code.unsafe-deserialize', call);
    }
    if (/^(socket\.socket|socket\.create_connection)$/.test(fn) || /\.connect(_ex)?$/.test(fn) && usesSocket) {
      if (!socketReported) {
        socketReported = true;
        const shellish = /dup2|pty\.spawn|subprocess|os\.system|\/bin\/(ba|z)?sh|cmd\.exe|popen/.test(source);
        report(shellish ? 'code.reverse-shell' : 'code.socket', call);
      }
    }
    if (READERS.test(fn) && arg0) {
      const cls = classify(pathOf(arg0, vars, paths, resolve));
      const mode = valueOf(positional[1], vars);
      const writes = mode.literal && /[wax+]/.test(mode.text) || /write_text|write_bytes|\.write\(/.test(call.parent?.text ?? '');
      if (cls === 'credential') reportCredential(call);
      if ((cls === 'persistence' || cls === 'system') && (writes || fn.startsWith('shutil'))) report('code.persistence-write', call);
    }
    const callee = call.childForFieldName('function');
    const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text ?? '' : '';
    if (READ_METHODS.has(method)) {
      // p.read_text(), Path.home().glob(".ssh/id_*"), tar.add("~/.aws"), zipfile.write(key_path)
      const base = pathOf(callee!.childForFieldName('object'), vars, paths, resolve);
      const given = arg0 ? pathOf(arg0, vars, paths, resolve) : undefined;
      const targets = method === 'glob' || method === 'rglob'
        ? (base !== undefined && given !== undefined ? [joinPath([base, given]), joinPath([base, '*', given])] : [])
        : method === 'add' || method === 'write' ? [given] : [base];
      if (targets.some((t) => classify(t) === 'credential')) reportCredential(call);
    }
    if (/^(shutil\.rmtree|os\.removedirs)$/.test(fn) && arg0) {
      // A literal path, or one assembled from the home directory (`Path.home()`, `expanduser('~')`).
      const target = v0.literal ? v0.text : pathOf(arg0, vars, paths, resolve);
      if (target !== undefined && target !== '' && isCriticalTree(target)) report('code.destroy-tree', call);
    }
    if (argList && NET_SEND.test(fn) && (WHOLE_ENV.test(argList.text) || argList.descendantsOfType('identifier').some((id) => id && envVars.has(id.text)))) report('code.env-exfil', call);
    // getattr(os, "sys" + "tem"), __import__("o" + "s"), importlib.import_module("".join(…)): a name written in pieces.
    const nameArg = fn === 'getattr' ? positional[1] : fn === '__import__' || fn === 'importlib.import_module' ? arg0 : undefined;
    if (nameArg && nameArg.type !== 'string' && nameArg.type !== 'identifier' && (valueOf(nameArg, vars).literal || ASSEMBLED.test(nameArg.text))) report('code.obfuscated-call', call);
    // libc's system() through ctypes: a shell command that os and subprocess never see.
    if (/\.(system|popen|execv[pe]*|execl[pe]*|posix_spawnp?)$/.test(fn) && (/(^|\.)(CDLL|PyDLL|LoadLibrary)\(|(^|\.)cdll\./.test(fn)
      || /(CDLL|PyDLL|LoadLibrary|cdll\.)/.test(valueOf(callee?.childForFieldName('object'), vars).text))) report('code.shell-command', call);
    // os.chmod("/bin/bash", 0o4755): judged as the chmod command it is.
    if (/^os\.(l?chmod)$/.test(fn) && v0.literal && positional[1] && /^(0o?)?[0-7]{3,4}$/.test(positional[1].text)) {
      nestedShell(engine, out, shellQuote(['chmod', positional[1].text.replace(/^0o?/, '') || '0', v0.text]), [...context.via, fn], context, at(call));
    }
    if (/^os\.(setuid|seteuid|setreuid|setresuid|setgid|setegid)$/.test(fn) && positional.length && positional.every((a) => a?.text === '0')) report('code.setuid-root', call);
    if (/^hashlib\.(md5|sha1)$/.test(fn) || (fn === 'hashlib.new' && v0.literal && /^(md5|sha1|md4)$/i.test(v0.text))) report('code.weak-hash', call);
    if (/\.execute(many)?$/.test(fn) && arg0 && !v0.literal) {
      if (('built' in v0 && v0.built) || arg0.type === 'identifier') report('code.sql-injection', call);
    }
  }
  // `while True: os.fork()`: a loop with no way out that starts processes (a fork bomb).
  for (const loop of root.descendantsOfType('while_statement')) {
    if (!loop || !/^(True|1)$/.test(loop.childForFieldName('condition')?.text ?? '')) continue;
    const body = loop.childForFieldName('body');
    if (body && !body.descendantsOfType(['break_statement', 'return_statement']).length
      && body.descendantsOfType('call').some((c) => c && /^(os\.fork|os\.forkpty|(multiprocessing\.)?Process\(.*\)\.start|subprocess\.Popen|os\.spawn\w*)$/s.test(resolve(c.childForFieldName('function')?.text ?? '')))) report('code.fork-bomb', loop);
  }
  // `for root, dirs, files in os.walk(home): … os.remove(…)`: every file of a critical tree deleted one by one.
  for (const loop of root.descendantsOfType('for_statement')) {
    const iter = loop?.childForFieldName('right');
    if (!loop || iter?.type !== 'call') continue;
    const walkFn = resolve(iter.childForFieldName('function')?.text ?? '');
    if (!/^os\.walk$|\.(rglob|walk)$/.test(walkFn)) continue;
    const base = walkFn === 'os.walk' ? pathOf(iter.childForFieldName('arguments')?.namedChildren[0], vars, paths, resolve) : pathOf(iter.childForFieldName('function')?.childForFieldName('object'), vars, paths, resolve);
    if (base === undefined || !isCriticalTree(base)) continue;
    if (loop.childForFieldName('body')?.descendantsOfType('call').some((c) => c && /^(os\.(remove|unlink|rmdir)|shutil\.rmtree)$|\.(unlink|rmdir)$/.test(resolve(c.childForFieldName('function')?.text ?? '')))) report('code.destroy-tree', loop);
  }
  tree.delete();
  return out;
}

function nestedShell(engine: Engine, out: Analysis, code: string, via: string[], context: NestedContext, origin: { line: number; column: number }): void {
  const inner = engine.analyze('shell', code, { via, depth: context.depth + 1, origin });
  out.invocations.push(...inner.invocations);
  out.findings.push(...inner.findings);
}
