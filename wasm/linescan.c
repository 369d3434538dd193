// linescan: the per-byte work of reading a text log, compiled to WebAssembly with SIMD.
//
// A web log is mostly lines no rule can hit. For each complete line of a chunk this kernel decides, without
// JavaScript touching the bytes, whether the line is *plain* (well formed: the timestamp where the format
// puts it, the declared number of fields, no quote, and none of the gate's literals in it) or *interesting*
// (everything else: directives, bad lines, quoted CSV rows, lines with NUL or non-ASCII bytes, overlong
// lines, and the lines a rule may hit). Plain lines are only counted and their timestamps kept as the earliest
// and latest; interesting lines are listed for the parser in JavaScript, which reads them exactly as it reads
// every line when there is no gate.
//
// A line ends at LF, at CRLF, or at a CR alone (old Mac files, and files whose line ends were mixed). A
// timestamp counts only when it is a real date and time (no month 13, no 30 February): an impossible one
// makes the line interesting, so JavaScript reads it and says what is wrong.
//
// The literal search is Teddy (Langdale's multi-literal SIMD matcher from Hyperscan, here with 16 buckets
// and a 4-byte fingerprint): nibble tables say which buckets a byte may belong to at each fingerprint
// position; the AND over four shifted loads leaves the positions where some bucket's fingerprint may end.
// There a hash of the four bytes finds the literals with that window (shorter literals are tried one by one)
// and they are compared whole. Literals are lower-case ASCII; the input is compared case-insensitively.
//
// Build: wasm/build.mjs (clang --target=wasm32 -msimd128). No libc; memory is laid out by the JavaScript side.

#include <stdint.h>
#include <wasm_simd128.h>

typedef uint8_t u8;
typedef uint32_t u32;

#define MAX_LITS 1024
#define LIT_BYTES 65536
#define OUT_MAX 4096
#define OUT_W 5
#define STAMP_MAX 32
#define MAX_EXTS 32
#define EXT_BYTES 512
#define MAX_EXCEPT 64
#define EXCEPT_BYTES 2048
#define MAX_CLAUSES 64
#define MAX_CLAUSE_LITS 512
#define CLAUSE_BYTES 8192

// Flags of a listed line (the fifth word of its entry).
#define F_ODD 1   // a NUL byte or a byte above 0x7f: JavaScript checks the encoding and the NULs
#define F_LONG 2  // longer than max_line: reported, not read

// ---- configuration, written by JavaScript through the pointers `ptr()` gives ----
static u8 masks[2][4][2][16];     // [bucket set][fingerprint position][lo, hi nibble][nibble] -> bucket bits
static u32 lit_off[MAX_LITS];     // literal bytes in lit_bytes
static u32 lit_len[MAX_LITS];
static u32 lit_back[MAX_LITS];    // from the fingerprint's last byte back to the literal's first
static u32 lit_mask[MAX_LITS];    // which matchers gave the literal (bits chosen by JavaScript)
static u32 lit_word[MAX_LITS];    // its first four bytes (fewer: zero), little-endian, for a one-step check
static u32 lit_wmask[MAX_LITS];   // 0xff for each byte of lit_word that is part of the literal
static u32 lit_fold[MAX_LITS];    // 0x20 for each of those bytes that is a letter (OR folds the input)
static u32 lit_flags[MAX_LITS];   // 1: counts only where it ends a one-segment path (see at_root);
                                  // 2: only where the path after it names a script (see script_path);
                                  // 4: and that path is not one of the except names
