/*
 * airlock-vectorscan (experiment, not built or used by Airlock): a Node-API addon that runs many
 * regular expressions over a buffer in one pass with Vectorscan (or Hyperscan), measured as the
 * output scanner's line gate by bench/verify-vectorscan.ts (results: docs/verify-vectorscan.md).
 * Build: gcc -O2 -shared -fPIC -I<node>/include/node -o airlock-vectorscan.node airlock-vectorscan.c -lhs
 *
 *   compile(patterns: string[], flags: number[]) -> handle   (throws an Error with .index on a bad pattern)
 *   scan(handle, bytes: Uint8Array, length: number) -> Int32Array [id, end, id, end, ...]
 *
 * A pattern's id is its index. scan reports, per pattern, the end offset of its first match on
 * each line (a line ends at '\n'), in the order Vectorscan reports them; the last element of the
 * result is 1 when those ends are ascending, else 0. The database and its scratch space are made
 * once by compile and freed when the handle is garbage-collected.
 */
#include <hs/hs.h>
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  hs_database_t *db;
  hs_scratch_t *scratch;
  unsigned count;
  /* Per id, the line [start, end) of its last reported hit. */
  int64_t *line_start;
  int64_t *line_end;
} gate_t;

typedef struct {
  gate_t *gate;
  const unsigned char *data;
  size_t n;
  int32_t *out;
  size_t len, cap;
  unsigned long long last;
  int sorted;
  int failed;
  /* The line of the last hit reported for any id (most hits of one line come together). */
  int64_t cur_start, cur_end;
} scan_ctx;

#define CHECK(env, call)                                                   \
  do {                                                                     \
    if ((call) != napi_ok) {                                               \
      napi_throw_error((env), NULL, "airlock-vectorscan: " #call " failed"); \
      return NULL;                                                         \
    }                                                                      \
  } while (0)

static void gate_free(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  gate_t *g = data;
  if (g->scratch) hs_free_scratch(g->scratch);
  if (g->db) hs_free_database(g->db);
  free(g->line_start);
  free(g->line_end);
  free(g);
}

static napi_value throw_at(napi_env env, const char *message, int index) {
  napi_value msg, err, idx;
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, NULL, msg, &err);
  napi_create_int32(env, index, &idx);
  napi_set_named_property(env, err, "index", idx);
  napi_throw(env, err);
  return NULL;
}

