#!/usr/bin/env python3
"""Which sources of a unity-built target must compile on their own.

A unity build compiles a target's sources in batches of N as one file, so two
files of a batch that each define a helper of one name at namespace scope (an
anonymous namespace's `kInf`, a `Fixture` struct, an `evaluate` function)
meet: a redefinition error, or, for two functions of one name and different
parameters, a silent overload. Which files share a batch depends on every
file before them, so a new file anywhere shifts the batches and a hand-kept
list of exceptions breaks (CI failed twice on that).

This script reads each source, lists the names it defines at namespace scope
(types, functions with bodies, variables, aliases), and walks the sources in
the target's order as CMake batches them: a file that defines a name an
earlier file of its batch defines is left out of the batches (it compiles on
its own and takes no place in a batch, as SKIP_UNITY_BUILD_INCLUSION does).
It prints the files to leave out, one per line.

The reading is a tokenizer, not a compiler: comments, strings and
preprocessor lines are dropped, braces tracked, each namespace-scope
statement classified. It errs towards finding a clash where there is none
(which only costs a batch place), never the reverse for the forms our code
uses; a form it does not know still fails the unity build loudly.

usage: unity_clashes.py --batch N [--skipped FILE]... -- SOURCE...
       unity_clashes.py --self-test
"""
import re
import sys

_TOKEN = re.compile(r"[A-Za-z_]\w*|\d[\w.']*|::|->|\S")
_MACRO = re.compile(r"^[A-Z][A-Z0-9_]+$")
_TYPE_KEYWORDS = {"struct", "class", "union", "enum"}
_SPECIFIERS = {"static", "inline", "constexpr", "consteval", "constinit", "const", "volatile",
               "thread_local", "extern", "mutable", "typename", "unsigned", "signed"}


def _strip(text):
    """The text without comments, string and character literals, and preprocessor lines."""
    out = []
    i, n = 0, len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if at_line_start and c == "#":
            # A preprocessor line, with its continuations.
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    i += 1
                i += 1
            continue
        if c == "\n":
            at_line_start = True
            out.append(c)
            i += 1
            continue
        if c in " \t\r":
            out.append(c)
            i += 1
            continue
        at_line_start = False
        if text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            out.append(" ")
            continue
        raw = re.match(r'(?:u8|u|U|L)?R"([^(\s]*)\(', text[i:i + 40])
        if raw:
            end = text.find(")" + raw.group(1) + '"', i + raw.end())
            i = n if end < 0 else end + len(raw.group(1)) + 2
            out.append(" 0 ")
            continue
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            # A digit separator (1'000) is not a character literal.
            if c == "'" and i > 0 and text[i - 1].isalnum():
                out.append(" ")
                i += 1
                continue
            i = j + 1
            out.append(" 0 ")
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _skip_balanced(tokens, i, opening, closing):
    """Index after the group that opens at tokens[i]."""
    depth = 0
    while i < len(tokens):
        if tokens[i] == opening:
            depth += 1
        elif tokens[i] == closing:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def _top_level_index(tokens, wanted):
    """First index of a token in `wanted` outside (), [], <> and {}."""
    depth = 0
    for i, token in enumerate(tokens):
        if depth == 0 and token in wanted:
            return i
        if token in "([{":
            depth += 1
        elif token in ")]}":
            depth -= 1
        elif token == "<" and i > 0 and re.match(r"\w", tokens[i - 1]) and tokens[i - 1] != "operator":
            depth += 1
        elif token == ">" and depth > 0:
            depth -= 1
    return -1


def _is_function(tokens):
    """Whether a statement that a brace follows is a function's head."""
    paren = _top_level_index(tokens, {"("})
    if paren < 0:
        return False
    if "operator" in tokens[:paren]:
        return True
    equals = _top_level_index(tokens, {"="})
    return equals < 0 or paren < equals