static u32 bucket_first[17];      // short literals of bucket b: bucket_lits[bucket_first[b] .. bucket_first[b + 1])
static u32 bucket_lits[MAX_LITS];  // literals shorter than four bytes, by bucket
static u32 short_buckets;          // the buckets that hold any
#define HASH_BITS 12
#define HASH_SIZE (1u << HASH_BITS)
static u32 hash_key[HASH_SIZE];    // a literal's 4-byte window, lower case, where hash_head is set
static u32 hash_head[HASH_SIZE];   // 1 + the first literal with that window; 0: an empty slot
static u32 lit_next[MAX_LITS];     // 1 + the next literal with the same window; 0: none
static u8 lit_bytes[LIT_BYTES];
// Clauses: a line keeps bit clause_mask[c] only if it also holds one of clause c's literals
// (cl_* [clause_first[c] .. clause_first[c + 1])), lower-case ASCII, compared case-insensitively.
static u32 clause_mask[MAX_CLAUSES];
static u32 clause_first[MAX_CLAUSES + 1];
static u32 cl_off[MAX_CLAUSE_LITS];
static u32 cl_len[MAX_CLAUSE_LITS];
static u8 cl_bytes[CLAUSE_BYTES];
static u32 n_clauses;
// Script paths (flag 2): the extensions a script's name may end in, and (flag 4) names that do not count.
static u32 ext_off[MAX_EXTS];
static u32 ext_len[MAX_EXTS];
static u8 ext_bytes[EXT_BYTES];
static u32 n_exts;
static u32 except_off[MAX_EXCEPT];
static u32 except_len[MAX_EXCEPT];
static u8 except_bytes[EXCEPT_BYTES];
static u32 n_except;
static u32 clause_bits;            // the OR of clause_mask
// Timestamp shape at line start: 'd' a digit, '?' any byte, 'Y' 'M' 'D' 'h' 'm' 's' the digits of the year,
// month, day, hour, minute and second (checked together as a real time), any other byte itself.
static u8 stamp[STAMP_MAX];
static u8 shape[STAMP_MAX];       // the stamp with its calendar letters as 'd'
static u32 field_at[6];           // where Y M D h m s start in the stamp (their lengths: 4 2 2 2 2 2)
static u32 stamp_dated;           // the shape has all six calendar fields (else its digits are only digits)
static u32 out[OUT_MAX * OUT_W];  // interesting lines: start, end (without CR), line number, literal mask, flags
static u8 min_stamp[STAMP_MAX];
static u8 max_stamp[STAMP_MAX];

static u32 n_lits;                // 0: no gate literals (with gate_all = 0, no line can be hit)
static u32 gate_all;              // 1: every line is interesting (a matcher wants every record)
static u32 sep;                   // field separator byte
static u32 fields;                // expected field count; 0 = unknown, no line is plain
static u32 stamp_len;             // bytes of `stamp` to check; 0 = no line is plain
static u32 stamp_cmp;             // bytes of the timestamp compared for earliest/latest
static u32 csv;                   // quotes matter: a quoted row is interesting, an odd count ends the call
static u32 max_line = 0xffffffffu; // a longer line is listed with F_LONG

// ---- state ----
static u8 *input;                 // set by JavaScript: 32 readable bytes before and after are required
static u32 in_len;
static u32 pos;                   // start of the next line to look at
static u32 line_no;               // lines passed so far
static u32 quote_open;            // inside a CSV value that spans lines (JavaScript decides, see scan)
static u32 plain_count;
static u32 blank_count;
static u32 have_stamps;
static u32 stopped_early;

