#include "loader/source_policy.h"

#include <sys/stat.h>

#include <cstring>
#include <vector>

#include "config/trusted_file.h"

namespace bcc::loader {

namespace {

constexpr char kAngleOnly[] =
    "may include only kernel and BCC headers (<linux/...>, <uapi/...>, <bcc/...>)";

// One character of the text after translation phases 1 and 2 (trigraphs,
// line splices), with the physical line it came from.
struct Char {
  unsigned char c;
  int line;
};

bool horizontal_space(unsigned char c) {
  // clang ignores NUL bytes outside literals, as white space
  return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\0';
}

char trigraph(unsigned char c) {
  switch (c) {
    case '=': return '#';
    case '/': return '\\';
    case '\'': return '^';
    case '(': return '[';
    case ')': return ']';
    case '!': return '|';
    case '<': return '{';
    case '>': return '}';
    case '-': return '~';
    default: return 0;
  }
}

// Phases 1-2. Lines end at \n, \r\n or a lone \r (clang's reading). A
// backslash, then spaces or tabs, then a line end, is a splice (clang and gcc
// accept the spaces, with a warning).
std::vector<Char> spliced(const std::string& text, bool trigraphs) {
  std::vector<Char> phase1;
  phase1.reserve(text.size());
  int line = 1;
  for (size_t i = 0; i < text.size(); i++) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') i++;
      phase1.push_back({'\n', line++});
      continue;
    }
    if (c == '\n') {
      phase1.push_back({'\n', line++});
      continue;
    }
    if (trigraphs && c == '?' && i + 2 < text.size() && text[i + 1] == '?' &&
        trigraph(static_cast<unsigned char>(text[i + 2]))) {
      phase1.push_back({static_cast<unsigned char>(trigraph(static_cast<unsigned char>(text[i + 2]))), line});
      i += 2;
      continue;
    }
    phase1.push_back({c, line});
  }
  std::vector<Char> out;
  out.reserve(phase1.size());
  for (size_t i = 0; i < phase1.size(); i++) {
    if (phase1[i].c == '\\') {
      size_t j = i + 1;
      while (j < phase1.size() && phase1[j].c != '\0' && horizontal_space(phase1[j].c)) j++;
      if (j < phase1.size() && phase1[j].c == '\n') {
        i = j;  // the backslash, the spaces and the line end vanish
        continue;
      }
    }
    out.push_back(phase1[i]);
  }
  return out;
}

// Unicode white space clang skips (with a warning) as it skips spaces:
// its UTF-8 length at `at`, or 0.
size_t unicode_space(const std::vector<Char>& v, size_t at) {
  auto b = [&](size_t k) { return at + k < v.size() ? v[at + k].c : 0; };
  if (b(0) == 0xC2 && (b(1) == 0x85 || b(1) == 0xA0)) return 2;
  if (b(0) == 0xE1 && b(1) == 0x9A && b(2) == 0x80) return 3;
  if (b(0) == 0xE2 && b(1) == 0x80 && ((b(2) >= 0x80 && b(2) <= 0x8A) || b(2) == 0xA8 ||
                                       b(2) == 0xA9 || b(2) == 0xAF))
    return 3;
  if (b(0) == 0xE2 && b(1) == 0x81 && b(2) == 0x9F) return 3;
  if (b(0) == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return 3;
  if (at == 0 && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) return 3;  // byte order mark
  return 0;
}

bool word_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$';
}

bool ends_with(const std::string& s, const char* suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

// Text of the program quoted in a message: printable, and short.
std::string printable_excerpt(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (out.size() >= 80) return out + "...";
    out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  }
  return out;
}

// libbcc's table types, as they appear before ':' in its pin syntax
const char* const kTableTypes[] = {
    "hash",          "array",          "prog",           "perf_output",     "perf_array",
    "percpu_hash",   "percpu_array",   "lru_hash",       "lru_percpu_hash", "stacktrace",
    "cgroup_array",  "devmap",         "cpumap",         "xskmap",          "hash_of_maps",
    "array_of_maps", "sockmap",        "sockhash",       "cgroup_storage",  "sk_storage",
    "inode_storage", "task_storage",   "lpm_trie",       "queue",           "stack",
    "ringbuf",       "percpu_cgroup_storage", "devmap_hash", "array_of_maps", "extern"};

// Why a string literal (or adjacent ones joined) may not appear in a
// registered program, or "".
std::string table_string_problem(const std::string& s) {
  if (s == "extern" || s == "export" || s == "shared")
    return "\"" + s + "\": a registered program may not declare extern, public or shared tables";
  if (s.compare(0, 5, "maps/") == 0)
    return "\"" + printable_excerpt(s) +
           "\": a registered program may not set a table's section (declare tables with "
           "BPF_HASH, BPF_ARRAY, ...)";
  size_t colon = s.find(':');
  if (colon != std::string::npos && colon > 0) {
    std::string head = s.substr(0, colon);
    bool table_type = false;
    for (const char* t : kTableTypes) table_type |= head == t;
    bool word = true;
    for (unsigned char c : head) word &= (c >= 'a' && c <= 'z') || c == '_';
    if (table_type || (word && colon + 1 < s.size() && s[colon + 1] == '/'))
      return "\"" + printable_excerpt(s) + "\": a registered program may not declare pinned tables";
  }
  return "";
}

