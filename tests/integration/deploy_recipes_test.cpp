// Every deploy recipe starts: the systemd unit, the container image and the
// Kubernetes sidecar, each started the way the recipe starts the daemon.
//
// There is no systemd, Docker or Kubernetes on the test machine. Instead each
// recipe file is read (so a recipe that drifts fails here) for what decides
// whether the daemon can start: the program and its flags, the user, the
// working directory, the config file it installs, the directories it makes
// writable and whether the root is read-only. deploy_sandbox.sh (beside this
// file) then runs the built binary that way: in a mount namespace, chrooted
// into a fresh root tree holding what the recipe installs, as the recipe's
// uid, read-only where the recipe says so. The test checks that /-/ready
// answers and that the store was created where the recipe says it is.
//
// Two things differ from the real thing, both because tests bind 127.0.0.1
// only: --web.listen-address=127.0.0.1:<free port> is appended to the flags;
// and the root tree holds the host's /usr/lib, not the image's.
//
// Needs root (unshare, mount, chroot, setpriv); skipped with a message
// otherwise.
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "tests/support/child_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc::test {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = MC_SOURCE_DIR;
const fs::path kSandbox = kSourceDir / "tests/integration/deploy_sandbox.sh";

// The uid systemd picks for a DynamicUser lies in 61184-65519.
constexpr uid_t kDynamicUserId = 61234;

// A directory the recipe makes writable, as its platform creates it.
struct WritableDir {
  std::string path;  // inside the root
  uid_t owner = 0;
  gid_t group = 0;
  mode_t mode = 0755;
};

// How a recipe starts the daemon.
struct RecipeStart {
  std::string recipe;             // the file, for messages
  std::vector<std::string> argv;  // program (path inside the root) and its flags
  uid_t uid = 0;
  gid_t gid = 0;
  std::string workdir = "/";
  bool read_only_root = false;
  std::string config_path;  // where the config lies inside the root
  std::string config_text;
  std::string binary_path;  // where the binary lies inside the root
  std::vector<WritableDir> writable;
};

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// Lines with their `\` continuations joined.
std::vector<std::string> joined_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line, pending;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\\') {
      pending += line.substr(0, line.size() - 1) + " ";
      continue;
    }
    lines.push_back(pending + line);
    pending.clear();
  }
  return lines;
}

// The value of `--name=value` among a recipe's flags; empty when absent.
std::string flag_value(const std::vector<std::string>& argv, const std::string& name) {
  std::string prefix = "--" + name + "=";
  std::string value;
  for (const auto& arg : argv) {
    if (arg.starts_with(prefix)) value = arg.substr(prefix.size());
  }
  return value;
}

// The `install ... examples/X.yml DEST` line of the unit's install comment.
std::string installed_config_path(const std::string& unit_text) {
  std::smatch match;
  std::regex line(R"(install\s.*examples/quickstart\.yml\s+(\S+))");
  REQUIRE(std::regex_search(unit_text, match, line));
  return match[1];
}