__attribute__((export_name("ptr"))) u32 ptr(u32 which) {
  switch (which) {
    case 0: return (u32)(uintptr_t)masks;
    case 1: return (u32)(uintptr_t)lit_off;
    case 2: return (u32)(uintptr_t)lit_len;
    case 3: return (u32)(uintptr_t)lit_back;
    case 4: return (u32)(uintptr_t)bucket_first;
    case 5: return (u32)(uintptr_t)lit_bytes;
    case 6: return (u32)(uintptr_t)stamp;
    case 7: return (u32)(uintptr_t)out;
    case 8: return (u32)(uintptr_t)min_stamp;
    case 9: return (u32)(uintptr_t)max_stamp;
    case 10: return (u32)(uintptr_t)lit_mask;
    case 11: return (u32)(uintptr_t)lit_word;
    case 12: return (u32)(uintptr_t)lit_wmask;
    case 13: return (u32)(uintptr_t)lit_fold;
    case 14: return (u32)(uintptr_t)lit_flags;
    case 15: return (u32)(uintptr_t)bucket_lits;
    case 16: return (u32)(uintptr_t)hash_key;
    case 17: return (u32)(uintptr_t)hash_head;
    case 18: return (u32)(uintptr_t)lit_next;
    case 19: return (u32)(uintptr_t)clause_mask;
    case 20: return (u32)(uintptr_t)clause_first;
    case 21: return (u32)(uintptr_t)cl_off;
    case 22: return (u32)(uintptr_t)cl_len;
    case 23: return (u32)(uintptr_t)cl_bytes;
    case 24: return (u32)(uintptr_t)ext_off;
    case 25: return (u32)(uintptr_t)ext_len;
    case 26: return (u32)(uintptr_t)ext_bytes;
    case 27: return (u32)(uintptr_t)except_off;
    case 28: return (u32)(uintptr_t)except_len;
    case 29: return (u32)(uintptr_t)except_bytes;
    default: return 0;
  }
}

__attribute__((export_name("limits"))) u32 limits(u32 which) {
  switch (which) {
    case 0: return MAX_LITS;
    case 1: return LIT_BYTES;
    case 2: return OUT_MAX;
    case 3: return STAMP_MAX;
    case 4: return OUT_W;
    case 5: return MAX_CLAUSES;
    case 6: return MAX_CLAUSE_LITS;
    case 7: return CLAUSE_BYTES;
    case 8: return MAX_EXTS;
    case 9: return EXT_BYTES;
    case 10: return MAX_EXCEPT;
    case 11: return EXCEPT_BYTES;
    default: return 0;
  }
}

__attribute__((export_name("set_gate"))) void set_gate(u32 n, u32 all, u32 shorts) {
  n_lits = n;
  gate_all = all;
  short_buckets = shorts;
}

/** Extensions 0 .. n - 1 and except names 0 .. m - 1 of the script-path tables are in use. */
__attribute__((export_name("set_paths"))) void set_paths(u32 n, u32 m) {
  n_exts = n;
  n_except = m;
}

/** Clauses 0 .. n - 1 of the tables are in use (their masks already written). */
__attribute__((export_name("set_clauses"))) void set_clauses(u32 n) {
  n_clauses = n;
  clause_bits = 0;
  for (u32 c = 0; c < n; c++) clause_bits |= clause_mask[c];
}

__attribute__((export_name("set_format"))) void set_format(u32 s, u32 f, u32 slen, u32 scmp, u32 is_csv) {
  sep = s;
  fields = f;
  stamp_len = slen;
  stamp_cmp = scmp;
  csv = is_csv;
  // The letters become digits in the shape; where each calendar field starts is kept for the check.
  static const u8 letters[6] = {'Y', 'M', 'D', 'h', 'm', 's'};
  u32 seen = 0;
  for (u32 k = 0; k < slen && k < STAMP_MAX; k++) {
    u8 c = stamp[k];
    shape[k] = c;
    for (u32 f = 0; f < 6; f++)
      if (c == letters[f]) {
        shape[k] = 'd';
        if (!(seen & (1u << f))) field_at[f] = k;
        seen |= 1u << f;
      }
  }
  stamp_dated = seen == 0x3f;
}

__attribute__((export_name("set_max_line"))) void set_max_line(u32 n) { max_line = n; }

/** A new chunk of `len` bytes at `at`, starting at a line start; line numbers go on from where they were. */
__attribute__((export_name("set_input"))) void set_input(u32 at, u32 len) {
  input = (u8 *)(uintptr_t)at;
  in_len = len;
  pos = 0;
}

