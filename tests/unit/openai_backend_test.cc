// The openai backend against tests/tools/fake_openai_server.py, started once for this file on a
// loopback port: streamed and whole answers, time to first token, token counts, retries on
// 429/503/dropped connections, 4xx failing at once with the server's message, timeouts, the
// concurrency limit, server-side request checks, and the API key never reaching a message.
#include <gtest/gtest.h>

#include <map>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "backends/backend.h"
#include "harness/backend_registry.h"

#ifdef IMAXBENCH_HAVE_HTTP
#include <nlohmann/json.hpp>

#include "backends/http_client.h"
#include "backends/openai_backend.h"
#include "core/error.h"

extern char** environ;

namespace imaxbench {
namespace {

const std::string kSource = IMAXBENCH_SOURCE_DIR;
const std::string kImage = kSource + "/suites/sample/images/cxr_000.png";
constexpr const char* kKeyEnv = "IMAXBENCH_TEST_OPENAI_KEY";
constexpr const char* kKey = "sk-test-SECRET123";

// The fake server as a child process; its first stdout line is the port.
class FakeServer {
 public:
  FakeServer() {
    int fds[2];
    if (pipe(fds) != 0) return;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    std::vector<std::string> args = {"python3", kSource + "/tests/tools/fake_openai_server.py",
                                     "--suite", kSource + "/suites/sample/suite.json",
                                     "--answers", kSource + "/suites/sample/predictions.jsonl",
                                     "--api-key-env", kKeyEnv,
                                     "--parent-pid", std::to_string(getpid()), "--max-seconds", "300"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawnp(&pid_, "python3", &fa, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    out_ = fds[0];
    std::string line;
    char c;
    while (pid_ > 0 && read(out_, &c, 1) == 1 && c != '\n') line += c;
    port_ = std::atoi(line.c_str());
  }
  ~FakeServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) close(out_);
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  int port_ = 0;
};

class OpenAIBackendTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    for (const char* v : {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"})
      unsetenv(v);  // the loopback server must be reached directly
    setenv(kKeyEnv, kKey, 1);
    server_ = new FakeServer();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_GT(server_->port(), 0) << "fake_openai_server.py did not start"; }

  // Base URL with knobs; a distinct t=NAME in each test keeps its server counters apart.
  static std::string endpoint(const std::string& knobs) {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/x/" + knobs + "/v1";
  }
  static OpenAIConfig config(const std::string& knobs) {
    OpenAIConfig c;
    c.endpoint = endpoint(knobs);
    c.model = "fake";
    c.api_key_env = kKeyEnv;
    c.timeout_s = 20;
    c.backoff_base_s = 0.01;
    c.backoff_max_s = 0.05;
    return c;
  }
  static nlohmann::json stats(const std::string& knobs) {
    HttpClient client;
    HttpResponse r = client.request(
        "GET", "http://127.0.0.1:" + std::to_string(server_->port()) + "/x/" + knobs + "/stats", {}, "", 5000);
    return nlohmann::json::parse(r.body);
  }
  // The stats once the server has finished every request under `knobs` (a bounded wait: a server
  // still writing a stream the client hung up on notices at its next write).
  static nlohmann::json settled_stats(const std::string& knobs) {
    nlohmann::json s;
    for (int i = 0; i < 600; ++i) {
      s = stats(knobs);
      if (s["in_flight"] == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return s;
  }
  static Request request(const std::string& prompt, const std::string& id = "t-1") {
    Request r;
    r.id = id;
    r.image_path = kImage;
    r.prompt = prompt;
    return r;
  }

  static FakeServer* server_;
};

FakeServer* OpenAIBackendTest::server_ = nullptr;

TEST_F(OpenAIBackendTest, StreamedAnswerWithTimeToFirstToken) {
  OpenAIBackend b(config("t=stream,chunk_delay_ms=20"));
  Response r = b.complete(request("Say hello."));
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.text, "Hello there, friend.");
  EXPECT_EQ(r.output_tokens, 3);  // usage.completion_tokens: one per word
  EXPECT_EQ(r.input_tokens, 102);
  EXPECT_GT(r.ttft_ms, 0);
  EXPECT_LT(r.ttft_ms, r.latency_ms);  // more chunks followed the first
}

TEST_F(OpenAIBackendTest, WholeAnswerWithoutStreaming) {
  auto c = config("t=plain");
  c.stream = false;
  OpenAIBackend b(c);
  Response r = b.complete(request("Count to five."));
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.text, "one two three four five");
  EXPECT_EQ(r.output_tokens, 5);
  EXPECT_EQ(r.ttft_ms, 0);  // not measurable without a stream
  EXPECT_GT(r.latency_ms, 0);
}

TEST_F(OpenAIBackendTest, WithoutUsageStreamedDeltasAreCounted) {
  OpenAIBackend b(config("t=nousage,usage=0"));
  Response r = b.complete(request("Count to five."));
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.output_tokens, 5);
  EXPECT_EQ(r.input_tokens, 0);
}

TEST_F(OpenAIBackendTest, ServerThatIgnoresStreamIsStillRead) {
  OpenAIBackend b(config("t=nostream,nostream=1"));
  Response r = b.complete(request("Say hello."));
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.text, "Hello there, friend.");
}

TEST_F(OpenAIBackendTest, RetriesOn429And503ThenSucceeds) {
  OpenAIBackend a(config("t=r429,fail=2,status=429,retry_after=0"));
  EXPECT_EQ(a.complete(request("Say hello.")).text, "Hello there, friend.");
  EXPECT_EQ(stats("t=r429,fail=2,status=429,retry_after=0")["requests"], 3);
  OpenAIBackend b(config("t=r503,fail=3,status=503"));
  EXPECT_EQ(b.complete(request("Say hello.")).text, "Hello there, friend.");
  EXPECT_EQ(stats("t=r503,fail=3,status=503")["requests"], 4);
  OpenAIBackend d(config("t=drop,drop=1"));
  EXPECT_EQ(d.complete(request("Say hello.")).text, "Hello there, friend.");
  EXPECT_EQ(stats("t=drop,drop=1")["requests"], 2);
}

TEST_F(OpenAIBackendTest, GivesUpAfterTheRetries) {
  auto c = config("t=giveup,fail=9,status=503");
  c.retries = 2;
  OpenAIBackend b(c);
  Response r = b.complete(request("Say hello."));
  EXPECT_NE(r.error.find("HTTP 503: overloaded, try again (gave up after 3 attempts)"), std::string::npos) << r.error;
  EXPECT_EQ(r.text, "");
  EXPECT_EQ(stats("t=giveup,fail=9,status=503")["requests"], 3);
}

TEST_F(OpenAIBackendTest, ClientErrorFailsAtOnceWithTheMessageAndNoKey) {
  OpenAIBackend b(config("t=bad,bad=1"));
  Response r = b.complete(request("Say hello."));
  EXPECT_NE(r.error.find("HTTP 400: bad request; you sent Authorization: Bearer [REDACTED]"), std::string::npos)
      << r.error;
  EXPECT_EQ(r.error.find("SECRET123"), std::string::npos);
  EXPECT_EQ(stats("t=bad,bad=1")["requests"], 1);  // a 400 is not retried
}

// Every request setting a user can give reaches the server as given: sampling settings, a system
// message, --extra-body over the body, extra headers (one from the environment, redacted in what
// comes back, as the key is), the served name from --model-id, and an image scaled down and sent
// as JPEG. The manifest holds each setting, with secrets shown as their variable or [REDACTED].
TEST_F(OpenAIBackendTest, RequestSettingsReachTheServer) {
  setenv("IMAXBENCH_TEST_TENANT_SECRET", "tenant-secret-42", 1);
  auto c = config("t=settings,echo_request=1,sampling=1");
  c.model = "served-name";
  c.chat.temperature = 0.5;
  c.chat.top_p = 0.95;
  c.chat.seed = 7;
  c.chat.max_tokens = 99;
  c.chat.system_prompt = "You are a radiologist.";
  c.chat.extra_body = {{"top_k", 3}};
  c.headers = {parse_extra_header("X-Tenant: radiology"), parse_extra_header("X-Tenant-Key: ${IMAXBENCH_TEST_TENANT_SECRET}")};
  c.image.max_side = 64;
  c.image.format = "jpeg";
  OpenAIBackend b(c);
  Response r = b.complete(request("Describe.", "s-1"));
  ASSERT_EQ(r.error, "");
  const nlohmann::json echo = nlohmann::json::parse(r.text);
  const nlohmann::json& body = echo["body"];
  EXPECT_EQ(body["model"], "served-name");
  EXPECT_EQ(body["temperature"], 0.5);
  EXPECT_EQ(body["top_p"], 0.95);
  EXPECT_EQ(body["seed"], 7);
  EXPECT_EQ(body["max_tokens"], 99);
  EXPECT_EQ(body["top_k"], 3);
  EXPECT_EQ(body["messages"][0]["content"], "You are a radiologist.");
  const nlohmann::json& image = body["messages"][1]["content"][0]["image_url"]["url"];
  EXPECT_EQ(image["mime"], "image/jpeg");
  EXPECT_EQ(std::max(image["width"].get<int>(), image["height"].get<int>()), 64);
  const nlohmann::json& h = echo["headers"];
  EXPECT_EQ(h["X-Tenant"], "radiology");
  EXPECT_EQ(h["X-Tenant-Key"], "[REDACTED]");  // the server saw the value; the answer never carries it
  EXPECT_EQ(h["X-Imaxbench-Sample-Id"], "s-1");
  EXPECT_EQ(r.text.find("tenant-secret-42"), std::string::npos);
  std::map<std::string, std::string> m;
  for (const auto& [k, v] : b.manifest()) m[k] = v;
  EXPECT_EQ(m["served_model"], "served-name");
  EXPECT_EQ(m["temperature"], "0.5");
  EXPECT_EQ(m["top_p"], "0.95");
  EXPECT_EQ(m["seed"], "7");
  EXPECT_EQ(m["system_prompt"], "You are a radiologist.");
  EXPECT_EQ(m["extra_body"], "{\"top_k\":3}");
  EXPECT_EQ(m["image_max_side"], "64");
  EXPECT_EQ(m["image_format"], "jpeg");
  EXPECT_EQ(m["header.X-Tenant"], "radiology");
  EXPECT_EQ(m["header.X-Tenant-Key"], "${IMAXBENCH_TEST_TENANT_SECRET}");
  // A header variable that disappears mid-run fails the sample, naming the variable only.
  unsetenv("IMAXBENCH_TEST_TENANT_SECRET");
  Response gone = b.complete(request("Describe.", "s-2"));
  EXPECT_NE(gone.error.find("IMAXBENCH_TEST_TENANT_SECRET (--header) is no longer set"), std::string::npos) << gone.error;
  EXPECT_THROW(OpenAIBackend{c}, UsageError);  // and refuses to start without it
}

TEST_F(OpenAIBackendTest, ServerSideChecksReachTheSample) {
  auto c = config("t=maxtok,max_tokens=16");
  OpenAIBackend wrong(c);
  EXPECT_NE(wrong.complete(request("Say hello.")).error.find("max_tokens should be 16"), std::string::npos);
  c.chat.max_tokens = 16;
  OpenAIBackend right(c);
  EXPECT_EQ(right.complete(request("Say hello.")).error, "");
}

TEST_F(OpenAIBackendTest, TimeoutFailsTheSampleWithoutRetrying) {
  auto c = config("t=hang,hang_s=10");
  c.timeout_s = 0.5;
  OpenAIBackend b(c);
  Response r = b.complete(request("Say hello."));
  EXPECT_NE(r.error.find("no complete answer within --timeout-s 0.5"), std::string::npos) << r.error;
  EXPECT_LT(r.latency_ms, 9000);
  EXPECT_EQ(stats("t=hang,hang_s=10")["requests"], 1);
}

TEST_F(OpenAIBackendTest, ErrorChunkMidStreamFailsTheSample) {
  OpenAIBackend b(config("t=errchunk,error_chunk=1"));
  Response r = b.complete(request("Say hello."));
  EXPECT_NE(r.error.find("engine failed mid-stream"), std::string::npos) << r.error;
}

TEST_F(OpenAIBackendTest, BatchRunsConcurrentlyUpToTheLimitInOrder) {
  auto c = config("t=conc,delay_ms=150");
  c.concurrency = 3;
  OpenAIBackend b(c);
  std::vector<Request> batch;
  for (int i = 0; i < 10; ++i) batch.push_back(request("p" + std::to_string(i), "id-" + std::to_string(i)));
  std::vector<Response> out = b.infer(batch);
  ASSERT_EQ(out.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(out[i].text, "echo: p" + std::to_string(i));
  auto s = stats("t=conc,delay_ms=150");
  EXPECT_EQ(s["requests"], 10);
  EXPECT_LE(s["max_in_flight"], 3);
  EXPECT_GE(s["max_in_flight"], 2);  // they did overlap
}

TEST_F(OpenAIBackendTest, LimitHoldsAcrossCallerThreads) {
  auto c = config("t=threads,delay_ms=100");
  c.concurrency = 2;
  OpenAIBackend b(c);
  std::vector<std::jthread> callers;
  for (int i = 0; i < 6; ++i) callers.emplace_back([&b] { b.complete(request("Say hello.")); });
  callers.clear();
  auto s = stats("t=threads,delay_ms=100");
  EXPECT_EQ(s["requests"], 6);
  EXPECT_LE(s["max_in_flight"], 2);
}

TEST_F(OpenAIBackendTest, SuiteRecordsAreCheckedAndAnsweredByTheServer) {
  OpenAIBackend b(config("t=suite"));
  Request calc = request("What is the cardiothoracic ratio?", "calc-0001-1");
  calc.image_path = kSource + "/suites/sample/images/cxr_001.png";
  EXPECT_EQ(b.complete(calc).text, "CTR = 0.56");
  // A DICOM record: the server checks it arrived as an 8-bit PNG of the DICOM's size.
  Request dicom = request("Which edema grade?", "mc-0017-1");
  dicom.image_path = kSource + "/suites/sample/images/cxr_017.dcm";
  Response r = b.complete(dicom);
  EXPECT_EQ(r.error, "");
  EXPECT_FALSE(r.text.empty());
  calc.image_path = kImage;  // not the record's image
  EXPECT_NE(b.complete(calc).error.find("image bytes differ"), std::string::npos);
}

TEST_F(OpenAIBackendTest, UnreadableImageFailsBeforeAnyRequest) {
  OpenAIBackend b(config("t=noimage"));
  Request r = request("Say hello.");
  r.image_path = kSource + "/suites/sample/images/missing.png";
  EXPECT_NE(b.complete(r).error.find("missing.png"), std::string::npos);
  EXPECT_EQ(stats("t=noimage")["requests"], 0);
}

TEST_F(OpenAIBackendTest, KeyProblemsAreClearAndNeverShowTheKey) {
  auto c = config("t=nokey");
  c.api_key_env = "";
  try {
    OpenAIBackend b(c);
    FAIL() << "the server wants a key";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("HTTP 401"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--api-key-env"), std::string::npos) << e.what();
  }
  c.api_key_env = "IMAXBENCH_TEST_UNSET_VARIABLE";
  EXPECT_THROW(OpenAIBackend{c}, UsageError);
  setenv("IMAXBENCH_TEST_WRONG_KEY", "sk-wrong-OTHER456", 1);
  c.api_key_env = "IMAXBENCH_TEST_WRONG_KEY";
  try {
    OpenAIBackend b(c);
    FAIL() << "a wrong key must be refused";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find("OTHER456"), std::string::npos) << e.what();
  }
}

TEST_F(OpenAIBackendTest, UnreachableServer) {
  auto c = config("t=x");
  c.endpoint = "http://127.0.0.1:1/v1";  // nothing listens on port 1
  EXPECT_THROW(OpenAIBackend{c}, Error);
  c.preflight = false;
  c.retries = 1;
  OpenAIBackend b(c);
  Response r = b.complete(request("Say hello."));
  EXPECT_NE(r.error.find("gave up after 2 attempts"), std::string::npos) << r.error;
}

TEST_F(OpenAIBackendTest, RegistryChecksOptions) {
  BackendOptions o;
  o.model = "fake";
  EXPECT_THROW(make_backend("openai", o), UsageError);  // no --endpoint
  o.endpoint = "ftp://h/v1";
  EXPECT_THROW(make_backend("openai", o), UsageError);
  o.endpoint = endpoint("t=registry");
  o.api_key_env = kKeyEnv;
  o.concurrency = 0;
  EXPECT_THROW(make_backend("openai", o), UsageError);
  o.concurrency = 2;
  o.max_answer_bytes = 0;
  EXPECT_THROW(make_backend("openai", o), UsageError);
  o.max_answer_bytes = 1024;
  auto b = make_backend("openai", o);
  EXPECT_EQ(b->name(), "openai");
  for (const auto& [k, v] : b->manifest()) EXPECT_EQ(v.find("SECRET123"), std::string::npos) << k;
}

// Issue 12: an HTTP 200 whose body is not a chat completion is a failed sample, never an empty
// answer; an honest empty answer (choices, finish_reason) still passes.
TEST_F(OpenAIBackendTest, Http200ThatIsNotTheProtocolFailsTheSample) {
  for (bool stream : {true, false})
    for (std::string kind : {"html", "empty", "garbage", "nochoices", "cut"}) {
      const std::string knobs = "t=bad200-" + kind + (stream ? "-s" : "-p") + ",bad200=" + kind;
      auto c = config(knobs);
      c.stream = stream;
      c.retries = 0;
      OpenAIBackend b(c);
      Response r = b.complete(request("Say hello."));
      EXPECT_NE(r.error, "") << knobs << " was taken as the answer '" << r.text << "'";
      EXPECT_EQ(r.text, "") << knobs;
      if (kind == "html") EXPECT_NE(r.error.find("text/html"), std::string::npos) << r.error;
    }
}

TEST_F(OpenAIBackendTest, Http200ThatIsNotTheProtocolIsRetriedLikeA5xx) {
  OpenAIBackend once(config("t=bad200-retry,bad200=html,bad200_n=1"));
  EXPECT_EQ(once.complete(request("Say hello.")).text, "Hello there, friend.");
  EXPECT_EQ(stats("t=bad200-retry,bad200=html,bad200_n=1")["requests"], 2);
  auto c = config("t=bad200-giveup,bad200=empty");
  c.retries = 1;
  OpenAIBackend always(c);
  Response r = always.complete(request("Say hello."));
  EXPECT_NE(r.error.find("gave up after 2 attempts"), std::string::npos) << r.error;
  EXPECT_EQ(stats("t=bad200-giveup,bad200=empty")["requests"], 2);
}

TEST_F(OpenAIBackendTest, HonestEmptyAnswerPasses) {
  for (bool stream : {true, false}) {
    auto c = config(std::string("t=empty-answer") + (stream ? "-s" : "-p"));
    c.stream = stream;
    OpenAIBackend b(c);
    Response r = b.complete(request("Say nothing."));
    EXPECT_EQ(r.error, "") << stream;
    EXPECT_EQ(r.text, "") << stream;
  }
}

// Issue 12: a streamed answer had no size cap. The default cap (64 MiB) stops a 128 MiB stream:
// the sample fails naming the flag, and the client hangs up instead of reading the rest.
TEST_F(OpenAIBackendTest, StreamedAnswerOverTheDefaultCapIsCutOff) {
  const std::string knobs = "t=huge-default,huge_mb=128";
  OpenAIBackend b(config(knobs));
  Response r = b.complete(request("Say hello."));
  EXPECT_NE(r.error.find("--max-answer-bytes"), std::string::npos) << r.error.substr(0, 300);
  EXPECT_TRUE(r.text.empty()) << r.text.size() << " bytes";
  auto s = settled_stats(knobs);
  EXPECT_EQ(s["cut_by_client"], 1);
  EXPECT_LT(s["bytes_sent"].get<std::int64_t>(), std::int64_t{100} << 20);
}

// Issue 12: a key the server echoes inside a 200 answer must not reach the journal.
TEST_F(OpenAIBackendTest, KeyEchoedInAnAnswerIsRedacted) {
  for (bool stream : {true, false}) {
    auto c = config(std::string("t=echo-key") + (stream ? "-s" : "-p") + ",echo_key=1");
    c.stream = stream;
    OpenAIBackend b(c);
    Response r = b.complete(request("Say hello."));
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(r.text, "You sent Authorization: Bearer [REDACTED]") << stream;
  }
}

// Issue 12: --max-answer-bytes, streamed or not: the sample fails naming the cap and the flag, and
// the client hangs up at the cap instead of reading the rest.
TEST_F(OpenAIBackendTest, AnswerOverMaxAnswerBytesFailsStreamedOrNot) {
  for (bool stream : {true, false}) {
    const std::string knobs = std::string("t=huge-cap") + (stream ? "-s" : "-p") + ",huge_mb=32";
    auto c = config(knobs);
    c.stream = stream;
    c.max_answer_bytes = 1u << 20;
    OpenAIBackend b(c);
    Response r = b.complete(request("Say hello."));
    EXPECT_NE(r.error.find("--max-answer-bytes 1048576"), std::string::npos) << r.error.substr(0, 300);
    EXPECT_EQ(r.text, "");
    auto s = settled_stats(knobs);
    EXPECT_EQ(s["requests"], 1);  // not retried
    EXPECT_EQ(s["cut_by_client"], 1) << stream;
    EXPECT_LT(s["bytes_sent"].get<std::int64_t>(), std::int64_t{24} << 20) << stream;
  }
  auto c = config("t=huge-fits,huge_mb=1");
  c.max_answer_bytes = 1u << 20;  // exactly the answer's size: it fits
  OpenAIBackend b(c);
  EXPECT_EQ(b.complete(request("Say hello.")).text.size(), 1u << 20);
}

TEST(HttpRetryAfter, SecondsAndDates) {
  EXPECT_EQ(parse_retry_after("0"), 0);
  EXPECT_EQ(parse_retry_after("7"), 7);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), 0);  // in the past
  EXPECT_LT(parse_retry_after(""), 0);
  EXPECT_LT(parse_retry_after("soon"), 0);
}

}  // namespace
}  // namespace imaxbench

#else  // built without libcurl

namespace imaxbench {
TEST(OpenAIBackend, ListedAsUnavailableWithTheReason) {
  for (const auto& b : all_backends())
    if (b.name == "openai") {
      EXPECT_FALSE(b.available);
      EXPECT_NE(std::string(b.why_not).find("libcurl"), std::string::npos);
      return;
    }
  FAIL() << "openai missing from the registry";
}
}  // namespace imaxbench

#endif