RecipeStart systemd_start() {
  RecipeStart start;
  start.recipe = "deploy/systemd/metrics-collector.service";
  std::string text = read_text(kSourceDir / start.recipe);
  std::map<std::string, std::string> service;
  bool in_service = false;
  for (const auto& line : joined_lines(text)) {
    if (line.starts_with("[")) in_service = line == "[Service]";
    auto eq = line.find('=');
    if (in_service && !line.starts_with("#") && eq != std::string::npos) {
      service[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  REQUIRE(service.contains("ExecStart"));
  start.argv = split_words(service["ExecStart"]);
  start.binary_path = start.argv.at(0);
  // DynamicUser: a fresh uid, owner of the StateDirectory and nothing else.
  REQUIRE(service["DynamicUser"] == "yes");
  start.uid = kDynamicUserId;
  start.gid = kDynamicUserId;
  if (service.contains("WorkingDirectory")) start.workdir = service["WorkingDirectory"];
  // ProtectSystem=strict: all of the file system read-only but the state,
  // cache, logs and runtime directories the unit names.
  start.read_only_root = service["ProtectSystem"] == "strict";
  for (const auto& name : split_words(service["StateDirectory"])) {
    start.writable.push_back({"/var/lib/" + name, start.uid, start.gid, 0755});
  }
  start.config_path = installed_config_path(text);
  start.config_text = read_text(kSourceDir / "examples/quickstart.yml");
  return start;
}

// A JSON array of strings, as in ENTRYPOINT ["a", "b"]; YAML reads JSON.
std::vector<std::string> exec_form(const std::string& text) {
  return YAML::Load(text).as<std::vector<std::string>>();
}

struct DockerImage {
  std::vector<std::string> entrypoint, cmd;
  std::string user, workdir = "/", volume, config_path, binary_path;
  std::map<std::string, WritableDir> made_dirs;  // `install -d -o U -g G -m M DIR` in a RUN
};

DockerImage read_dockerfile() {
  DockerImage image;
  std::string text = read_text(kSourceDir / "deploy/Dockerfile");
  bool final_stage = false;
  for (const auto& line : joined_lines(text)) {
    auto words = split_words(line);
    if (words.empty() || words[0].starts_with("#")) continue;
    std::string rest = line.substr(line.find(words[0]) + words[0].size());
    if (words[0] == "FROM") final_stage = line.find(" AS ") == std::string::npos;
    if (!final_stage) continue;
    if (words[0] == "ENTRYPOINT") image.entrypoint = exec_form(rest);
    if (words[0] == "CMD") image.cmd = exec_form(rest);
    if (words[0] == "USER") image.user = words.at(1);
    if (words[0] == "WORKDIR") image.workdir = words.at(1);
    if (words[0] == "VOLUME") image.volume = words.at(1);
    if (words[0] == "COPY" && words.size() == 3 && words[1] == "examples/quickstart.yml") {
      image.config_path = words[2];
    }
    if (words[0] == "COPY" && words.size() >= 4 && words[1] == "--from=build" &&
        words[2].ends_with("/build/metrics-collector")) {
      image.binary_path = words[3];
    }
    std::smatch match;
    std::regex made_dir(R"(install -d -o (\d+) -g (\d+) -m ([0-7]+) (\S+))");
    if (std::regex_search(line, match, made_dir)) {
      image.made_dirs[match[4]] = {match[4], static_cast<uid_t>(std::stoul(match[1])),
                                   static_cast<gid_t>(std::stoul(match[2])),
                                   static_cast<mode_t>(std::stoul(match[3], nullptr, 8))};
    }
  }
  REQUIRE_FALSE(image.entrypoint.empty());
  REQUIRE_FALSE(image.user.empty());
  REQUIRE_FALSE(image.binary_path.empty());
  return image;
}

// USER 65532 or USER 65532:65532.
std::pair<uid_t, gid_t> numeric_user(const std::string& user) {
  auto colon = user.find(':');
  uid_t uid = static_cast<uid_t>(std::stoul(user.substr(0, colon)));
  gid_t gid =
      colon == std::string::npos ? uid : static_cast<gid_t>(std::stoul(user.substr(colon + 1)));
  return {uid, gid};
}

RecipeStart docker_start() {
  RecipeStart start;
  start.recipe = "deploy/Dockerfile";
  DockerImage image = read_dockerfile();
  start.argv = image.entrypoint;
  start.argv.insert(start.argv.end(), image.cmd.begin(), image.cmd.end());
  start.binary_path = image.binary_path;
  std::tie(start.uid, start.gid) = numeric_user(image.user);
  start.workdir = image.workdir;
  // A container's root is writable, but by root only: --root=rw.
  start.read_only_root = false;
  if (!image.volume.empty()) {
    // Docker fills a new volume from the image's directory, owner and mode
    // included; a directory the image never made is root's.
    auto made = image.made_dirs.find(image.volume);
    start.writable.push_back(made != image.made_dirs.end() ? made->second
                                                           : WritableDir{image.volume});
  }
  start.config_path = image.config_path;
  start.config_text = read_text(kSourceDir / "examples/quickstart.yml");
  return start;
}

RecipeStart kubernetes_start() {
  RecipeStart start;
  start.recipe = "deploy/kubernetes/sidecar.yaml";
  DockerImage image = read_dockerfile();
  auto documents = YAML::LoadAllFromFile((kSourceDir / start.recipe).string());
  std::map<std::string, YAML::Node> config_maps;
  YAML::Node pod;
  for (const auto& document : documents) {
    if (document["kind"].as<std::string>() == "ConfigMap") {
      config_maps[document["metadata"]["name"].as<std::string>()] = document;
    }
    if (document["kind"].as<std::string>() == "Deployment")
      pod = document["spec"]["template"]["spec"];
  }
  REQUIRE(pod);
  YAML::Node container;
  for (size_t i = 0; i < pod["containers"].size(); ++i) {
    YAML::Node candidate = pod["containers"][i];
    if (candidate["name"].as<std::string>() == "metrics-collector") container = candidate;
  }
  REQUIRE(container);
  // command replaces the image's ENTRYPOINT, args its CMD.
  start.argv =
      container["command"] ? container["command"].as<std::vector<std::string>>() : image.entrypoint;
  auto args = container["args"] ? container["args"].as<std::vector<std::string>>() : image.cmd;
  start.argv.insert(start.argv.end(), args.begin(), args.end());
  start.binary_path = image.binary_path;
  std::tie(start.uid, start.gid) = numeric_user(image.user);
  auto security = container["securityContext"];
  if (security["runAsUser"]) start.uid = security["runAsUser"].as<uid_t>();
  if (security["runAsGroup"]) start.gid = security["runAsGroup"].as<gid_t>();
  if (security["runAsNonRoot"] && security["runAsNonRoot"].as<bool>()) REQUIRE(start.uid != 0);
  start.read_only_root =
      security["readOnlyRootFilesystem"] && security["readOnlyRootFilesystem"].as<bool>();
  start.workdir =
      container["workingDir"] ? container["workingDir"].as<std::string>() : image.workdir;

  std::map<std::string, YAML::Node> volumes;
  for (size_t i = 0; i < pod["volumes"].size(); ++i) {
    YAML::Node volume = pod["volumes"][i];
    volumes[volume["name"].as<std::string>()] = volume;
  }
  std::string config_file = flag_value(start.argv, "config.file");
  for (size_t i = 0; i < container["volumeMounts"].size(); ++i) {
    YAML::Node mount = container["volumeMounts"][i];
    std::string path = mount["mountPath"].as<std::string>();
    YAML::Node volume = volumes.at(mount["name"].as<std::string>());
    if (volume["emptyDir"]) {
      // The kubelet makes an emptyDir root's, mode 0777.
      start.writable.push_back({path, 0, 0, 0777});
    }
    if (volume["configMap"]) {
      auto data = config_maps.at(volume["configMap"]["name"].as<std::string>())["data"];
      for (const auto& entry : data) {
        std::string file = path + "/" + entry.first.as<std::string>();
        if (file == config_file) {
          start.config_path = file;
          start.config_text = entry.second.as<std::string>();
        }
      }
    }
  }
  return start;
}

// The host directory behind `path` inside the root, when `path` lies in one
// of the recipe's writable directories.
std::optional<fs::path> host_path(const RecipeStart& start, const fs::path& state_root,
                                  const std::string& path) {
  for (size_t i = 0; i < start.writable.size(); ++i) {
    fs::path dir = start.writable[i].path;
    auto relative = fs::path(path).lexically_relative(dir);
    if (!relative.empty() && !relative.string().starts_with("..")) {
      return state_root / std::to_string(i) / relative;
    }
  }
  return std::nullopt;
}

// The store directory the recipe names, inside the root: --storage.path,
// relative to the working directory as the daemon takes it, default `data`.
std::string store_path(const RecipeStart& start) {
  std::string path = flag_value(start.argv, "storage.path");
  if (path.empty()) path = "data";
  return (fs::path(start.workdir) / path).lexically_normal().string();
}

// Starts the daemon as `start` says and checks it serves and stores where
// the recipe says.
void check_recipe_starts(const RecipeStart& start) {
  INFO("recipe: " << start.recipe);
  REQUIRE_FALSE(start.config_path.empty());
  TempDir dir;
  fs::path tree = dir.path() / "root";
  fs::path state_root = dir.path() / "state";
  fs::create_directories(tree);
  auto config = dir.write_file("config.yml", start.config_text);
  uint16_t port = free_port();

  std::vector<std::string> argv = {"bash",
                                   kSandbox.string(),
                                   "--tree",
                                   tree.string(),
                                   start.read_only_root ? "--root=ro" : "--root=rw",
                                   "--uid",
                                   std::to_string(start.uid),
                                   "--gid",
                                   std::to_string(start.gid),
                                   "--workdir",
                                   start.workdir,
                                   "--install",
                                   std::string(MC_DAEMON_BINARY) + "=" + start.binary_path,
                                   "--install",
                                   config.string() + "=" + start.config_path};
  for (size_t i = 0; i < start.writable.size(); ++i) {
    const auto& writable = start.writable[i];
    fs::path host = state_root / std::to_string(i);
    fs::create_directories(host);
    REQUIRE(::chown(host.c_str(), writable.owner, writable.group) == 0);
    REQUIRE(::chmod(host.c_str(), writable.mode) == 0);
    argv.insert(argv.end(), {"--mount", host.string() + "=" + writable.path});
  }
  argv.push_back("--");
  argv.insert(argv.end(), start.argv.begin(), start.argv.end());
  argv.push_back(fmt::format("--web.listen-address=127.0.0.1:{}", port));

  ChildProcess daemon(argv, dir.path() / "daemon.log");
  std::string ready_url = fmt::format("http://127.0.0.1:{}/-/ready", port);
  bool ready =
      wait_until([&] { return !daemon.running() || http_request(ready_url).status == 200; },
                 std::chrono::seconds(20));
  INFO("flags: " << fmt::format("{}", fmt::join(start.argv, " ")));
  INFO("daemon log:\n" << daemon.output());
  CHECK(ready);
  REQUIRE(daemon.running());

  // The store is where the recipe says, on a directory the recipe keeps.
  std::string store = store_path(start);
  INFO("store path in the recipe: " << store);
  auto store_on_host = host_path(start, state_root, store);
  REQUIRE(store_on_host);
  CHECK(fs::is_directory(*store_on_host / "wal"));
  CHECK(daemon.stop() == 0);
}

bool running_as_root() {
  if (::geteuid() == 0) return true;
  WARN("skipped: starting the deploy recipes needs root (unshare, mount, chroot, setpriv)");
  return false;
}

TEST_CASE("the systemd unit starts as its unit file says", "[deploy]") {
  if (!running_as_root()) return;
  check_recipe_starts(systemd_start());
}

TEST_CASE("the container image starts as its Dockerfile says", "[deploy]") {
  if (!running_as_root()) return;
  check_recipe_starts(docker_start());
}

TEST_CASE("the Kubernetes sidecar starts as its manifest says", "[deploy]") {
  if (!running_as_root()) return;
  check_recipe_starts(kubernetes_start());
}

// The daemon runs unconfined here: what is tested is the reload command.
TEST_CASE("the systemd unit's ExecReload re-reads the config", "[deploy]") {
  RecipeStart start = systemd_start();
  std::string text = read_text(kSourceDir / start.recipe);
  std::smatch match;
  REQUIRE(std::regex_search(text, match, std::regex(R"(\nExecReload=(.*)\n)")));
  std::string reload = match[1];
  REQUIRE(reload.find("$MAINPID") != std::string::npos);
  TempDir dir;
  auto config = dir.write_file("config.yml", "scrape_configs: []\n");
  ChildProcess daemon({MC_DAEMON_BINARY, "--config.file=" + config.string(),
                       fmt::format("--web.listen-address=127.0.0.1:{}", free_port()),
                       "--storage.path=" + (dir.path() / "data").string()},
                      dir.path() / "daemon.log");
  REQUIRE(wait_until([&] { return daemon.output().find("server is ready") != std::string::npos; },
                     std::chrono::seconds(20)));
  reload.replace(reload.find("$MAINPID"), 8, std::to_string(daemon.pid()));
  auto result = run_program({"sh", "-c", reload});
  CHECK(result.exit_status == 0);
  // The start logs "loaded config"; only a reload logs this.
  bool reloaded = wait_until(
      [&] {
        return daemon.output().find("completed loading of configuration file") != std::string::npos;
      },
      std::chrono::seconds(10));
  INFO(daemon.output());
  CHECK(reloaded);
  CHECK(daemon.stop() == 0);
}

}  // namespace
}  // namespace mc::test
