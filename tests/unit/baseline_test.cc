// The nearest-neighbour baseline: its answer rules per task, its fixed random projection, the
// device parser and (in a LibTorch build) the torch index against the plain C++ embedding.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "tasks/baseline_rule.h"
#include "backends/device.h"
#include "backends/image_index.h"
#include "core/error.h"
#include "tasks/task.h"

namespace imaxbench {
namespace {

using ::testing::HasSubstr;

Sample rec(const std::string& task) {
  Sample s;
  s.task = task;
  s.kind = find_task(s.task)->answer_kind();
  s.id = task + "-x";
  return s;
}

class BaselineAnswers : public ::testing::Test {
 protected:
  void SetUp() override {
    // Gallery image 0 (200x100): ctr 0.61, a report, class 2, labels {A, C}, two rec phrases,
    // two reg regions, two vqa questions. Image 1 (100x100): cpar 0.44, rec, vqa.
    Sample s = rec("calculation");
    s.quantity = "ctr";
    s.ref_number = 0.6126;
    add(0, s);
    s = rec("report_generation");
    s.ref_texts = {"Mild cardiomegaly."};
    add(0, s);
    s = rec("multiclass_classification");
    s.classes = {"none", "vascular congestion", "interstitial edema", "alveolar edema"};
    s.ref_class = 2;
    add(0, s);
    s = rec("multilabel_classification");
    s.classes = {"A", "B", "C"};
    s.ref_labels = {1, 0, 1};
    add(0, s);
    s = rec("rec");
    s.phrase = "the cardiac silhouette";
    s.ref_box = {50, 20, 150, 80};
    add(0, s);
    s.phrase = "the left pleural effusion";
    s.ref_box = {100, 50, 200, 100};
    add(0, s);
    s = rec("reg");
    s.box = Box{0, 0, 50, 50};
    s.ref_texts = {"right upper lobe nodule"};
    add(0, s);
    s.box = Box{100, 50, 200, 100};
    s.ref_texts = {"left pleural effusion"};
    add(0, s);
    s = rec("vqa");
    s.question = "Is there a pleural effusion?";
    s.answer_type = "closed";
    s.ref_texts = {"yes"};
    add(0, s);
    s.question = "Where is the nodule located?";
    s.answer_type = "open";
    s.ref_texts = {"right upper lobe"};
    add(0, s);
    s = rec("calculation");
    s.quantity = "cpar";
    s.ref_number = 0.44;
    add(1, s);
    s = rec("rec");
    s.phrase = "the nasogastric tube";
    s.ref_box = {40, 0, 60, 90};
    add(1, s);
    s = rec("vqa");
    s.question = "Is there a pneumothorax?";
    s.answer_type = "closed";
    s.ref_texts = {"no"};
    add(1, s);
    images_.resize(2);
    images_[0].size = {200, 100};
    images_[1].size = {100, 100};
    for (std::size_t i = 0; i < store_.size(); ++i) images_[owner_[i]].records.push_back(&store_[i]);
    stats_ = gallery_stats(images_);
  }
  void add(std::size_t image, const Sample& s) {
    store_.push_back(s);
    owner_.push_back(image);
  }
  BaselineAnswer ask(const Sample& q, std::vector<std::size_t> ranked = {0, 1},
                     std::array<double, 2> size = {400, 200}, const std::string& fmt = "grid100") {
    return baseline_answer(q.task, q, size, fmt, images_, ranked, stats_);
  }

  std::vector<Sample> store_;  // reserved below so pointers stay valid
  std::vector<std::size_t> owner_;
  std::vector<GalleryImage> images_;
  GalleryStats stats_;

