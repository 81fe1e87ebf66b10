/*
 * airlock-scan: the byte passes of Airlock's output scanner (src/verify/engine.ts) in C, as a
 * Node-API addon. Each reads an ASCII text once and writes flat int32 results; every decision about
 * rules, confidence and masking stays in TypeScript. The TypeScript engine has the same passes
 * in JavaScript (used when this addon is not built) and the tests compare the two.
 *
 *   keywordHits(bytes, chars, starts, out)
 *     Every keyword occurrence (case-insensitive) as [lineStart, lineEnd, position, word] in text
 *     order; word w is chars[starts[w]] up to chars[starts[w + 1]], lower case (as `byteTable`
 *     lays them out). Each position costs three reads of small tables; the rare positions where a
 *     keyword can start compare the few keywords with that start in full.
 *
 *   numericItems(bytes, out)
 *     The digit runs worth validating as [from, to, digits, dots, itemStart, itemEnd, onlyDigits]
 *     (see `numericRanges`): candidates of /\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]|\d[\d \-.()/+]{5,}\d/g,
 *     split at spaces into items, each padded with context within its line.
 *
 *   longRuns(bytes, min, out)
 *     The lines that hold a run of `min` or more token characters ([A-Za-z0-9_-]) as [start, end]
 *     pairs: where the rules without keywords (long tokens of a known shape) can match.
 *
 * Each pass writes into the caller's Int32Array (`out`, the last argument) and returns how many
 * values it has; when that is more than `out` holds, the caller gives a larger one and calls again.
 * Reused buffers matter here: fresh memory costs a page fault per 4 KiB, which on a virtual
 * machine can cost as much as the scan.
 *
 * Build: scripts/build-native.mjs (gcc -shared against Node's own headers). The only memory kept
 * between calls is the keyword tables of the last keyword set, per thread (~200 KiB); positions
 * are int32 (texts are far below 2 GiB).
 */
#define _GNU_SOURCE /* memrchr */
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/*
 * Where a pass writes its int32 results: the caller's buffer. Once it is full, results are only
 * counted, so the caller learns the size it needs and calls again. `failed`: memory ran out.
 */
typedef struct {
  int32_t *data;
  size_t len;
  size_t cap;
  int failed;
} Out;

static inline void out_push(Out *o, int32_t v) {
  if (o->len < o->cap) o->data[o->len] = v;
  o->len++;
}

/*
 * The JavaScript result of a pass that wrote into the caller's buffer: how many int32 values it
 * has (more than the buffer holds when it was too small: then only that many were counted).
 */
static napi_value out_result(napi_env env, Out *o) {
  napi_value n;
  if (o->failed) {
    napi_throw_error(env, NULL, "airlock-scan: out of memory");
    return NULL;
  }
  if (o->len > INT32_MAX || napi_create_int64(env, (int64_t)o->len, &n) != napi_ok) return NULL;
  return n;
}

/*
 * The data and element count of typed array argument `v` of the expected type, or NULL (with a
 * TypeError pending). An empty array has no data pointer: a pointer to a dummy stands in.
 */
static void *typed(napi_env env, napi_value v, napi_typedarray_type want, size_t *length, const char *name) {
  static int64_t empty;
  bool is;
  napi_typedarray_type type;
  void *data;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is ||
      napi_get_typedarray_info(env, v, &type, length, &data, NULL, NULL) != napi_ok || type != want) {
    napi_throw_type_error(env, NULL, name);
    return NULL;
  }
  return data ? data : &empty;
}

/* The caller's output buffer (argument `v`, an Int32Array) as an Out, or 0 with a TypeError pending. */
static int out_into(napi_env env, napi_value v, Out *o, const char *name) {
  size_t len;
  int32_t *data = typed(env, v, napi_int32_array, &len, name);
  if (!data) return 0;
  o->data = data;
  o->len = 0;
  o->cap = len;
  o->failed = 0;
  return 1;
}

/*
 * Unpacks a pass's `count` arguments: the first is the text's bytes (a Uint8Array below 2 GiB),
 * the last the output buffer (an Int32Array). 0, with an error pending, when one is wrong.
 */