std::string identifier_problem(const std::string& word) {
  if (word.compare(0, 4, "BPF_") != 0) return "";
  if (ends_with(word, "_PINNED"))
    return word + ": a registered program may not declare pinned tables";
  if (ends_with(word, "PUBLIC") || ends_with(word, "SHARED"))
    return word + ": a registered program may not declare public or shared tables";
  return "";
}

class Scanner {
 public:
  Scanner(std::vector<Char> text, SourcePolicy policy, const std::string& include_dir)
      : v_(std::move(text)), policy_(policy), include_dir_(include_dir) {}

  std::string run() {
    bool line_start = true;  // nothing but white space and comments since the line began
    while (i_ < v_.size() && problem_.empty()) {
      unsigned char c = v_[i_].c;
      if (c == '\n') {
        if (pending_line_ >= 0) offset_ = pending_line_ - (v_[i_].line + 1);
        pending_line_ = -1;
        line_start = true;
        i_++;
        continue;
      }
      if (skip_space_or_comment(&line_start)) continue;
      if (line_start && (c == '#' || (c == '%' && at(1) == ':'))) {
        flush_strings();
        directive();
        line_start = false;
        continue;
      }
      line_start = false;
      if (c == '"' || c == '\'') {
        std::string s = literal(c);
        if (c == '"') string_literal(s);
        continue;
      }
      flush_strings();
      if (word_char(c)) {
        std::string w = word();
        if (policy_ == SourcePolicy::registered) fail_at(line_now(), identifier_problem(w));
        continue;
      }
      i_++;
    }
    flush_strings();
    return problem_;
  }

 private:
  unsigned char at(size_t k) const { return i_ + k < v_.size() ? v_[i_ + k].c : 0; }
  bool at_end() const { return i_ >= v_.size(); }
  int line_now() const { return (at_end() ? (v_.empty() ? 1 : v_.back().line) : v_[i_].line) + offset_; }

  void fail_at(int line, const std::string& why) {
    if (problem_.empty() && !why.empty()) problem_ = "line " + std::to_string(line) + ": " + why;
  }

  // Skips one stretch of white space or one comment. A block comment that
  // spans lines may leave a # after it at the start of a line, or not,
  // depending on the reading: it is taken as the start (the stricter one).
  bool skip_space_or_comment(bool* line_start) {
    unsigned char c = at(0);
    if (horizontal_space(c)) {
      i_++;
      return true;
    }
    if (size_t n = unicode_space(v_, i_)) {
      i_ += n;
      return true;
    }
    if (c == '/' && at(1) == '/') {
      while (!at_end() && at(0) != '\n') i_++;
      return true;
    }
    if (c == '/' && at(1) == '*') {
      i_ += 2;
      bool newline = false;
      while (!at_end() && !(at(0) == '*' && at(1) == '/')) newline |= v_[i_++].c == '\n';
      i_ = std::min(i_ + 2, v_.size());
      if (newline) *line_start = true;
      return true;
    }
    return false;
  }

  // Within a directive: white space and comments, including comments that
  // span lines (the directive goes on after them).
  void skip_directive_space() {
    bool ignored = false;
    while (!at_end() && at(0) != '\n' && skip_space_or_comment(&ignored)) {
    }
  }

  std::string word() {
    std::string w;
    // A name stops at any non-ASCII byte: whether clang takes it into the
    // name or not, what follows is then refused or harmless.
    while (!at_end() && (word_char(at(0)) || at(0) == '\\')) {
      // a backslash belongs to a name only as a universal character name
      if (at(0) == '\\' && at(1) != 'u' && at(1) != 'U') break;
      w += static_cast<char>(v_[i_++].c);
    }
    return w;
  }

  // A string or character literal from its opening quote; it ends at the
  // closing quote or, unterminated, at the end of the line. Returns its text.
  std::string literal(unsigned char quote) {
    std::string s;
    i_++;
    while (!at_end() && at(0) != '\n' && at(0) != quote) {
      if (at(0) == '\\' && i_ + 1 < v_.size() && at(1) != '\n') s += static_cast<char>(v_[i_++].c);
      s += static_cast<char>(v_[i_++].c);
    }
    if (!at_end() && at(0) == quote) i_++;
    return s;
  }

  // Adjacent string literals are one string ("maps/" "extern").
  void string_literal(const std::string& s) {
    if (policy_ != SourcePolicy::registered) return;
    if (strings_.empty()) strings_line_ = line_now();
    fail_at(line_now(), table_string_problem(s));
    strings_ += s;
    joined_ = true;
  }
  void flush_strings() {
    if (joined_) fail_at(strings_line_, table_string_problem(strings_));
    strings_.clear();
    joined_ = false;
  }