__attribute__((export_name("position"))) u32 position(void) { return pos; }
__attribute__((export_name("lines"))) u32 lines(void) { return line_no; }
__attribute__((export_name("set_lines"))) void set_lines(u32 n) { line_no = n; }
__attribute__((export_name("more"))) u32 more(void) { return stopped_early; }
__attribute__((export_name("plain_lines"))) u32 plain_lines(void) { return plain_count; }
__attribute__((export_name("blank_lines"))) u32 blank_lines(void) { return blank_count; }
__attribute__((export_name("reset_blank"))) void reset_blank(void) { blank_count = 0; }
__attribute__((export_name("set_quote"))) void set_quote(u32 q) { quote_open = q; }

__attribute__((export_name("reset_tally"))) void reset_tally(void) {
  plain_count = 0;
  have_stamps = 0;
}

static inline u8 lower(u8 c) { return (u8)(c | ((u8)(c - 'A') < 26u ? 0x20 : 0)); }

/** Is the literal at `s` the end of a path of one segment right after a space or comma (`GET /name.aspx`)? */
static int at_root(const u8 *p, u32 start, u32 s) {
  u32 q = s;
  u32 name = 0;
  while (q > start) {
    u8 c = p[q - 1];
    if (c == '/' || c == ' ' || c == ',' || c == '?') break;
    q--;
    name++;
  }
  // p[q - 1] must be the segment's slash, and the byte before it a field separator.
  if (name == 0 || q < start + 2 || p[q - 1] != '/') return 0;
  return p[q - 2] == ' ' || p[q - 2] == ',';
}

static inline int ends_path(u8 c) { return c == ' ' || c == ',' || c == '?' || c == '"' || c == ';' || c == '\t'; }

static int same_ci(const u8 *p, const u8 *l, u32 n) {
  for (u32 k = 0; k < n; k++)
    if (lower(p[k]) != l[k]) return 0;
  return 1;
}

/**
 * Does the URL path going on at `from` name a script: its bytes up to one of ` ,?";\t` (which must come
 * before the line ends) end in `.ext` for one of the extensions? With `except`, a name without `/` that is
 * one of the except names does not count (Exchange's own pages in a folder where a shell hides).
 */
static int script_path(const u8 *p, u32 from, u32 end, u32 except) {
  u32 q = from;
  while (q < end && !ends_path(p[q])) q++;
  if (q >= end) return 0;
  int ok = 0;
  for (u32 e = 0; e < n_exts && !ok; e++) {
    u32 n = ext_len[e];
    ok = q - from >= n + 1 && p[q - n - 1] == '.' && same_ci(p + q - n, ext_bytes + ext_off[e], n);
  }
  if (!ok || !except) return ok;
  for (u32 k = from; k < q; k++)
    if (p[k] == '/') return 1;
  for (u32 e = 0; e < n_except; e++)
    if (except_len[e] == q - from && same_ci(p + from, except_bytes + except_off[e], q - from)) return 0;
  return 1;
}

/** Literal i's mask if it occurs with its fingerprint ending at `at_end`, else 0. */
static u32 verify_one(const u8 *p, u32 start, u32 end, u32 at_end, u32 i) {
  u32 back = lit_back[i];
  if (at_end < start + back) return 0;
  u32 s = at_end - back;
  u32 len = lit_len[i];
  if (s + len > end) return 0;
  u32 w;
  __builtin_memcpy(&w, p + s, 4);
  if (((w | lit_fold[i]) & lit_wmask[i]) != lit_word[i]) return 0;
  const u8 *l = lit_bytes + lit_off[i];
  u32 k = len < 4 ? len : 4;
  while (k < len && lower(p[s + k]) == l[k]) k++;
  if (k != len || ((lit_flags[i] & 1) && !at_root(p, start, s))) return 0;
  if ((lit_flags[i] & 2) && !script_path(p, s + len, end, lit_flags[i] & 4)) return 0;
  return lit_mask[i];
}