static int pass_args(napi_env env, napi_callback_info info, const char *pass, size_t count, napi_value *argv, const uint8_t **b, size_t *len, Out *o) {
  char message[160];
  size_t argc = count;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return 0;
  if (argc < count) {
    snprintf(message, sizeof message, "%s: %zu arguments expected", pass, count);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  snprintf(message, sizeof message, "%s: the text must be a Uint8Array", pass);
  *b = typed(env, argv[0], napi_uint8_array, len, message);
  if (!*b) return 0;
  if (*len > INT32_MAX) {
    snprintf(message, sizeof message, "%s: the text must be below 2 GiB", pass);
    napi_throw_range_error(env, NULL, message);
    return 0;
  }
  snprintf(message, sizeof message, "%s: the output must be an Int32Array", pass);
  return out_into(env, argv[count - 1], o, message);
}

static const uint8_t LOWER[256] = {
#define L(c) ((c) >= 65 && (c) <= 90 ? (c) + 32 : (c))
#define R4(b) L(b), L(b + 1), L(b + 2), L(b + 3)
#define R16(b) R4(b), R4(b + 4), R4(b + 8), R4(b + 12)
#define R64(b) R16(b), R16(b + 16), R16(b + 32), R16(b + 48)
  R64(0), R64(64), R64(128), R64(192)
#undef R64
#undef R16
#undef R4
#undef L
};

/*
 * The keyword tables of one call, built from the words (a few hundred; microseconds). Windows are
 * folded approximately, by setting bit 0x20 of every byte: that maps both cases of a letter to the
 * lower one and every other byte to a fixed byte, so a window where a keyword really occurs
 * (case-insensitively) always lands on that keyword's entry; the few other bytes it conflates
 * (`@` and a backquote, a newline and `*`) only cost a comparison, as every candidate is compared
 * in full.
 */
typedef struct {
  /* Per folded byte pair (a | b << 8): bit 0 when a one-byte keyword is a, bit 1 when a
     two-byte keyword is the pair. */
  uint8_t pair[1 << 16];
  uint8_t tri[1 << 15];   /* 1 at the hash of a three-byte keyword's folded bytes */
  uint8_t quad[1 << 15];  /* 1 at the hash of a longer keyword's first four folded bytes */
  /* Candidates by folded key, open addressing: key + 1 (0: empty), then the words' range in `list`. */
  uint64_t keys[4096];
  int32_t from[4096], to[4096];
  int32_t *list;
  int full; /* the table ran out of room: every lookup is a candidate for every word */
} Tables;

static uint32_t hash15(uint32_t key) { return (key * 0x9E3779B1u) >> 17; }

/*
 * Folded key of a word's first one, two, three or four bytes (a 64-bit value: the bytes, then
 * how many), so that keys of different lengths never collide.
 */
static uint64_t word_key(const uint8_t *chars, int32_t s, int32_t len) {
  int32_t m = len < 4 ? len : 4;
  uint64_t k = 0;
  for (int32_t i = 0; i < m; i++) k |= (uint64_t)(chars[s + i] | 0x20) << (8 * i);
  return k | (uint64_t)m << 32;
}
static uint32_t slot_hash(uint64_t key) { return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 52); }

static int32_t find_slot(const Tables *t, uint64_t key) {
  for (uint32_t i = slot_hash(key), probes = 0; probes < 4096; i = (i + 1) & 4095, probes++) {
    if (t->keys[i] == 0) return -1;
    if (t->keys[i] == key + 1) return (int32_t)i;
  }
  return -1;
}

static int build_tables(Tables *t, const uint8_t *chars, size_t charsLen, const int32_t *starts, size_t words) {
  memset(t, 0, sizeof(*t));
  /* Group the words by key: count, then place (two passes over a few hundred words). */
  int32_t *count = calloc(4096, sizeof(int32_t));
  t->list = malloc((words ? words : 1) * sizeof(int32_t));
  if (!count || !t->list) {
    free(count);
    free(t->list);
    return 0;
  }
  size_t used = 0;
  for (size_t w = 0; w < words; w++) {
    int32_t s = starts[w], len = starts[w + 1] - s;
    if (len <= 0 || (size_t)(s + len) > charsLen) continue;
    uint64_t key = word_key(chars, s, len);
    if (len == 1) {
      for (uint32_t second = 0; second < 256; second++) t->pair[(key & 0xff) | second << 8] |= 1;
    } else if (len == 2) t->pair[key & 0xffff] |= 2;
    else if (len == 3) t->tri[hash15((uint32_t)key & 0xffffff)] = 1;
    else t->quad[hash15((uint32_t)key)] = 1;
    int32_t i = find_slot(t, key);
    if (i < 0) {
      if (used >= 2048) {
        t->full = 1;
        continue;
      }
      for (i = (int32_t)slot_hash(key); t->keys[i] != 0; i = (i + 1) & 4095) {}
      t->keys[i] = key + 1;
      used++;
    }
    count[i]++;
  }
  int32_t at = 0;
  for (int i = 0; i < 4096; i++) {
    t->from[i] = at;
    t->to[i] = at;
    at += count[i];
  }
  for (size_t w = 0; w < words; w++) {
    int32_t s = starts[w], len = starts[w + 1] - s;
    if (len <= 0 || (size_t)(s + len) > charsLen) continue;
    int32_t i = find_slot(t, word_key(chars, s, len));
    if (i >= 0) t->list[t->to[i]++] = (int32_t)w;
  }
  free(count);
  return 1;
}

