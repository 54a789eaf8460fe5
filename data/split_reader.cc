#include "data/split_reader.h"

#include <algorithm>
#include <filesystem>
#include <any>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_set>

#include <tbb/task_group.h>

#include "images/image_header.h"
#include "core/jsonl.h"
#include "core/regular_file.h"
#include "core/sha256.h"
#include "core/error.h"
#include "core/excerpt.h"
#include "core/record_fields.h"
#include "tasks/task.h"

namespace imaxbench {

namespace fs = std::filesystem;

ImagePathResolver::ImagePathResolver(const std::string& split_dir, bool allow_external)
    : dir_(split_dir), allow_external_(allow_external) {
  dir_prefix_ = fs::path(dir_).lexically_normal().string();
  if (dir_prefix_ == ".") dir_prefix_.clear();
  if (!dir_prefix_.empty() && dir_prefix_.back() != '/') dir_prefix_ += '/';
  if (allow_external_) return;
  // The folder as the kernel sees it: "" (a split named in the current folder), ".", a relative
  // or absolute path and a symlinked folder all become one absolute path without links.
  std::error_code ec;
  root_ = fs::canonical(split_dir.empty() ? fs::path(".") : fs::path(split_dir), ec);
  if (ec) root_.clear();
  root_prefix_ = root_.string();
  if (root_prefix_.empty() || root_prefix_.back() != '/') root_prefix_ += '/';
}

std::optional<std::string> ImagePathResolver::real_folder(const std::string& folder) const {
  {
    std::lock_guard lock(mu_);
    auto it = real_folders_.find(folder);
    if (it != real_folders_.end()) return it->second;
  }
  // Resolved outside the lock (a thread that races us resolves it too, to the same path).
  std::error_code ec;
  const std::string real = fs::weakly_canonical(folder, ec).string();
  std::lock_guard lock(mu_);
  return real_folders_.emplace(folder, ec ? std::optional<std::string>() : std::optional(real)).first->second;
}

bool ImagePathResolver::inside_root(const std::string& image) const {
  // weakly_canonical(root_ / image), with the folder part resolved once per folder: a split names
  // thousands of images in a handful of folders, and resolving each path anew costs a readlink per
  // component. Only the file name is looked at per record: a link there, or a name that is not a
  // plain one, takes the whole path the slow way. Both sides canonical: inside when the real
  // location is root_ or starts with root_ and a '/'.
  if (root_.empty()) return false;
  const std::string full = root_prefix_ + image;
  const std::size_t slash = full.rfind('/');
  const std::string_view name = std::string_view(full).substr(slash + 1);
  std::error_code ec;
  std::optional<std::string> real;  // of the file, or of its folder (the name is a plain one)
  if (name.empty() || name == "." || name == ".." || fs::is_symlink(full, ec)) {
    ec.clear();
    std::string whole = fs::weakly_canonical(full, ec).string();
    if (!ec) real = std::move(whole);
  } else {
    real = real_folder(full.substr(0, slash));
  }
  return real && (*real + '/').compare(0, root_prefix_.size(), root_prefix_) == 0;
}

namespace {

// A relative path whose components are all real names: no leading '/', no "", "." or "..".
bool is_plain_relative(std::string_view p) {
  if (p.empty() || p.front() == '/') return false;
  for (std::size_t start = 0;;) {
    const std::size_t end = std::min(p.find('/', start), p.size());
    const std::string_view part = p.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    if (end == p.size()) return true;
    start = end + 1;
  }
}

}  // namespace

std::string ImagePathResolver::resolve(const std::string& image, std::string& problem) const {
  if (image.find('\0') != std::string::npos) {
    problem = "field 'image' contains a NUL byte";
    return {};
  }
  const bool plain = is_plain_relative(image);
  if (!plain && fs::path(image).is_absolute()) {
    if (allow_external_) return fs::path(image).lexically_normal().string();
    problem = "field 'image' is an absolute path; write it relative to the split's folder "
              "(or pass --allow-external-images)";
    return {};
  }
  // Compare real locations so neither "../" nor a symlink can leave the split's folder.
  if (!allow_external_ && !inside_root(image)) {
    problem = "field 'image' ('" + excerpt(image) + "') points outside the split's folder; keep "
              "images inside it (or pass --allow-external-images)";
    return {};
  }
  // A plain path needs no normalising: the folder's normal form and the name as written.
  return plain ? dir_prefix_ + image : (fs::path(dir_) / image).lexically_normal().string();
}

namespace {

// Records are parsed on any thread (`prepare`: everything a record says on its own, image path and
// header included) and taken in file order (`take`: ids unique across the split), so every message
// is the one a record-by-record reading gives.
class SplitParser {
 public:
  SplitParser(const std::string& path, const std::string& task, const SplitOptions& options,
              const SampleVisitor& visit)
      : path_(path), task_(task), options_(options), visit_(visit),
        images_(fs::path(path).parent_path().string(), options.allow_external_images) {}

  // What `prepare` made of a line: its id (when the record has a valid one) and the sample or the
  // first thing wrong with it after the id.
  struct Parsed {
    std::optional<std::string> id;
    std::optional<Sample> sample;
    std::optional<DataError> error;  // else
  };

  void prepare(JsonlLine& line) const {
    Parsed p;
    try {
      if (!line.problem.empty()) throw DataError(path_, line.line, record_id_for_message(line.value), line.problem);
      p.sample = parse(line, p.id);
    } catch (const DataError& e) {
      p.error = e;
    }
    line.prepared = std::move(p);
    line.value = nlohmann::json();  // freed on the thread that built it, not in the ordered stage

  }