 public:
  BaselineAnswers() { store_.reserve(64); }
};

TEST_F(BaselineAnswers, CalculationUsesTheNearestImageWithTheSameQuantity) {
  Sample q = rec("calculation");
  q.quantity = "ctr";
  EXPECT_EQ(ask(q, {1, 0}).text, "The cardiothoracic ratio is 0.613.");  // image 1 has no ctr
  q.quantity = "cpar";
  BaselineAnswer a = ask(q, {0, 1});
  EXPECT_EQ(a.text, "The cardiopulmonary area ratio is 0.440.");
  EXPECT_EQ(a.neighbour, 1u);
}

TEST_F(BaselineAnswers, TextAndClassTasksCopyTheNeighbour) {
  EXPECT_EQ(ask(rec("report_generation")).text, "Mild cardiomegaly.");
  EXPECT_EQ(ask(rec("multiclass_classification")).text, "interstitial edema");
  EXPECT_EQ(ask(rec("multilabel_classification")).text, "A, C");
  store_[3].ref_labels = {0, 0, 0};
  EXPECT_EQ(ask(rec("multilabel_classification")).text, "none");
}

TEST_F(BaselineAnswers, RecScalesTheMatchingPhraseBoxToTheQueryImage) {
  Sample q = rec("rec");
  q.phrase = "The left pleural effusion";
  // Gallery box (100,50)-(200,100) on 200x100 -> (200,100)-(400,200) on 400x200 -> grid100 50,50,100,100.
  EXPECT_EQ(ask(q).text, "{<50><50><100><100>}");
  q.phrase = "the nasogastric tube";  // only image 1 has it: found further down the ranking
  BaselineAnswer a = ask(q);
  EXPECT_EQ(a.neighbour, 1u);
  EXPECT_EQ(a.text, "{<40><0><60><90>}");
  q.phrase = "cardiac silhouette size";  // no exact match: most similar phrase on the nearest image
  EXPECT_EQ(ask(q, {0, 1}, {200, 100}, "pixel").text, "[50, 20, 150, 80]");
}

TEST_F(BaselineAnswers, RegPicksTheRegionOverlappingTheQueryBox) {
  Sample q = rec("reg");
  q.box = Box{210, 110, 390, 190};  // on 400x200: overlaps the effusion region scaled x2
  EXPECT_EQ(ask(q).text, "left pleural effusion");
  q.box = Box{0, 0, 90, 90};
  EXPECT_EQ(ask(q).text, "right upper lobe nodule");
}

TEST_F(BaselineAnswers, VqaMatchesTheQuestionElseFallsBack) {
  Sample q = rec("vqa");
  q.question = "is there a pneumothorax";  // exact after normalisation, on image 1
  q.answer_type = "closed";
  EXPECT_EQ(ask(q).text, "no");
  q.question = "Where is the lung nodule?";  // most similar question on the nearest image
  q.answer_type = "open";
  EXPECT_EQ(ask(q).text, "right upper lobe");
  q.question = "Cardiomegaly?";  // nothing in common, closed: the gallery's yes/no majority
  q.answer_type = "closed";
  EXPECT_EQ(stats_.closed_majority, "no");  // one yes, one no: ties go to "no"
  EXPECT_EQ(ask(q).text, "no");
  store_[12].ref_texts = {"yes"};  // now "yes" twice (with image 0's effusion), "no" never
  stats_ = gallery_stats(images_);
  EXPECT_EQ(ask(q).text, "yes");
}

TEST_F(BaselineAnswers, NoRecordOfTheTaskIsAnError) {
  images_[0].records.clear();
  images_[1].records.clear();
  BaselineAnswer a = ask(rec("report_generation"));
  EXPECT_TRUE(a.text.empty());
  EXPECT_THAT(a.error, HasSubstr("no report_generation record"));
}

TEST(RandomProjection, IsSeededAndStandardNormal) {
  auto a = gaussian_matrix(200, 500, 7), b = gaussian_matrix(200, 500, 7), c = gaussian_matrix(200, 500, 8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  double mean = 0, var = 0;
  for (float v : a) mean += v;
  mean /= a.size();
  for (float v : a) var += (v - mean) * (v - mean);
  var /= a.size();
  EXPECT_NEAR(mean, 0.0, 0.01);  // 100k draws: standard error 0.003
  EXPECT_NEAR(var, 1.0, 0.02);
  // Pinned: the embedding must not change silently between versions (docs/baseline.md).
  auto e = make_tiny_image_embedding();
  EXPECT_EQ(e.projection.size(), 1024u * 128u);
  EXPECT_EQ(e.signature(), "tiny32|bilinear|std|gauss128|seed:250409967|l2|v1");
}

TEST(RandomProjection, ReferenceEmbeddingIsUnitLengthAndShiftScaleInvariant) {
  auto e = make_tiny_image_embedding(4, 8, 3);
  std::vector<float> px(16), shifted(16);
  for (int i = 0; i < 16; ++i) px[i] = float((i * 7) % 5) / 5.f, shifted[i] = 0.5f * px[i] + 0.2f;
  auto v = embed_reference(e, px), w = embed_reference(e, shifted);
  double norm = 0;
  for (float x : v) norm += x * x;
  EXPECT_NEAR(norm, 1.0, 1e-6);
  for (int j = 0; j < 8; ++j) EXPECT_NEAR(v[j], w[j], 1e-4);
}

TEST(Device, ParsesCpuCudaHip) {
  EXPECT_EQ(parse_device("cpu").str(), "cpu");
  EXPECT_EQ(parse_device("cuda:1").str(), "cuda:1");
  EXPECT_EQ(parse_device("cuda").str(), "cuda:0");
  EXPECT_EQ(parse_device("hip:0").kind, DeviceSpec::Kind::kHip);
  for (const char* bad : {"gpu", "cuda:", "cuda:x", "cuda:-1", "hip:1:2", "CPU", ""})
    EXPECT_THROW(parse_device(bad), UsageError) << bad;
}

#ifdef IMAXBENCH_HAVE_TORCH
TEST(TorchImageIndex, MatchesThePlainEmbedding) {
  auto e = make_tiny_image_embedding(8, 16, 11);
  const std::size_t n = 5, in = 64;
  std::vector<float> gallery(n * in), query(2 * in);
  for (std::size_t i = 0; i < gallery.size(); ++i) gallery[i] = float((i * 37 + i / 7) % 101) / 100.f;
  for (std::size_t i = 0; i < query.size(); ++i) query[i] = float((i * 53 + 3) % 97) / 96.f;
  auto index = make_torch_image_index(parse_device("cpu"), e, gallery, n);
  ASSERT_EQ(index->size(), n);
  auto sims = index->similarities(query, 2);
  ASSERT_EQ(sims.size(), 2 * n);
  for (std::size_t q = 0; q < 2; ++q) {
    auto qe = embed_reference(e, std::span<const float>(query).subspan(q * in, in));
    for (std::size_t g = 0; g < n; ++g) {
      auto ge = embed_reference(e, std::span<const float>(gallery).subspan(g * in, in));
      double dot = 0;
      for (int j = 0; j < e.dim; ++j) dot += double(qe[j]) * ge[j];
      EXPECT_NEAR(sims[q * n + g], dot, 1e-5) << q << "," << g;
    }
  }
  // A gallery image is its own nearest neighbour.
  auto self = index->similarities(std::span<const float>(gallery).subspan(2 * in, in), 1);
  EXPECT_NEAR(self[2], 1.0, 1e-5);
  EXPECT_EQ(index->versions().front().first, "libtorch");
}

TEST(TorchImageIndex, UnusableGpuIsAClearError) {
  auto e = make_tiny_image_embedding(4, 4, 1);
  std::vector<float> gallery(16, 0.5f);
  try {
    make_torch_image_index(parse_device("cuda:7"), e, gallery, 1);
    GTEST_SKIP() << "this machine has 8 CUDA devices";
  } catch (const Error& err) {
    EXPECT_THAT(err.what(), HasSubstr("--device cuda:7"));
  }
}
#endif

}  // namespace
}  // namespace imaxbench