/**
 * The masks of the literals that end their fingerprint at `at_end`, beyond those already in `have`.
 * A literal of four bytes or more has a whole 4-byte window, so the window ending here, lower-cased, finds
 * it in a hash table: a candidate costs one lookup, not a pass over its buckets' literals. Shorter ones
 * are tried one by one, and only when a bucket holding some fired.
 */
static u32 verify(const u8 *p, u32 start, u32 end, u32 at_end, u32 buckets, u32 have) {
  u32 found = 0;
  if (at_end >= start + 3) {
    u32 w;
    __builtin_memcpy(&w, p + at_end - 3, 4);
    // ASCII upper case to lower case in all four bytes at once; other bytes stay as they are.
    u32 x = w & 0x7f7f7f7fu;
    w |= ((x + 0x3f3f3f3fu) & ~(x + 0x25252525u) & ~w & 0x80808080u) >> 2;
    for (u32 h = (w * 0x9e3779b1u) >> (32 - HASH_BITS); hash_head[h]; h = (h + 1) & (HASH_SIZE - 1)) {
      if (hash_key[h] != w) continue;
      for (u32 i = hash_head[h]; i; i = lit_next[i - 1])
        if (lit_mask[i - 1] & ~(have | found)) found |= verify_one(p, start, end, at_end, i - 1);
      break;
    }
  }
  buckets &= short_buckets;
  while (buckets) {
    u32 b = (u32)__builtin_ctz(buckets);
    buckets &= buckets - 1;
    for (u32 k = bucket_first[b]; k < bucket_first[b + 1]; k++) {
      u32 i = bucket_lits[k];
      if (lit_mask[i] & ~(have | found)) found |= verify_one(p, start, end, at_end, i);
    }
  }
  return found;
}

static inline v128_t nibbles(const u8 *t, v128_t lo, v128_t hi) {
  return wasm_v128_and(wasm_i8x16_swizzle(wasm_v128_load(t), lo), wasm_i8x16_swizzle(wasm_v128_load(t + 16), hi));
}

/** The OR of the masks of the literals that occur in input[start, end); 0 when none does. */
static u32 teddy(u32 start, u32 end) {
  const u8 *p = input;
  u32 mask = 0;
  const v128_t low4 = wasm_i8x16_splat(0x0f);
  const v128_t zero = wasm_i8x16_splat(0);
  for (u32 i = start; i < end; i += 16) {
    v128_t r0 = wasm_i8x16_splat(-1), r1 = r0;
    for (int k = 0; k < 4; k++) {
      v128_t v = wasm_v128_load(p + i - 3 + k);
      v128_t lo = wasm_v128_and(v, low4);
      v128_t hi = wasm_u8x16_shr(v, 4);
      r0 = wasm_v128_and(r0, nibbles(masks[0][k][0], lo, hi));
      r1 = wasm_v128_and(r1, nibbles(masks[1][k][0], lo, hi));
    }
    u32 bits = (u32)(wasm_i8x16_bitmask(wasm_i8x16_ne(r0, zero)) | wasm_i8x16_bitmask(wasm_i8x16_ne(r1, zero)));
    if (!bits) continue;
    if (end - i < 16) bits &= (1u << (end - i)) - 1;
    if (!bits) continue;
    u8 lanes0[16], lanes1[16];
    wasm_v128_store(lanes0, r0);
    wasm_v128_store(lanes1, r1);
    while (bits) {
      u32 j = (u32)__builtin_ctz(bits);
      bits &= bits - 1;
      mask |= verify(p, start, end, i + j, (u32)lanes0[j] | ((u32)lanes1[j] << 8), mask);
    }
  }
  return mask;
}

/** Does input[start, end) hold the lower-case ASCII literal l of n bytes, in any case? */
static int holds(u32 start, u32 end, const u8 *l, u32 n) {
  if (n == 0) return 1;
  if (end - start < n) return 0;
  const u8 *p = input;
  const u8 first = l[0];
  for (u32 i = start; i + n <= end; i++) {
    if (lower(p[i]) != first) continue;
    u32 k = 1;
    while (k < n && lower(p[i + k]) == l[k]) k++;
    if (k == n) return 1;
  }
  return 0;
}