def _declared(tokens, has_body):
    """(kind, name, detail) of a namespace-scope statement, or None."""
    while tokens and tokens[0] == "template":
        tokens = tokens[_skip_balanced(tokens, 1, "<", ">"):]
    while len(tokens) >= 2 and tokens[0] == "[" and tokens[1] == "[":
        tokens = tokens[_skip_balanced(tokens, 0, "[", "]"):]
    if not tokens or tokens[0] in ("static_assert", "friend", ";"):
        return None
    if tokens[0] in ("using", "namespace"):
        if len(tokens) >= 3 and tokens[2] == "=":
            return ("alias", tokens[1], " ".join(tokens[3:]))
        return None
    if _MACRO.match(tokens[0]) and len(tokens) > 1 and tokens[1] == "(":
        return None  # TEST_CASE(...), SCENARIO(...): names of their own
    head_end = _top_level_index(tokens, {"(", "="})
    head = tokens if head_end < 0 else tokens[:head_end]
    for i, token in enumerate(head):
        if token in _TYPE_KEYWORDS:
            j = i + 1
            while j < len(head) and head[j] in ("class", "struct", "alignas", "final"):
                j += 1
            if j < len(head) and re.match(r"[A-Za-z_]\w*$", head[j]) and has_body:
                return ("type", head[j], "")
            return None
    if tokens[0] == "extern":
        return None
    paren = _top_level_index(tokens, {"("})
    if "operator" in (tokens if paren < 0 else tokens[:paren]):
        return None  # operators overload by design
    equals = _top_level_index(tokens, {"="})
    if paren >= 0 and (equals < 0 or paren < equals):
        if not has_body:
            return None  # a declaration: it may be repeated
        name_at = paren - 1
        if name_at >= 1 and tokens[name_at - 1] == "operator":
            return None
        if name_at >= 0 and tokens[name_at] in ("operator",) or name_at < 0:
            return None
        if name_at >= 1 and tokens[name_at - 1] == "::":
            return None  # a member defined out of its class
        name = tokens[name_at]
        if not re.match(r"[A-Za-z_]\w*$", name):
            return None
        return ("function", name, " ".join(tokens[paren:]))
    end = len(tokens)
    for stop in ("=", "{", "["):
        at = _top_level_index(tokens, {stop})
        if 0 <= at < end:
            end = at
    if end >= 1 and re.match(r"[A-Za-z_]\w*$", tokens[end - 1]) and tokens[end - 1] not in _SPECIFIERS:
        if end >= 2 and tokens[end - 2] == "::":
            return None  # a static member defined out of its class
        if end == 1:
            return None
        return ("variable", tokens[end - 1], "")
    return None


def definitions(text):
    """{(namespace path, name): (kind, detail)} of what a source defines at namespace scope.

    Anonymous namespaces are left out of the path: in a unity batch all of a
    namespace's anonymous namespaces are one.
    """
    tokens = _TOKEN.findall(_strip(text))
    found = {}
    scopes = []  # names of the enclosing namespaces ("" for anonymous)
    statement = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "{":
            if statement and statement[0] == "namespace":
                names = [t for t in statement[1:] if t not in ("::", "inline")]
                scopes.append("::".join(names))
                statement = []
                i += 1
                continue
            if statement[:1] == ["extern"] and len(statement) <= 2:
                scopes.append("")
                statement = []
                i += 1
                continue
            declared = _declared(statement, has_body=True)
            if declared:
                path = "::".join(s for s in scopes if s)
                found.setdefault((path, declared[1]), (declared[0], declared[2]))
            i = _skip_balanced(tokens, i, "{", "}")
            # A function's body (a TEST_CASE's too) ends its statement; what
            # follows a type or a brace-initialised variable (`;`, a
            # declarator) belongs to it.
            if _is_function(statement):
                statement = []
            else:
                statement = statement + ["{", "}"]
            continue
        if token == "}":
            if scopes:
                scopes.pop()
            statement = []
            i += 1
            continue
        if token == ";":
            if statement and "{" not in statement:
                declared = _declared(statement, has_body=False)
                if declared:
                    path = "::".join(s for s in scopes if s)
                    found.setdefault((path, declared[1]), (declared[0], declared[2]))
            statement = []
            i += 1
            continue
        statement.append(token)
        i += 1
    return found