typedef struct {
  const uint8_t *b;
  size_t n;
  int haveLine;
  size_t lineStart, lineEnd; /* the line of the last hit; lineEnd is where its newline is (or n) */
  Out *o;
} Lines;

/* Reports word `w` at `at` when it occurs there (compared in full, folded as the TypeScript sweep folds). */
static void try_word(Lines *L, const uint8_t *chars, const int32_t *starts, int32_t w, size_t at) {
  int32_t s = starts[w], len = starts[w + 1] - s;
  if (at + (size_t)len > L->n) return;
  for (int32_t k = 0; k < len; k++) if (LOWER[L->b[at + k]] != chars[s + k]) return;
  if (!L->haveLine || at >= L->lineEnd) {
    /* A new line. It starts after the last newline before `at`, searched back no further than
       the previous hit's line (so the text is searched once in all); it ends at the next one. */
    size_t floor = L->haveLine ? L->lineEnd + 1 : 0;
    const uint8_t *nl = at > floor ? memrchr(L->b + floor, '\n', at - floor) : NULL;
    L->lineStart = nl ? (size_t)(nl - L->b) + 1 : floor;
    nl = memchr(L->b + at, '\n', L->n - at);
    L->lineEnd = nl ? (size_t)(nl - L->b) : L->n;
    L->haveLine = 1;
  }
  out_push(L->o, (int32_t)L->lineStart);
  out_push(L->o, (int32_t)L->lineEnd);
  out_push(L->o, (int32_t)at);
  out_push(L->o, w);
}

/* The candidates for folded key `key` (tagged with its length), each compared in full. */
static void try_key(Lines *L, const Tables *t, const uint8_t *chars, const int32_t *starts, size_t words, uint64_t key, size_t at) {
  if (t->full) {
    for (size_t w = 0; w < words; w++) try_word(L, chars, starts, (int32_t)w, at);
    return;
  }
  int32_t i = find_slot(t, key);
  if (i < 0) return;
  for (int32_t j = t->from[i]; j < t->to[i]; j++) try_word(L, chars, starts, t->list[j], at);
}

/* The candidates at `at` for the folded window `w` (bytes at..at+3, bit 0x20 set in each). */
static inline void try_window(Lines *L, const Tables *t, const uint8_t *chars, const int32_t *starts, size_t words, uint32_t w, size_t at) {
  uint32_t key2 = w & 0xffff, h3 = hash15(w & 0xffffff), h4 = hash15(w);
  /* Three small tables (about 130 KiB) decide almost every position; no state is carried from
     one position to the next, so the processor overlaps their reads. */
  const uint8_t pv = t->pair[key2];
  if (!(pv | t->tri[h3] | t->quad[h4])) return;
  if (pv & 1) try_key(L, t, chars, starts, words, (uint64_t)(w & 0xff) | 1ull << 32, at);
  if (pv & 2) try_key(L, t, chars, starts, words, (uint64_t)key2 | 2ull << 32, at);
  if (t->tri[h3]) try_key(L, t, chars, starts, words, (uint64_t)(w & 0xffffff) | 3ull << 32, at);
  if (t->quad[h4]) try_key(L, t, chars, starts, words, (uint64_t)w | 4ull << 32, at);
}

/*
 * The tables of the last keyword set, per thread: a scanner calls with the same keywords window
 * after window, and building them (or even allocating their ~200 KiB, which the C library maps
 * afresh each time above its 128 KiB threshold) would cost more than scanning a small window.
 */
