// Labels is the identity of every series: sorting, lookup, equality and the
// hash must hold for the store's hash tables to be correct.
#include "common/model/labels.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

namespace {

std::vector<mc::Label> as_vector(const mc::Labels& labels) {
  std::vector<mc::Label> pairs;
  for (const mc::LabelView label : labels) {
    pairs.push_back(mc::Label{std::string(label.name), std::string(label.value)});
  }
  return pairs;
}

}  // namespace

TEST_CASE("Labels sorts by name whatever the input order", "[labels]") {
  mc::Labels labels{{"job", "node"}, {"__name__", "up"}, {"instance", "a:1"}};
  REQUIRE(labels.size() == 3);
  const auto pairs = as_vector(labels);
  CHECK(pairs[0].name == "__name__");
  CHECK(pairs[1].name == "instance");
  CHECK(pairs[2].name == "job");
  CHECK(labels == mc::Labels{{"instance", "a:1"}, {"job", "node"}, {"__name__", "up"}});
}

TEST_CASE("Labels::from_sorted builds what the sorting constructor builds", "[labels]") {
  const std::string long_value(100, 'v');  // past the small-string buffer
  const mc::Labels expected{{"job", "node"}, {"__name__", "up"}, {"instance", long_value}};
  const std::vector<mc::LabelView> views{
      {"__name__", "up"}, {"instance", long_value}, {"job", "node"}};
  const mc::Labels built = mc::Labels::from_sorted(views);
  CHECK(built == expected);
  CHECK(built.hash() == expected.hash());
  CHECK(as_vector(built) == as_vector(expected));
  CHECK(mc::Labels::from_sorted({}).empty());
  CHECK(mc::Labels::from_sorted({}).hash() == mc::Labels().hash());
}

TEST_CASE("Labels get and has tell absent from present", "[labels]") {
  mc::Labels labels{{"__name__", "up"}, {"job", "node"}, {"empty", ""}};
  CHECK(labels.get("job") == "node");
  CHECK(labels.has("job"));
  CHECK(labels.get("missing").empty());
  CHECK_FALSE(labels.has("missing"));
  CHECK(labels.has("empty"));
  CHECK(labels.get("empty").empty());
  CHECK(labels.metric_name() == "up");
  CHECK(mc::Labels{{"job", "x"}}.metric_name().empty());
  // Names sorting before, between and after the present ones.
  CHECK_FALSE(labels.has("A"));
  CHECK_FALSE(labels.has("jo"));
  CHECK_FALSE(labels.has("zzz"));
}

TEST_CASE("an empty Labels", "[labels]") {
  mc::Labels empty;
  CHECK(empty.empty());
  CHECK(empty.size() == 0);
  CHECK_FALSE(empty.has("a"));
  CHECK(empty == mc::Labels{});
  CHECK(empty.to_string() == "{}");
}

// Regression: a default-constructed Labels kept hash 0 while one built from no
// pairs held LabelsHasher().finish(), so two empty sets compared unequal.
TEST_CASE("regression: an empty Labels equals one built from no pairs", "[labels]") {
  CHECK(mc::Labels() == mc::Labels(std::vector<mc::Label>{}));
  CHECK(mc::Labels().hash() == mc::Labels(std::vector<mc::Label>{}).hash());
  CHECK(mc::Labels() == mc::LabelsBuilder().labels());
}

TEST_CASE("Labels equality and ordering", "[labels]") {
  mc::Labels a{{"a", "1"}, {"b", "2"}};
  CHECK(a == mc::Labels{{"b", "2"}, {"a", "1"}});
  CHECK_FALSE(a == mc::Labels{{"a", "1"}, {"b", "3"}});
  CHECK_FALSE(a == mc::Labels{{"a", "1"}});
  CHECK_FALSE(a == mc::Labels{{"a", "1"}, {"c", "2"}});
  CHECK(mc::Labels{{"a", "1"}} < mc::Labels{{"a", "2"}});
  CHECK(mc::Labels{{"a", "1"}} < mc::Labels{{"a", "1"}, {"b", "1"}});
}