static napi_value compile(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint32_t count = 0;
  if (argc < 2 || napi_get_array_length(env, argv[0], &count) != napi_ok || count == 0)
    return throw_at(env, "compile(patterns, flags): patterns must be a non-empty array", -1);
  char **exprs = calloc(count, sizeof(char *));
  unsigned *flags = calloc(count, sizeof(unsigned));
  unsigned *ids = calloc(count, sizeof(unsigned));
  napi_value result = NULL;
  const char *problem = NULL;
  int problem_index = -1;
  for (uint32_t i = 0; i < count && !problem; i++) {
    napi_value p, f;
    size_t len = 0;
    uint32_t fl = 0;
    if (napi_get_element(env, argv[0], i, &p) != napi_ok || napi_get_value_string_utf8(env, p, NULL, 0, &len) != napi_ok ||
        napi_get_element(env, argv[1], i, &f) != napi_ok || napi_get_value_uint32(env, f, &fl) != napi_ok) {
      problem = "compile(patterns, flags): a pattern is not a string or its flags not a number";
      problem_index = (int)i;
      break;
    }
    exprs[i] = malloc(len + 1);
    napi_get_value_string_utf8(env, p, exprs[i], len + 1, &len);
    flags[i] = fl;
    ids[i] = i;
  }
  gate_t *g = NULL;
  if (!problem) {
    g = calloc(1, sizeof(gate_t));
    hs_compile_error_t *cerr = NULL;
    if (hs_compile_multi((const char *const *)exprs, flags, ids, count, HS_MODE_BLOCK, NULL, &g->db, &cerr) != HS_SUCCESS) {
      result = throw_at(env, cerr ? cerr->message : "hs_compile_multi failed", cerr ? cerr->expression : -1);
      if (cerr) hs_free_compile_error(cerr);
      gate_free(env, g, NULL);
      g = NULL;
      problem = "";
    } else if (hs_alloc_scratch(g->db, &g->scratch) != HS_SUCCESS) {
      gate_free(env, g, NULL);
      g = NULL;
      problem = "hs_alloc_scratch failed";
    } else {
      g->count = count;
      g->line_start = malloc(count * sizeof(int64_t));
      g->line_end = malloc(count * sizeof(int64_t));
    }
  }
  for (uint32_t i = 0; i < count; i++) free(exprs[i]);
  free(exprs);
  free(flags);
  free(ids);
  if (problem) return *problem ? throw_at(env, problem, problem_index) : result;
  if (napi_create_external(env, g, gate_free, NULL, &result) != napi_ok) {
    gate_free(env, g, NULL);
    napi_throw_error(env, NULL, "airlock-vectorscan: napi_create_external failed");
    return NULL;
  }
  return result;
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *context) {
  (void)from;
  (void)flags;
  scan_ctx *c = context;
  gate_t *g = c->gate;
  if (to == 0 || id >= g->count) return 0;
  int64_t at = (int64_t)to - 1;
  if (at >= g->line_start[id] && at < g->line_end[id]) return 0;
  if (at < c->cur_start || at >= c->cur_end) {
    const unsigned char *nl = memchr(c->data + at, '\n', c->n - (size_t)at);
    c->cur_end = nl ? (int64_t)(nl - c->data) : (int64_t)c->n;
    int64_t start = at;
    while (start > 0 && c->data[start - 1] != '\n') start--;
    c->cur_start = start;
  }
  g->line_start[id] = c->cur_start;
  g->line_end[id] = c->cur_end;
  if (c->len + 2 > c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 4096;
    int32_t *out = realloc(c->out, cap * sizeof(int32_t));
    if (!out) {
      c->failed = 1;
      return 1;
    }
    c->out = out;
    c->cap = cap;
  }
  if (to < c->last) c->sorted = 0;
  c->last = to;
  c->out[c->len++] = (int32_t)id;
  c->out[c->len++] = (int32_t)to;
  return 0;
}

static napi_value scan(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  gate_t *g = NULL;
  napi_typedarray_type type;
  size_t length = 0, offset = 0;
  void *data = NULL;
  napi_value buffer;
  uint32_t n = 0;
  if (argc < 3 || napi_get_value_external(env, argv[0], (void **)&g) != napi_ok || !g ||
      napi_get_typedarray_info(env, argv[1], &type, &length, &data, &buffer, &offset) != napi_ok || type != napi_uint8_array ||
      napi_get_value_uint32(env, argv[2], &n) != napi_ok || n > length) {
    napi_throw_type_error(env, NULL, "scan(handle, bytes, length): expected a compiled handle, a Uint8Array and a length within it");
    return NULL;
  }
  for (unsigned i = 0; i < g->count; i++) g->line_start[i] = g->line_end[i] = -1;
  scan_ctx c = { g, data, n, NULL, 0, 0, 0, 1, 0, -1, -1 };
  hs_error_t rc = n ? hs_scan(g->db, data, n, 0, g->scratch, on_match, &c) : HS_SUCCESS;
  if (rc != HS_SUCCESS || c.failed) {
    free(c.out);
    napi_throw_error(env, NULL, c.failed ? "airlock-vectorscan: out of memory" : "airlock-vectorscan: hs_scan failed");
    return NULL;
  }
  napi_value ab, result;
  void *dst = NULL;
  size_t total = c.len + 1;
  if (napi_create_arraybuffer(env, total * sizeof(int32_t), &dst, &ab) != napi_ok) {
    free(c.out);
    napi_throw_error(env, NULL, "airlock-vectorscan: napi_create_arraybuffer failed");
    return NULL;
  }
  if (c.len) memcpy(dst, c.out, c.len * sizeof(int32_t));
  ((int32_t *)dst)[c.len] = c.sorted;
  free(c.out);
  CHECK(env, napi_create_typedarray(env, napi_int32_array, total, ab, 0, &result));
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "compile", NAPI_AUTO_LENGTH, compile, NULL, &fn);
  napi_set_named_property(env, exports, "compile", fn);
  napi_create_function(env, "scan", NAPI_AUTO_LENGTH, scan, NULL, &fn);
  napi_set_named_property(env, exports, "scan", fn);
  return exports;
}
