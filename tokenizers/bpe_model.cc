#include "tokenizers/bpe_model.h"

#include <queue>

#include "core/error.h"
#include "tokenizers/byte_level.h"

namespace imaxbench {

namespace {

struct Symbol {
  std::int32_t id;
  std::int32_t prev;
  std::int32_t next;
  bool removed;
};

struct QueuedMerge {
  std::int32_t pos;
  std::uint32_t rank;
  std::int32_t new_id;
  // std::priority_queue pops the largest: make the lowest rank, then the leftmost, the largest.
  bool operator<(const QueuedMerge& o) const {
    return rank != o.rank ? rank > o.rank : pos > o.pos;
  }
};

}  // namespace

BpeModel::BpeModel(std::unordered_map<std::string, std::int32_t> vocab,
                   const std::vector<std::pair<std::string, std::string>>& merges,
                   BpeOptions options, const std::string& where)
    : vocab_(std::move(vocab)), options_(options) {
  std::int32_t max_id = -1;
  for (const auto& [token, id] : vocab_) {
    if (id < 0) throw Error(where + ": vocabulary id " + std::to_string(id) + " of '" + token +
                            "' is negative");
    max_id = std::max(max_id, id);
  }
  id_to_token_.assign(static_cast<std::size_t>(max_id + 1), nullptr);
  for (const auto& [token, id] : vocab_) id_to_token_[static_cast<std::size_t>(id)] = &token;
  merges_.reserve(merges.size());
  for (std::size_t rank = 0; rank < merges.size(); ++rank) {
    const auto& [left, right] = merges[rank];
    const std::int32_t a = id(left), b = id(right), merged = id(left + right);
    const char* missing = a < 0 ? "left part" : b < 0 ? "right part" : merged < 0 ? "result" : nullptr;
    if (missing != nullptr)
      throw Error(where + ": merge " + std::to_string(rank) + " ('" + left + "' '" + right +
                  "'): its " + missing + " is not in the vocabulary");
    // A repeated pair keeps its last rank, as the Rust HashMap it is collected into does.
    merges_[key(a, b)] = Merge{static_cast<std::uint32_t>(rank), merged};
  }
  for (int b = 0; b < 256; ++b) {
    const char byte = static_cast<char>(b);
    byte_ids_[static_cast<std::size_t>(b)] = id(bytes_to_alphabet(std::string_view(&byte, 1)));
  }
}

const BpeModel::Merge* BpeModel::find_merge(std::int32_t a, std::int32_t b) const {
  auto it = merges_.find(key(a, b));
  return it == merges_.end() ? nullptr : &it->second;
}

const std::string* BpeModel::token(std::int32_t id) const {
  if (id < 0 || static_cast<std::size_t>(id) >= id_to_token_.size()) return nullptr;
  return id_to_token_[static_cast<std::size_t>(id)];
}

std::int32_t BpeModel::id(std::string_view token) const {
  auto it = vocab_.find(std::string(token));
  return it == vocab_.end() ? -1 : it->second;
}

void BpeModel::encode_word(std::string_view bytes, std::vector<std::int32_t>& ids) const {
  if (bytes.empty()) return;
  if (options_.ignore_merges) {
    if (std::int32_t whole = id(bytes_to_alphabet(bytes)); whole >= 0) {
      ids.push_back(whole);
      return;
    }
  }
  // Initial symbols: one per byte; unknown bytes become unk (fused when asked) or are dropped.
  thread_local std::vector<Symbol> symbols;
  symbols.clear();
  auto add = [](std::int32_t id) {
    const auto n = static_cast<std::int32_t>(symbols.size());
    symbols.push_back(Symbol{id, n - 1, n + 1, false});
  };
  bool pending_unk = false;
  for (char c : bytes) {
    const std::int32_t id = byte_ids_[static_cast<unsigned char>(c)];
    if (id >= 0) {
      if (pending_unk) add(options_.unk_id);
      pending_unk = false;
      add(id);
    } else if (options_.unk_id >= 0) {
      if (pending_unk && !options_.fuse_unk) add(options_.unk_id);
      pending_unk = true;
    }
  }
  if (pending_unk) add(options_.unk_id);
  if (symbols.empty()) return;
  symbols.back().next = -1;

  std::priority_queue<QueuedMerge> queue;
  for (std::size_t i = 0; i + 1 < symbols.size(); ++i)
    if (const Merge* m = find_merge(symbols[i].id, symbols[i + 1].id))
      queue.push(QueuedMerge{static_cast<std::int32_t>(i), m->rank, m->new_id});
  while (!queue.empty()) {
    const QueuedMerge top = queue.top();
    queue.pop();
    Symbol& left = symbols[static_cast<std::size_t>(top.pos)];
    if (left.removed || left.next < 0) continue;
    const std::int32_t right_pos = left.next;
    const Symbol right = symbols[static_cast<std::size_t>(right_pos)];
    // Stale entry: the pair at pos changed since it was queued. Like tokenizers, compare only
    // the merge result.
    const Merge* current = find_merge(left.id, right.id);
    if (current == nullptr || current->new_id != top.new_id) continue;
    left.id = top.new_id;
    left.next = right.next;
    symbols[static_cast<std::size_t>(right_pos)].removed = true;
    if (right.next >= 0) symbols[static_cast<std::size_t>(right.next)].prev = top.pos;
    if (left.prev >= 0)
      if (const Merge* m = find_merge(symbols[static_cast<std::size_t>(left.prev)].id, left.id))
        queue.push(QueuedMerge{left.prev, m->rank, m->new_id});
    if (left.next >= 0)
      if (const Merge* m = find_merge(left.id, symbols[static_cast<std::size_t>(left.next)].id))
        queue.push(QueuedMerge{top.pos, m->rank, m->new_id});
  }
  for (std::int32_t i = 0; i >= 0; i = symbols[static_cast<std::size_t>(i)].next)
    ids.push_back(symbols[static_cast<std::size_t>(i)].id);
}

}  // namespace imaxbench