TEST_CASE("equal label sets hash equal, different ones differently", "[labels]") {
  mc::Labels a{{"job", "node"}, {"instance", "a:1"}};
  mc::Labels b{{"instance", "a:1"}, {"job", "node"}};
  CHECK(a.hash() == b.hash());
  CHECK(mc::LabelsHash{}(a) == mc::LabelsHash{}(b));

  // Pairs that a careless concatenating hash would confuse.
  CHECK(mc::Labels{{"a", "bc"}}.hash() != mc::Labels{{"ab", "c"}}.hash());
  CHECK(mc::Labels{{"a", "b"}, {"c", "d"}}.hash() != mc::Labels{{"a", "bcd"}}.hash());
  CHECK(mc::Labels{{"a", ""}}.hash() != mc::Labels{}.hash());
  CHECK(mc::Labels{{"a", "1"}}.hash() != mc::Labels{{"a", "2"}}.hash());
  CHECK(mc::Labels{{"a", "1"}, {"b", "2"}}.hash() != mc::Labels{{"a", "2"}, {"b", "1"}}.hash());
  // Values longer than one 8-byte word differ only in the tail or in the middle.
  CHECK(mc::Labels{{"path", "/api/v1/query_range"}}.hash() !=
        mc::Labels{{"path", "/api/v1/query_rangf"}}.hash());
  CHECK(mc::Labels{{"path", "/api/v1/query_range"}}.hash() !=
        mc::Labels{{"path", "/api/v2/query_range"}}.hash());
}

TEST_CASE("LabelsHasher matches Labels::hash for the same sorted pairs", "[labels]") {
  mc::Labels labels{{"b", "2"}, {"a", "1"}, {"__name__", "x"}};
  mc::LabelsHasher hasher;
  for (const auto& label : labels) hasher.add(label.name, label.value);
  CHECK(hasher.finish() == labels.hash());
}

TEST_CASE("random label sets do not collide", "[labels]") {
  std::mt19937_64 random(42);
  auto random_text = [&](size_t max_length) {
    std::uniform_int_distribution<size_t> length(1, max_length);
    std::uniform_int_distribution<int> letter('a', 'z');
    std::string text(length(random), ' ');
    for (auto& c : text) c = static_cast<char>(letter(random));
    return text;
  };
  std::unordered_set<uint64_t> hashes;
  std::unordered_set<std::string> distinct_sets;
  constexpr int kSets = 5000;
  for (int i = 0; i < kSets; ++i) {
    std::vector<mc::Label> pairs;
    std::unordered_set<std::string> names;
    std::uniform_int_distribution<int> count(1, 6);
    for (int n = count(random); n > 0; --n) {
      auto name = random_text(6);
      if (!names.insert(name).second) continue;  // names must be unique
      pairs.push_back(mc::Label{name, random_text(24)});
    }
    mc::Labels labels(std::move(pairs));
    if (!distinct_sets.insert(labels.to_string()).second) continue;
    hashes.insert(labels.hash());
  }
  CHECK(distinct_sets.size() > kSets - 10);
  CHECK(hashes.size() == distinct_sets.size());
}

TEST_CASE("to_string puts the metric name first and escapes values", "[labels]") {
  mc::Labels labels{
      {"__name__", "http_requests_total"}, {"path", "C:\\dir \"quoted\"\nnext"}, {"code", "200"}};
  CHECK(labels.to_string() ==
        R"(http_requests_total{code="200", path="C:\\dir \"quoted\"\nnext"})");
  CHECK(mc::Labels{{"job", "x"}}.to_string() == R"({job="x"})");
  CHECK(mc::Labels{{"__name__", "up"}}.to_string() == "up{}");
}

TEST_CASE("heap_bytes counts the one block: hash, counts and encoded pairs", "[labels]") {
  CHECK(mc::Labels{}.heap_bytes() == 0);  // the empty set allocates nothing
  mc::Labels small{{"a", "1"}};           // 4 bytes encoded
  CHECK(small.heap_bytes() == 16 + 4);
  std::string long_value(200, 'x');  // a value length of two varint bytes
  mc::Labels large{{"a", long_value}};
  CHECK(large.heap_bytes() == 16 + 1 + 1 + 2 + 200);
  // The whole set is one pointer, so that a shared_ptr block holding it is small.
  CHECK(sizeof(mc::Labels) == sizeof(void*));
}