/** `mask` without the bits whose clauses input[start, end) does not satisfy. */
static u32 confirm(u32 start, u32 end, u32 mask) {
  for (u32 c = 0; c < n_clauses; c++) {
    if (!(mask & clause_mask[c])) continue;
    int ok = 0;
    for (u32 j = clause_first[c]; j < clause_first[c + 1] && !ok; j++)
      ok = holds(start, end, cl_bytes + cl_off[j], cl_len[j]);
    if (!ok) mask &= ~clause_mask[c];
  }
  return mask;
}

static int days_in(u32 y, u32 m) {
  if (m == 2) return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
  return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
}

static inline u32 num2(const u8 *p) { return (u32)(p[0] - '0') * 10 + (u32)(p[1] - '0'); }

static int stamp_ok(u32 start, u32 end) {
  if (end - start < stamp_len) return 0;
  const u8 *p = input + start;
  for (u32 k = 0; k < stamp_len; k++) {
    u8 want = shape[k];
    u8 c = p[k];
    if (want == '?') continue;
    if (want == 'd') {
      if ((u8)(c - '0') > 9) return 0;
    } else if (c != want) {
      return 0;
    }
  }
  if (!stamp_dated) return 1;
  // The digits are checked above; now the values: a real UTC time, or JavaScript must look at the line.
  u32 y = num2(p + field_at[0]) * 100 + num2(p + field_at[0] + 2);
  u32 mo = num2(p + field_at[1]);
  u32 d = num2(p + field_at[2]);
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && (int)d <= days_in(y, mo) && num2(p + field_at[3]) < 24 &&
         num2(p + field_at[4]) < 60 && num2(p + field_at[5]) < 60;
}

static int compare(const u8 *a, const u8 *b, u32 n) {
  for (u32 k = 0; k < n; k++)
    if (a[k] != b[k]) return (int)a[k] - (int)b[k];
  return 0;
}

static void keep_stamp(u32 start) {
  const u8 *p = input + start;
  if (!have_stamps) {
    for (u32 k = 0; k < stamp_cmp; k++) min_stamp[k] = max_stamp[k] = p[k];
    have_stamps = 1;
    return;
  }
  if (compare(p, min_stamp, stamp_cmp) < 0)
    for (u32 k = 0; k < stamp_cmp; k++) min_stamp[k] = p[k];
  if (compare(p, max_stamp, stamp_cmp) > 0)
    for (u32 k = 0; k < stamp_cmp; k++) max_stamp[k] = p[k];
}

static inline int is_letter(u8 c) { return (u8)((c | 0x20) - 'a') < 26u; }

/**
 * Looks at the complete lines from `pos` on and lists the interesting ones. Returns how many it listed;
 * stops early after a line that may change how the next ones are read (a directive, a CSV row that may be a
 * header, a line of a quoted CSV value) or when the list is full. `position()` is then where to go on; a line
 * without its end stays for the next chunk, and so does a line whose CR is the last byte (an LF may follow).
 *
 * Quoted CSV values that span lines are followed by JavaScript, which bounds them: a line with an odd
 * number of quotes is listed and ends the call, and JavaScript says with set_quote() whether the next line
 * continues a value. Such lines are listed one call at a time.
 */