  void take(JsonlLine& line, SplitData& out) {
    Parsed& p = *std::any_cast<Parsed>(&line.prepared);
    // The id is checked first, as the record's other fields come after it.
    if (p.id && ids_.count(*p.id)) {
      p.sample.reset();
      p.error = DataError(path_, line.line, *p.id, "duplicate id; ids must be unique in a split");
    } else if (p.sample && visit_) {
      ids_.insert(id_copies_.emplace_back(p.sample->id));
      if (visit_(*p.sample)) ++out.streamed;
      return;
    } else if (p.sample) {  // a sample always has its id
      ids_.insert(id_copies_.emplace_back(p.sample->id));
      out.samples.push_back(std::move(*p.sample));
      return;
    } else if (p.id) {
      ids_.insert(id_copies_.emplace_back(*p.id));
    }
    if (options_.strict) throw *p.error;
    out.invalid.push_back({p.error->what(), p.error->id()});
  }

 private:
  Sample parse(const JsonlLine& line, std::optional<std::string>& id) const {
    const nlohmann::json& rec = line.value;
    Sample s;
    s.source_file = path_;
    s.line = line.line;
    RecordFields early(rec, path_, line.line, record_id_for_message(rec));
    s.id = early.require_string("id");
    id = s.id;
    RecordFields f(rec, path_, line.line, s.id);
    s.task = f.require_string("task");
    const Task* task = find_task(s.task);
    if (!task) f.fail("unknown task '" + s.task + "'; tasks are: " + task_names_joined());
    if (s.task != task_)
      f.fail("record is for task '" + s.task + "' but this split is listed for '" + task_ + "'");
    s.kind = task->answer_kind();
    s.image = f.require_string("image");
    std::string problem;
    s.image_path = images_.resolve(s.image, problem);
    if (!problem.empty()) f.fail(problem);
    s.image_id = f.optional_string("image_id").value_or(s.image);
    if (auto p = f.optional_string("prompt")) s.prompt = *p;
    if (f.has("image_size")) {
      const auto& v = rec["image_size"];
      if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number() ||
          !(v[0].get<double>() > 0) || !(v[1].get<double>() > 0))
        f.fail("field 'image_size' must be [width, height] in pixels, both > 0");
      s.image_size = std::array<double, 2>{v[0].get<double>(), v[1].get<double>()};
    }
    if (options_.check_images) check_image(f, s);
    task->parse_record(f, s);
    return s;
  }

  using Header = std::pair<std::optional<ImageHeader>, std::string>;  // header, or why not

  // Each file's header is read once (two threads asking at once may both read it; the first kept).
  std::shared_ptr<const Header> header_of(const std::string& path) const {
    {
      std::lock_guard lock(mu_);
      auto it = headers_.find(path);
      if (it != headers_.end()) return it->second;
    }
    auto h = std::make_shared<Header>();
    h->first = read_image_header(path, h->second);
    std::lock_guard lock(mu_);
    return headers_.emplace(path, std::move(h)).first->second;
  }

  void check_image(const RecordFields& f, Sample& s) const {
    const auto found = header_of(s.image_path);
    const auto& [header, problem] = *found;
    if (!header) f.fail("field 'image': " + problem);
    if (!s.image_size) {
      s.image_size = std::array<double, 2>{double(header->width), double(header->height)};
    } else if ((*s.image_size)[0] != header->width || (*s.image_size)[1] != header->height) {
      f.fail("field 'image_size' says " + nlohmann::json((*s.image_size)[0]).dump() + "x" +
             nlohmann::json((*s.image_size)[1]).dump() + " but the image is " +
             std::to_string(header->width) + "x" + std::to_string(header->height));
    }
  }

  const std::string& path_;
  const std::string& task_;
  const SplitOptions& options_;
  const SampleVisitor& visit_;
  ImagePathResolver images_;
  // Views into id_copies_, whose strings never move. Not into the kept samples: a short id lives
  // inside its Sample, which moves when out.samples grows (reserved for every LF, but a lone CR
  // ends a line too: a split with CR line endings had its ids freed under the set).
  std::unordered_set<std::string_view> ids_;
  std::deque<std::string> id_copies_;
  mutable std::mutex mu_;  // guards headers_
  mutable std::map<std::string, std::shared_ptr<const Header>> headers_;
};

}  // namespace

SplitData read_split(const std::string& path, const std::string& task, const SplitOptions& options,
                     const SampleVisitor& visit) {
  SplitData out;
  out.path = path;
  SplitParser parser(path, task, options, visit);
  auto prepare = [&](JsonlLine& line) { parser.prepare(line); };
  auto take = [&](JsonlLine& line) { parser.take(line, out); };
  if (visit) {  // nothing kept: the file read as it goes, hashed as it is read
    Sha256Stream hash;
    read_jsonl_streamed(path, "split file", prepare, take, [&](std::string_view bytes) { hash.update(bytes); });
    out.sha256 = hash.hex();
    return out;
  }
  const std::string data = read_regular_file(path, "split file");
  // The hash runs beside the parsing (it is a tenth of the reading, and one thread's work).
  tbb::task_group hashing;
  hashing.run([&] { out.sha256 = sha256_hex(data); });
  try {
    // About one sample per line (lines ending in a lone CR are not counted): the vector seldom
    // grows by moving every sample it holds.
    out.samples.reserve(static_cast<std::size_t>(std::count(data.begin(), data.end(), '\n')) + 1);
    for_each_jsonl_line(data, prepare, take);
  } catch (...) {
    hashing.wait();  // it reads `data`
    throw;
  }
  hashing.wait();
  return out;
}

}  // namespace imaxbench