  void directive() {
    int line = line_now();
    i_ += at(0) == '#' ? 1 : 2;
    skip_directive_space();
    if (at_end() || at(0) == '\n') return;  // the null directive
    if (at(0) >= '0' && at(0) <= '9') {   // a GNU line marker: # 12 "file"
      line_number();
      return;
    }
    std::string name = word();
    if (name.find('\\') != std::string::npos)
      return fail_at(line, "#" + printable_excerpt(name) +
                               ": a universal character name in a directive's name is not allowed");
    if (name == "line") {
      skip_directive_space();
      line_number();
    } else if (name == "include" || name == "include_next" || name == "import" ||
               name == "embed" || name == "__include_macros") {
      include(line, name);
    } else if (name == "error" || name == "warning") {
      // clang reads the rest of an active #error or #warning line as raw
      // text, but that of a skipped one as tokens: a comment opened there
      // would hide the following lines in one reading and not in the other
      while (!at_end() && at(0) != '\n') {
        if (at(0) == '/' && at(1) == '*')
          return fail_at(line, "#" + name + " with /* in its message is ambiguous: remove the /*");
        i_++;
      }
    }
  }

  void line_number() {
    int n = 0;
    bool any = false;
    while (!at_end() && at(0) >= '0' && at(0) <= '9' && n < 100000000) {
      n = n * 10 + (at(0) - '0');
      i_++;
      any = true;
    }
    if (any) pending_line_ = n;
  }

  void include(int line, const std::string& name) {
    if (policy_ == SourcePolicy::module) return;
    const char* who = policy_ == SourcePolicy::registered ? "a registered program" : "a custom program";
    skip_directive_space();
    unsigned char open = at(0);
    if (open != '<' && open != '"') {
      std::string rest;
      for (size_t k = i_; k < v_.size() && v_[k].c != '\n'; k++) rest += static_cast<char>(v_[k].c);
      return fail_at(line, "#" + name + " " + printable_excerpt(rest) + ": " + who +
                               " may not compute what it includes from macros");
    }
    unsigned char close = open == '<' ? '>' : '"';
    std::string path;
    i_++;
    while (!at_end() && at(0) != '\n' && at(0) != close) path += static_cast<char>(v_[i_++].c);
    std::string shown = "#" + name + " " + static_cast<char>(open) + printable_excerpt(path) +
                        static_cast<char>(close);
    if (at_end() || at(0) != close) return fail_at(line, shown + ": unterminated file name");
    i_++;
    // The characters allowed make the name read alike in every reading (no
    // quote, backslash or comment can start inside it), and no component
    // climbs out of the folders searched.
    std::string why;
    if (path.empty()) why = "empty file name";
    else if (path[0] == '/') why = "absolute paths are not allowed";
    for (unsigned char c : path)
      if (why.empty() && (!word_char(c) || c == '$') && c != '.' && c != '/' && c != '-' &&
          c != '+')
        why = "only letters, digits and _ . / - + are allowed in the file name";
    for (size_t start = 0; why.empty() && start <= path.size();) {
      size_t end = path.find('/', start);
      if (end == std::string::npos) end = path.size();
      std::string component = path.substr(start, end - start);
      if (component.empty() || component == "." || component == "..")
        why = "the path must be plain (no empty, . or .. components)";
      start = end + 1;
    }
    if (!why.empty() && open == '<') return fail_at(line, shown + ": " + why);
    if (open == '<') return;
    if (policy_ == SourcePolicy::registered) return fail_at(line, shown + ": " + who + " " + kAngleOnly);
    if (!why.empty()) return fail_at(line, shown + ": " + why);
    if (include_dir_.empty())
      return fail_at(line, shown + ": " + who + " without a program folder " + kAngleOnly);
    std::string file = include_dir_ + "/" + path;
    struct stat st {};
    if (stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
      return fail_at(line, shown + ": no such file in " + include_dir_ + " (a custom program may "
                                   "include \"file\" only from its own folder)");
    std::string untrusted = config::untrusted_reason(file);
    if (!untrusted.empty()) return fail_at(line, shown + ": " + untrusted);
  }

  std::vector<Char> v_;
  SourcePolicy policy_;
  std::string include_dir_;
  size_t i_ = 0;
  int offset_ = 0;         // reported line = physical line + offset_ (#line)
  int pending_line_ = -1;  // a #line seen: the number of the next line
  std::string strings_;    // adjacent string literals, joined
  bool joined_ = false;
  int strings_line_ = 0;
  std::string problem_;
};

}  // namespace

std::string policy_problem(const std::string& source, SourcePolicy policy,
                           const std::string& include_dir) {
  if (policy == SourcePolicy::module) return "";
  // clang reads trigraphs only when asked (-trigraphs, strict -std=): a text
  // must pass both readings
  for (bool trigraphs : {false, true}) {
    std::string problem = Scanner(spliced(source, trigraphs), policy, include_dir).run();
    if (!problem.empty()) return problem;
  }
  return "";
}

}  // namespace bcc::loader