TEST_CASE("Labels copy, move and compare whole, the empty set included", "[labels]") {
  const std::string long_value(300, 'v');
  mc::Labels a{{"__name__", "up"}, {"job", long_value}};
  mc::Labels copy = a;
  CHECK(copy == a);
  CHECK(copy.hash() == a.hash());
  CHECK(copy.get("job") == long_value);
  mc::Labels moved = std::move(copy);
  CHECK(moved == a);
  CHECK(moved.size() == 2);
  mc::Labels assigned{{"x", "1"}};
  assigned = a;
  CHECK(assigned == a);
  assigned = mc::Labels{};
  CHECK(assigned.empty());
  CHECK(assigned.size() == 0);
  CHECK(assigned == mc::Labels{});
  CHECK(assigned.hash() == mc::Labels(std::vector<mc::Label>{}).hash());
  CHECK(assigned.begin() == assigned.end());
  CHECK(assigned.get("x").empty());
  CHECK(assigned.to_string() == "{}");
  CHECK_FALSE(assigned == a);
  CHECK(assigned < a);
  // Sets that differ only where one ends: equal hashes are not enough.
  CHECK_FALSE((mc::Labels{{"a", "1"}}) == (mc::Labels{{"a", "1"}, {"b", "2"}}));
}

TEST_CASE("LabelsBuilder sets, replaces and removes", "[labels]") {
  mc::Labels base{{"__name__", "up"}, {"job", "node"}, {"instance", "a:1"}};
  mc::LabelsBuilder builder(base);
  builder.set("job", "api").set("zone", "b").remove("instance");
  CHECK(builder.get("job") == "api");
  CHECK(builder.has("zone"));
  CHECK_FALSE(builder.has("instance"));
  auto labels = builder.labels();
  CHECK(as_vector(labels) ==
        std::vector<mc::Label>{{"__name__", "up"}, {"job", "api"}, {"zone", "b"}});
  CHECK(labels == mc::Labels{{"zone", "b"}, {"job", "api"}, {"__name__", "up"}});
  CHECK(labels.hash() == mc::Labels{{"zone", "b"}, {"job", "api"}, {"__name__", "up"}}.hash());
  // The base is untouched.
  CHECK(base.get("job") == "node");
  CHECK(base.has("instance"));
}

TEST_CASE("LabelsBuilder treats an empty value as removal", "[labels]") {
  mc::LabelsBuilder builder(mc::Labels{{"a", "1"}, {"b", "2"}});
  builder.set("a", "");
  CHECK_FALSE(builder.has("a"));
  builder.set("new", "");
  CHECK_FALSE(builder.has("new"));
  CHECK(builder.labels() == mc::Labels{{"b", "2"}});
  builder.remove("missing");  // removing what is absent is harmless
  CHECK(builder.labels() == mc::Labels{{"b", "2"}});
}

TEST_CASE("LabelsBuilder from nothing", "[labels]") {
  mc::LabelsBuilder builder;
  CHECK(builder.labels().empty());
  builder.set("b", "2").set("a", "1").set("b", "3");
  CHECK(as_vector(builder.labels()) == std::vector<mc::Label>{{"a", "1"}, {"b", "3"}});
}

// The pairs live in one byte string with varint lengths: values of every
// length, empty ones included, come back byte for byte, and label sets order
// as their sorted pair vectors do (what the block writer and /metrics sort by).
TEST_CASE("common label names take two bytes and read back as themselves", "[labels]") {
  const mc::Labels scraped{{"__name__", "up"}, {"instance", "a"}, {"job", "b"}};
  CHECK(scraped.heap_bytes() == 16 + (2 + 1 + 2) + (2 + 1 + 1) + (2 + 1 + 1));
  CHECK(as_vector(scraped) ==
        std::vector<mc::Label>{{"__name__", "up"}, {"instance", "a"}, {"job", "b"}});
  CHECK(scraped.metric_name() == "up");
  CHECK(scraped.get("job") == "b");

  // Names that only start or end like a common one are written in full.
  const mc::Labels near{{"jobs", "1"}, {"inst", "2"}, {"__name", "3"}, {"xle", "4"}};
  CHECK(near.heap_bytes() == 16 + (1 + 4 + 2) + (1 + 4 + 2) + (1 + 6 + 2) + (1 + 3 + 2));
  CHECK(near.get("jobs") == "1");
  CHECK(near.get("job").empty());
  CHECK(mc::Labels{{"job", "a"}} < mc::Labels{{"jobs", "a"}});

  // Every common name at once, the empty name among them, sorted as strings.
  std::vector<mc::Label> pairs{{"", "empty"}};
  for (const std::string_view name : mc::kCommonLabelNames) {
    pairs.push_back(mc::Label{std::string(name), "v" + std::string(name)});
  }
  pairs.push_back(mc::Label{"zone", "z"});
  const mc::Labels all(pairs);
  std::sort(pairs.begin(), pairs.end(),
            [](const mc::Label& a, const mc::Label& b) { return a.name < b.name; });
  CHECK(as_vector(all) == pairs);
  CHECK(all.size() == pairs.size());
  CHECK(all.get("") == "empty");
  std::vector<mc::LabelView> views;
  for (const auto& pair : pairs) views.push_back(mc::LabelView{pair.name, pair.value});
  CHECK(mc::Labels::from_sorted(views) == all);
  CHECK(mc::Labels::from_sorted(views).hash() == all.hash());
}

