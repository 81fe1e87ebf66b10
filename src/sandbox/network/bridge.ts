/**
 * @module sandbox/network/bridge
 * What runs inside the sandbox before the program: two bridges from loopback ports to the proxy's
 * unix sockets (Airlock's own `airlock-splice bridge` when it is built, else `socat`) (bind-mounted at `/run/airlock-net`), a wait until both listen (read from
 * `/proc/net/tcp`, no extra tools), then `exec` of the program. The sandbox's network namespace has
 * only `lo`, so these ports are the only way out, and a program that ignores the proxy settings
 * simply gets no network.
 */

/** Where the socket directory is mounted inside the sandbox. */
export const SANDBOX_NET_DIR = '/run/airlock-net';
/** Loopback port of the HTTP/CONNECT proxy inside the sandbox. */
export const HTTP_PORT = 3128;
/** Loopback port of the SOCKS5 proxy inside the sandbox. */
export const SOCKS_PORT = 1080;
/** Socket file names inside the socket directory. */
export const HTTP_SOCKET = 'http.sock';
export const SOCKS_SOCKET = 'socks.sock';
/** The CA bundle file name inside the socket directory (when a per-run CA is used). */
export const CA_BUNDLE = 'ca-bundle.pem';
export const CA_CERT = 'ca.pem';

/** Exit status of the prelude when the bridges do not come up (Airlock's own failure). */
export const BRIDGE_FAILED_STATUS = 125;

const hexPort = (p: number): string => p.toString(16).toUpperCase().padStart(4, '0');

/**
 * The argv prefix that starts the bridges and then execs the rest of argv.
 *
 * @example
 * bridgePrelude() // ['/bin/sh', '-c', '…', 'airlock-net']  then the program's argv
 * bridgePrelude({ splice: '/run/airlock-splice' }) // the same with the splice bridge
 */
export function bridgePrelude(options: { socat?: string; splice?: string; dir?: string; waitMs?: number } = {}): string[] {
  const socat = options.socat ?? 'socat';
  const dir = options.dir ?? SANDBOX_NET_DIR;
  const tries = Math.ceil((options.waitMs ?? 5000) / 10);
  const viaSocat = (port: number, sock: string): string =>
    `${socat} -lf /dev/null -b 262144 TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork UNIX-CONNECT:${dir}/${sock} </dev/null >/dev/null 2>&1 &`;
  const viaSplice = (port: number, sock: string): string =>
    `${options.splice} bridge ${port} ${dir}/${sock} </dev/null >/dev/null 2>&1 &`;
  // The splice helper when it is mounted (a caller that did not bind `binds` gets socat).
  const start = options.splice
    ? [`if [ -x ${options.splice} ]; then`, `  ${viaSplice(HTTP_PORT, HTTP_SOCKET)}`, `  ${viaSplice(SOCKS_PORT, SOCKS_SOCKET)}`,
      'else', `  ${viaSocat(HTTP_PORT, HTTP_SOCKET)}`, `  ${viaSocat(SOCKS_PORT, SOCKS_SOCKET)}`, 'fi']
    : [viaSocat(HTTP_PORT, HTTP_SOCKET), viaSocat(SOCKS_PORT, SOCKS_SOCKET)];
  const script = [
    ...start,
    'i=0',
    'while :; do',
    '  t=$(cat /proc/net/tcp 2>/dev/null)',
    `  case "$t" in *":${hexPort(HTTP_PORT)} 00000000:0000 0A"*) case "$t" in *":${hexPort(SOCKS_PORT)} 00000000:0000 0A"*) break;; esac;; esac`,
    '  i=$((i+1))',
    `  if [ "$i" -gt ${tries} ]; then echo "airlock: the network bridge did not start (is socat installed?)" >&2; exit ${BRIDGE_FAILED_STATUS}; fi`,
    '  sleep 0.01',
    'done',
    'exec "$@"',
  ].join('\n');
  return ['/bin/sh', '-c', script, 'airlock-net'];
}

/**
 * The proxy settings for programs in the sandbox.
 *
 * @example
 * proxyEnv().HTTPS_PROXY // 'http://127.0.0.1:3128'
 */
export function proxyEnv(caBundle?: string, caCert?: string): Record<string, string> {
  const http = `http://127.0.0.1:${HTTP_PORT}`;
  const socks = `socks5h://127.0.0.1:${SOCKS_PORT}`;
  const env: Record<string, string> = {
    HTTP_PROXY: http, HTTPS_PROXY: http, ALL_PROXY: socks, NO_PROXY: '',
    http_proxy: http, https_proxy: http, all_proxy: socks, no_proxy: '',
    npm_config_proxy: http, npm_config_https_proxy: http,
    // Node 24+ honours the variables above for fetch/http when this is set; Node 20 ignores it.
    NODE_USE_ENV_PROXY: '1',
  };
  if (caBundle) {
    Object.assign(env, {
      SSL_CERT_FILE: caBundle, REQUESTS_CA_BUNDLE: caBundle, CURL_CA_BUNDLE: caBundle, PIP_CERT: caBundle,
      GIT_SSL_CAINFO: caBundle, NODE_EXTRA_CA_CERTS: caCert ?? caBundle,
    });
  }
  return env;
}