static _Thread_local Tables *cachedTables;
static _Thread_local uint8_t *cachedChars;
static _Thread_local int32_t *cachedStarts;
static _Thread_local size_t cachedCharsLen, cachedWords;

static const Tables *tables_for(const uint8_t *chars, size_t charsLen, const int32_t *starts, size_t words) {
  if (cachedTables && cachedCharsLen == charsLen && cachedWords == words && memcmp(cachedChars, chars, charsLen) == 0 &&
      memcmp(cachedStarts, starts, (words + 1) * sizeof(int32_t)) == 0) return cachedTables;
  if (cachedTables) free(cachedTables->list);
  free(cachedTables);
  free(cachedChars);
  free(cachedStarts);
  cachedTables = NULL;
  cachedChars = malloc(charsLen ? charsLen : 1);
  cachedStarts = malloc((words + 1) * sizeof(int32_t));
  Tables *t = malloc(sizeof(Tables));
  if (!cachedChars || !cachedStarts || !t || !build_tables(t, chars, charsLen, starts, words)) {
    free(t);
    return NULL;
  }
  memcpy(cachedChars, chars, charsLen);
  memcpy(cachedStarts, starts, (words + 1) * sizeof(int32_t));
  cachedCharsLen = charsLen;
  cachedWords = words;
  cachedTables = t;
  return t;
}

/* Every keyword occurrence in b[0..n) into `o` (see keywordHits); 0 when memory ran out. */
static int scan_keywords(const uint8_t *b, size_t n, const uint8_t *chars, size_t charsLen, const int32_t *starts, size_t words, Out *o) {
  const Tables *t = tables_for(chars, charsLen, starts, words);
  if (!t) return 0;
  Lines L = {b, n, 0, 0, 0, o};
  size_t at = 0;
  for (; at + 4 <= n; at++) {
    uint32_t w;
    memcpy(&w, b + at, 4);
    try_window(&L, t, chars, starts, words, w | 0x20202020u, at);
  }
  /* The last positions: zero bytes past the end (folded to spaces), whose keys only name
     keywords that are compared in full, so nothing past the end is ever reported. */
  for (; at < n; at++) {
    uint32_t w = 0;
    for (size_t k = 0; at + k < n; k++) w |= (uint32_t)b[at + k] << (8 * k);
    try_window(&L, t, chars, starts, words, w | 0x20202020u, at);
  }
  return !o->failed;
}

static napi_value keyword_hits(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  const uint8_t *b;
  size_t n, charsLen, startsLen;
  Out o;
  if (!pass_args(env, info, "keywordHits", 4, argv, &b, &n, &o)) return NULL;
  const uint8_t *chars = typed(env, argv[1], napi_uint8_array, &charsLen, "keywordHits: chars must be a Uint8Array");
  if (!chars) return NULL;
  const int32_t *starts = typed(env, argv[2], napi_int32_array, &startsLen, "keywordHits: starts must be an Int32Array");
  if (!starts) return NULL;
  if (startsLen == 0) {
    napi_throw_range_error(env, NULL, "keywordHits: starts must hold at least one entry");
    return NULL;
  }
  size_t words = startsLen - 1;
  for (size_t w = 0; w < words; w++) {
    if (starts[w] < 0 || starts[w + 1] < starts[w] || (size_t)starts[w + 1] > charsLen) {
      napi_throw_range_error(env, NULL, "keywordHits: starts must ascend within chars");
      return NULL;
    }
  }
  if (!scan_keywords(b, n, chars, charsLen, starts, words, &o)) o.failed = 1;
  return out_result(env, &o);
}

/* ---- numeric items ---- */

#define NUMERIC_PAD 12
#define EDGE_REACH 32
#define STANDALONE_DIGITS 9