__attribute__((export_name("scan"))) u32 scan(void) {
  u32 n = 0;
  stopped_early = 0;
  const u8 *p = input;
  const v128_t lf_v = wasm_i8x16_splat('\n');
  const v128_t cr_v = wasm_i8x16_splat('\r');
  const v128_t one_v = wasm_i8x16_splat(1);
  const v128_t sep_v = wasm_i8x16_splat((int8_t)sep);
  const v128_t quote_v = wasm_i8x16_splat('"');
  u32 line_start = pos;
  u32 seps = 0, quotes = 0, odd = 0;
  u32 i = pos;
  while (i < in_len) {
    v128_t v = wasm_v128_load(p + i);
    u32 valid = in_len - i < 16 ? (1u << (in_len - i)) - 1 : 0xffffu;
    // Line ends: LF and CR together (a CR followed by an LF is passed over below).
    u32 nl = (u32)wasm_i8x16_bitmask(wasm_v128_or(wasm_i8x16_eq(v, lf_v), wasm_i8x16_eq(v, cr_v))) & valid;
    u32 sp = (u32)wasm_i8x16_bitmask(wasm_i8x16_eq(v, sep_v)) & valid;
    u32 qt = csv ? (u32)wasm_i8x16_bitmask(wasm_i8x16_eq(v, quote_v)) & valid : 0;
    // NUL bytes and bytes above 0x7f: as signed bytes, the ones below 1.
    u32 od = (u32)wasm_i8x16_bitmask(wasm_i8x16_lt(v, one_v)) & valid;
    while (nl) {
      u32 j = (u32)__builtin_ctz(nl);
      u32 line_end = i + j;
      if (p[line_end] == '\r') {
        // A CR ends a line unless an LF follows it; after the input's last byte, what follows is not known yet.
        if (line_end + 1 == in_len) {
          pos = line_start;
          return n;
        }
        if (p[line_end + 1] == '\n') {
          nl &= nl - 1;
          continue;
        }
      }
      u32 before = (1u << j) - 1;
      seps += (u32)__builtin_popcount(sp & before);
      quotes += (u32)__builtin_popcount(qt & before);
      u32 after = ~((before << 1) | 1u);
      sp &= after;
      qt &= after;
      if (od) {
        odd |= od & before;
        od &= after;
      }
      nl &= nl - 1;
      u32 end = line_end > line_start && p[line_end - 1] == '\r' ? line_end - 1 : line_end;
      line_no++;
      int interesting = 1;
      int stop = line_no == 1;  // a plain header row may set the columns (an Exchange CSV log without #Fields)
      u32 mask = 0xffffffffu;
      if (quote_open) {
        stop = 1;  // a line of a quoted value: JavaScript decides whether the value goes on
      } else if (end == line_start) {
        interesting = 0;  // an empty line: nothing to read or count
        blank_count++;
      } else if (p[line_start] == '#') {
        stop = 1;
      } else if (n_lits && (mask = teddy(line_start, end)) != 0 &&
                 (!(mask & clause_bits) || (mask = confirm(line_start, end, mask)) != 0)) {
        // a line some rule may hit (its literals found, and for the bits with clauses, theirs too)
      } else if (odd || quotes || gate_all || fields == 0 || stamp_len == 0 || seps + 1 != fields ||
                 end - line_start > max_line || !stamp_ok(line_start, end)) {
        // not well formed, not plain ASCII text, or too long: JavaScript reads it (or reports it)
      } else {
        interesting = 0;
        plain_count++;
        keep_stamp(line_start);
      }
      if (interesting) {
        u32 flags = (odd ? F_ODD : 0) | (end - line_start > max_line ? F_LONG : 0);
        // A line JavaScript may read otherwise than its bytes say (NULs cut away: what follows them may be a
        // directive), and in a CSV log a row that opens a quoted value or starts with a letter (a header
        // row), may change how the next lines read.
        if (flags || (csv && ((quotes & 1) || is_letter(p[line_start])))) stop = 1;
        u32 *o = out + n * OUT_W;
        o[0] = line_start;
        o[1] = end;
        o[2] = line_no;
        o[3] = mask;
        o[4] = flags;
        n++;
      }
      line_start = line_end + 1;
      seps = quotes = odd = 0;
      if (stop || n == OUT_MAX) {
        pos = line_start;
        stopped_early = 1;
        return n;
      }
    }
    seps += (u32)__builtin_popcount(sp);
    quotes += (u32)__builtin_popcount(qt);
    odd |= od;
    i += 16;
  }
  pos = line_start;
  return n;
}