TEST_CASE("Labels keeps any name and value bytes and orders as its pair vector", "[labels]") {
  std::mt19937_64 random(7);
  auto random_text = [&](size_t max_size) {
    std::string text(random() % (max_size + 1), '\0');
    for (auto& c : text) c = static_cast<char>(random() % 256);
    return text;
  };
  std::vector<std::vector<mc::Label>> sets;
  for (int i = 0; i < 300; ++i) {
    std::vector<mc::Label> pairs;
    const int count = static_cast<int>(random() % 6);
    for (int j = 0; j < count; ++j) {
      // Names are unique per set; sizes cross the one- and two-byte varint limits.
      std::string name = std::to_string(j) + random_text(i % 3 == 0 ? 300 : 4);
      std::string value = random_text(i % 5 == 0 ? 20'000 : 140);
      pairs.push_back(mc::Label{std::move(name), std::move(value)});
    }
    sets.push_back(pairs);
  }
  sets.push_back({});
  for (size_t i = 0; i < sets.size(); ++i) {
    auto sorted = sets[i];
    std::sort(sorted.begin(), sorted.end(),
              [](const mc::Label& a, const mc::Label& b) { return a.name < b.name; });
    const mc::Labels labels(sets[i]);
    REQUIRE(as_vector(labels) == sorted);
    REQUIRE(labels.size() == sorted.size());
    for (const auto& pair : sorted) REQUIRE(labels.get(pair.name) == pair.value);
    const auto& other_pairs = sets[(i * 7 + 3) % sets.size()];
    auto other_sorted = other_pairs;
    std::sort(other_sorted.begin(), other_sorted.end(),
              [](const mc::Label& a, const mc::Label& b) { return a.name < b.name; });
    REQUIRE((labels <=> mc::Labels(other_pairs)) == (sorted <=> other_sorted));
  }
}

TEST_CASE("Labels copies share one block of pairs and free it with the last copy", "[labels]") {
  std::optional<mc::Labels> original(mc::Labels{{"__name__", "up"}, {"job", "node"}});
  CHECK(original->use_count() == 1);
  mc::Labels copy = *original;
  CHECK(copy.identity() == original->identity());
  CHECK(copy.use_count() == 2);
  mc::Labels assigned;
  assigned = copy;
  CHECK(assigned.use_count() == 3);
  mc::Labels moved = std::move(assigned);
  CHECK(moved.use_count() == 3);
  CHECK(assigned.empty());  // NOLINT(bugprone-use-after-move): a moved-from set is empty
  original.reset();
  CHECK(copy.use_count() == 2);
  // The pairs outlive the Labels they were built in.
  CHECK(copy.get("job") == "node");
  CHECK(moved == mc::Labels{{"job", "node"}, {"__name__", "up"}});
  copy = mc::Labels{};
  CHECK(moved.use_count() == 1);
  CHECK(moved.metric_name() == "up");
}

TEST_CASE("Labels built apart have their own identity even when equal", "[labels]") {
  const mc::Labels a{{"__name__", "up"}};
  const mc::Labels b{{"__name__", "up"}};
  CHECK(a == b);
  CHECK(a.identity() != b.identity());
  CHECK(mc::Labels{}.identity() == nullptr);
  CHECK(mc::Labels{}.use_count() == 0);
}

TEST_CASE("Labels size counts the pairs, long names and values included", "[labels]") {
  const std::string long_value(300, 'v');  // a two-byte varint length
  const mc::Labels labels{{"__name__", "m"}, {"a", long_value}, {"b", ""}};
  CHECK(labels.size() == 3);
  CHECK(labels.get("a") == long_value);
  CHECK(mc::Labels{}.size() == 0);
}

TEST_CASE("Labels copies made and dropped on several threads at once keep the count", "[labels]") {
  const mc::Labels labels{{"__name__", "up"}, {"job", "node"}};
  constexpr int kThreads = 4;
  constexpr int kCopies = 20000;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&labels] {
      std::vector<mc::Labels> held;
      held.reserve(64);
      for (int n = 0; n < kCopies; ++n) {
        held.push_back(labels);
        if (held.size() == 64) held.clear();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(labels.use_count() == 1);
  CHECK(labels.get("job") == "node");
}