static int is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static int num_sep(uint8_t c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' || c == '+'; }
static int is_space(uint8_t c) { return c == 32 || (c >= 9 && c <= 13); }
static int is_upper(uint8_t c) { return c >= 'A' && c <= 'Z'; }
static int fi_sign(uint8_t c) { return c == '-' || c == '+' || (c >= 'A' && c <= 'F') || (c >= 'U' && c <= 'Y'); }
static int fi_last(uint8_t c) { return is_digit(c) || (c >= 'A' && c <= 'Y'); }

/* How far a piece can reach past its item: the margin, then at most EDGE_REACH to a space. */
#define PIECE_REACH (NUMERIC_PAD + EDGE_REACH)

/*
 * The start of the line of `at`, or at - PIECE_REACH when the line starts before that (a piece
 * never reaches further): a long line (minified JSON) must not cost a search back to its start
 * for every number on it.
 */
static long line_floor(const uint8_t *b, long at) {
  long limit = at - PIECE_REACH > 0 ? at - PIECE_REACH : 0;
  const uint8_t *nl = at > limit ? memrchr(b + limit, '\n', (size_t)(at - limit)) : NULL;
  return nl ? nl - b + 1 : limit;
}
/* The end of the line of `at`, or at + PIECE_REACH when it ends after that. */
static long line_ceiling(const uint8_t *b, long n, long at) {
  long limit = at + PIECE_REACH < n ? at + PIECE_REACH : n;
  const uint8_t *nl = at < limit ? memchr(b + at, '\n', (size_t)(limit - at)) : NULL;
  return nl ? nl - b : limit;
}
static long pad_start(const uint8_t *b, long from, long floor) {
  long limit = from - EDGE_REACH > floor ? from - EDGE_REACH : floor;
  while (from > limit && !is_space(b[from - 1])) from--;
  return from;
}
static long pad_end(const uint8_t *b, long to, long ceiling) {
  long limit = to + EDGE_REACH < ceiling ? to + EDGE_REACH : ceiling;
  while (to < limit && !is_space(b[to])) to++;
  return to;
}
static int only_digits(const uint8_t *b, long start, long end, long digits) {
  return end - start == digits && (start == 0 || b[start - 1] != '+') ? 1 : 0;
}
static int worth_validating(const uint8_t *b, long n, long start, long end, long digits, long dots) {
  if (digits >= 9 || dots == 3) return 1;
  uint8_t after = end < n ? b[end] : 0;
  return digits >= 7 && end - start == digits && (is_upper(after) || after == '-');
}

typedef struct { long s, e, digits, dots; } Item;

static void push_item(Out *o, long from, long to, long digits, long dots, long s, long e, int only) {
  out_push(o, (int32_t)from);
  out_push(o, (int32_t)to);
  out_push(o, (int32_t)digits);
  out_push(o, (int32_t)dots);
  out_push(o, (int32_t)s);
  out_push(o, (int32_t)e);
  out_push(o, only);
}

/* numericCandidate in engine.ts. `items` has room for end - start entries. */
static void candidate(const uint8_t *b, long n, long start, long end, Out *o, Item *items) {
  long digits = 0, dots = 0, spaces = 0;
  for (long i = start; i < end; i++) {
    if (is_digit(b[i])) digits++;
    else if (b[i] == '.') dots++;
    else if (b[i] == ' ') spaces++;
  }
  if (digits < 7 && dots < 3) return;
  long count = 0;
  if (spaces) {
    /* splitItems: short groups stay together, a number of its own stands alone. */
    long i = start;
    int prevStandalone = 0, countryCode = 0;
    while (i < end) {
      while (i < end && b[i] == ' ') i++;
      long ts = i, d = 0, dt = 0;
      for (; i < end && b[i] != ' '; i++) {
        if (is_digit(b[i])) d++;
        else if (b[i] == '.') dt++;
      }
      if (i == ts) break;
      int standalone = d >= STANDALONE_DIGITS || dt >= 2;
      if (count && ((!standalone && !prevStandalone) || countryCode)) {
        items[count - 1].e = i;
        items[count - 1].digits += d;
        items[count - 1].dots += dt;
      } else {
        items[count].s = ts;
        items[count].e = i;
        items[count].digits = d;
        items[count].dots = dt;
        count++;
      }
      prevStandalone = standalone;
      countryCode = ts == start && d <= 3 && i - ts == d && start > 0 && b[start - 1] == '+';
    }
  }
  if (count > 1) {
    for (long k = 0; k < count; k++) {
      Item it = items[k];
      if (!worth_validating(b, n, it.s, it.e, it.digits, it.dots)) continue;
      long floor = k == 0 ? line_floor(b, it.s) : items[k - 1].e;
      long ceiling = k < count - 1 ? items[k + 1].s : line_ceiling(b, n, it.e);
      long from = pad_start(b, it.s - NUMERIC_PAD > floor ? it.s - NUMERIC_PAD : floor, floor);
      long to = pad_end(b, it.e + NUMERIC_PAD < ceiling ? it.e + NUMERIC_PAD : ceiling, ceiling);
      push_item(o, from, to, it.digits, it.dots, it.s, it.e, only_digits(b, it.s, it.e, it.digits));
    }
    return;
  }
  if (worth_validating(b, n, start, end, digits, dots)) {
    long ls = line_floor(b, start);
    long le = line_ceiling(b, n, end);
    long from = pad_start(b, start - NUMERIC_PAD > ls ? start - NUMERIC_PAD : ls, ls);
    long to = pad_end(b, end + NUMERIC_PAD < le ? end + NUMERIC_PAD : le, le);
    push_item(o, from, to, digits, dots, start, end, only_digits(b, start, end, digits));
  }
}

/* The first digit at or after `q`, or n. */
static inline long next_digit(const uint8_t *b, long n, long q) {
#if defined(__SSE2__)
  const __m128i zero = _mm_set1_epi8('0'), sign = _mm_set1_epi8((char)0x80), span = _mm_set1_epi8((char)(10 ^ 0x80));
  while (q + 16 <= n) {
    /* (byte - '0') < 10 as unsigned: flip the sign bits and compare signed. */
    __m128i t = _mm_xor_si128(_mm_sub_epi8(_mm_loadu_si128((const __m128i *)(b + q)), zero), sign);
    uint32_t m = (uint32_t)_mm_movemask_epi8(_mm_cmplt_epi8(t, span));
    if (m) return q + __builtin_ctz(m);
    q += 16;
  }
#endif
  while (q < n && !is_digit(b[q])) q++;
  return q;
}

/* What numericItems returns for b[0..len), into `o`; 0 when memory ran out. */
static int scan_numeric(const uint8_t *b, size_t len, Out *o) {
  long n = (long)len;
  Item *items = NULL;
  size_t itemsCap = 0;
  long q = 0;
  while (q < n) {
    q = next_digit(b, n, q);
    if (q >= n) break;
    long p = q;
    long end;
    if (p + 11 <= n && is_digit(b[p + 1]) && is_digit(b[p + 2]) && is_digit(b[p + 3]) && is_digit(b[p + 4]) && is_digit(b[p + 5]) &&
        fi_sign(b[p + 6]) && is_digit(b[p + 7]) && is_digit(b[p + 8]) && is_digit(b[p + 9]) && fi_last(b[p + 10])) {
      end = p + 11;
      q = end;
    } else {
      long last = p, e = p + 1, digits = 1, dots = 0, dotsToLast = 0;
      for (; e < n; e++) {
        uint8_t c = b[e];
        if (is_digit(c)) {
          last = e;
          digits++;
          dotsToLast = dots;
        } else if (num_sep(c)) {
          if (c == '.') dots++;
        } else break;
      }
      if (last < p + 6) {
        q = e;
        continue;
      }
      q = last + 1;
      if (digits < 7 && dotsToLast < 3) continue;
      end = last + 1;
    }
    if ((size_t)(end - p) > itemsCap) {
      size_t cap = (size_t)(end - p) * 2;
      Item *grown = realloc(items, cap * sizeof(Item));
      if (!grown) {
        o->failed = 1;
        break;
      }
      items = grown;
      itemsCap = cap;
    }
    candidate(b, n, p, end, o, items);
  }
  free(items);
  return !o->failed;
}

/* ---- lines with a long token ---- */

static int token_char(uint8_t c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_' || c == '-'; }

/* Reports the line around position `at` (inside a long run) and returns where the next line starts. */
static size_t report_line(const uint8_t *b, size_t n, size_t floor, size_t at, Out *o) {
  const uint8_t *nl = at > floor ? memrchr(b + floor, '\n', at - floor) : NULL;
  size_t start = nl ? (size_t)(nl - b) + 1 : floor;
  nl = memchr(b + at, '\n', n - at);
  size_t end = nl ? (size_t)(nl - b) : n;
  out_push(o, (int32_t)start);
  out_push(o, (int32_t)end);
  return end + 1;
}

#if defined(__SSE2__)
/* Bit k set when p[k] is a token character, for 16 bytes (range checks as signed compares). */
static inline uint32_t token_mask16(const uint8_t *p) {
  const __m128i v = _mm_loadu_si128((const __m128i *)p);
  const __m128i bias = _mm_set1_epi8((char)0x80);
  const __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
  const __m128i letter = _mm_cmplt_epi8(_mm_add_epi8(_mm_sub_epi8(lower, _mm_set1_epi8('a')), bias), _mm_set1_epi8((char)(26 - 128)));
  const __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(_mm_sub_epi8(v, _mm_set1_epi8('0')), bias), _mm_set1_epi8((char)(10 - 128)));
  const __m128i other = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')), _mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
  return (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), other));
}
#endif