def clashes(first, second):
    """Names two sources' definitions share and cannot share in one file."""
    shared = []
    for key in first.keys() & second.keys():
        kind_a, detail_a = first[key]
        kind_b, detail_b = second[key]
        if kind_a == kind_b == "alias" and detail_a == detail_b:
            continue  # the same alias twice is allowed
        shared.append("::".join(part for part in key if part))
    return sorted(shared)


def files_to_skip(sources, batch_size, read=lambda path: open(path, encoding="utf-8").read()):
    """(file, clashing names, earlier file) for each source to leave out, in order."""
    skipped = []
    batch = []  # (path, definitions)
    for path in sources:
        defined = definitions(read(path))
        clash = next(((other, clashes(defined, theirs)) for other, theirs in batch
                      if clashes(defined, theirs)), None)
        if clash:
            skipped.append((path, clash[1], clash[0]))
            continue
        batch.append((path, defined))
        if len(batch) == batch_size:
            batch = []
    return skipped


def _self_test():
    sources = {
        "a.cpp": """#include <x>
namespace mc {
namespace {
constexpr double kInf = 1.0 / 0.0;  // "}" in a comment
const char* kText = "namespace { }";
namespace fs = std::filesystem;
bool operator==(const Fixture& a, const Fixture& b) { return a.x == b.x; }
struct Fixture { int x{1}; };
int helper(int x) { return x; }
using Clock = std::chrono::steady_clock;
}  // namespace
TEST_CASE("a") { REQUIRE(helper(1) == 1); }
}  // namespace mc
""",
        "b.cpp": """namespace mc {
namespace {
std::vector<std::pair<int, int>> kInf{{1, 2}};
}
}
""",
        "c.cpp": """extern "C" { int c_function(int); }
namespace mc { namespace { namespace fs = std::filesystem; } }
namespace mc::other {
namespace { int helper(int x) { return x; } }
}
namespace mc { using Clock = std::chrono::steady_clock; int declared(int); }
""",
        "d.cpp": """namespace mc { namespace { void helper(double) {} struct Fixture; } }
""",
        "e.cpp": """namespace mc { namespace { struct Fixture { }; } }
""",
        "f.cpp": """namespace mc { namespace { template <typename T> T helper(T t) { return t; } } }
""",
    }
    read = sources.__getitem__
    got = {path: (names, other) for path, names, other in
           files_to_skip(list(sources), 8, read)}
    expected = {"b.cpp": (["mc::kInf"], "a.cpp"),
                "d.cpp": (["mc::helper"], "a.cpp"),
                "e.cpp": (["mc::Fixture"], "a.cpp"),
                "f.cpp": (["mc::helper"], "a.cpp")}
    if got != expected:
        print(f"self-test failed:\n got      {got}\n expected {expected}")
        return 1
    # Batches of 2: a.cpp and c.cpp share none (another namespace, the same
    # alias) and fill the first batch, so e.cpp meets no one.
    got = [path for path, _, _ in files_to_skip(["a.cpp", "c.cpp", "e.cpp"], 2, read)]
    if got:
        print(f"self-test (batches of 2) failed: got {got}, expected none")
        return 1
    print("self-test passed")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return _self_test()
    batch, skipped, sources = 8, set(), []
    args = iter(argv[1:])
    for arg in args:
        if arg == "--batch":
            batch = int(next(args))
        elif arg == "--skipped":
            skipped.add(next(args))
        elif arg == "--verbose":
            pass
        elif arg == "--":
            sources = [s for s in args if s not in skipped]
    verbose = "--verbose" in argv
    for path, names, other in files_to_skip(sources, batch):
        print(path)
        if verbose:
            print(f"  {path}: {', '.join(names)} also in {other}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