/*
 * The lines holding a run of at least `min` token characters ([A-Za-z0-9_-]) as [start, end]
 * pairs (end at the newline). With SSE2, 64 bytes at a time: a mask of token characters, in which
 * runs of `min` ones are found by shifting and and-ing, with the run that reaches the end of a
 * block carried into the next. Otherwise every min-th byte is sampled (a run that long always
 * holds a sample) and only samples inside a token are measured. After a hit, the rest of its line
 * is skipped.
 */
static void scan_long_runs(const uint8_t *b, size_t n, size_t min, Out *o) {
  size_t floor = 0; /* where the line after the last reported one starts */
  size_t i = 0;
#if defined(__SSE2__)
  if (min <= 64) {
    size_t carry = 0; /* token characters that end the previous block */
    while (i + 64 <= n) {
      uint64_t m = (uint64_t)token_mask16(b + i) | (uint64_t)token_mask16(b + i + 16) << 16 |
                   (uint64_t)token_mask16(b + i + 32) << 32 | (uint64_t)token_mask16(b + i + 48) << 48;
      if (m == ~0ull) {
        carry += 64;
        if (carry >= min) {
          floor = report_line(b, n, floor, i, o);
          i = floor;
          carry = 0;
          continue;
        }
        i += 64;
        continue;
      }
      size_t lead = (size_t)__builtin_ctzll(~m);
      if (carry + lead >= min) {
        floor = report_line(b, n, floor, i, o);
        i = floor;
        carry = 0;
        continue;
      }
      /* Bit k of t: bits k .. k+min-1 of m are all set (a run of min inside this block). */
      uint64_t t = m;
      size_t len = 1;
      while (2 * len <= min) {
        t &= t >> len;
        len *= 2;
      }
      if (len < min) t &= t >> (min - len);
      /* A shift brings in zeros at the top, so no run is taken to go past the block. */
      if (t) {
        floor = report_line(b, n, floor, i + (size_t)__builtin_ctzll(t), o);
        i = floor;
        carry = 0;
        continue;
      }
      carry = (size_t)__builtin_clzll(~m);
      i += 64;
    }
    /* The tail goes to the sampling loop; the run reaching into it is counted there again. */
    if (carry && i > floor) {
      size_t back = carry < i - floor ? carry : i - floor;
      i -= back;
    }
  }
#endif
  size_t p = i + min - 1;
  while (p < n) {
    if (!token_char(b[p])) {
      p += min;
      continue;
    }
    size_t l = p, r = p + 1;
    while (l > floor && l > i && token_char(b[l - 1])) l--;
    while (r < n && token_char(b[r])) r++;
    if (r - l < min) {
      p = r + min;
      continue;
    }
    floor = report_line(b, n, floor, l, o);
    p = floor + min - 1;
  }
}

static napi_value numeric_items(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  const uint8_t *b;
  size_t len;
  Out o;
  if (!pass_args(env, info, "numericItems", 2, argv, &b, &len, &o)) return NULL;
  if (!scan_numeric(b, len, &o)) o.failed = 1;
  return out_result(env, &o);
}

static napi_value long_runs(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  const uint8_t *b;
  size_t len;
  Out o;
  if (!pass_args(env, info, "longRuns", 3, argv, &b, &len, &o)) return NULL;
  int32_t min;
  if (napi_get_value_int32(env, argv[1], &min) != napi_ok || min < 1) {
    napi_throw_range_error(env, NULL, "longRuns: min must be a positive integer");
    return NULL;
  }
  scan_long_runs(b, len, (size_t)min, &o);
  return out_result(env, &o);
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"keywordHits", NULL, keyword_hits, NULL, NULL, NULL, napi_enumerable, NULL},
    {"numericItems", NULL, numeric_items, NULL, NULL, NULL, napi_enumerable, NULL},
    {"longRuns", NULL, long_runs, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, 3, props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
