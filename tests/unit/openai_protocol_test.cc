// The openai backend's offline pieces: URLs, request bodies, streamed chunks and responses in the
// shapes OpenAI, vLLM, TGI and FastAPI send, error messages, redaction, retry delays, the PNG
// encoder and the image data URLs (bytes as they are, or DICOM/16-bit PNG re-encoded).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>

#include "backends/base64.h"
#include "backends/image_data_url.h"
#include "backends/openai_protocol.h"
#include "backends/png_encode.h"
#include "images/image_decode.h"

namespace imaxbench {
namespace {

const std::string kImages = std::string(IMAXBENCH_SOURCE_DIR) + "/suites/sample/images/";

TEST(OpenAIProtocol, Urls) {
  EXPECT_EQ(chat_completions_url("http://h:8000/v1"), "http://h:8000/v1/chat/completions");
  EXPECT_EQ(chat_completions_url("http://h:8000/v1/"), "http://h:8000/v1/chat/completions");
  EXPECT_EQ(chat_completions_url("http://h/v1/chat/completions"), "http://h/v1/chat/completions");
  EXPECT_EQ(models_url("http://h:8000/v1//"), "http://h:8000/v1/models");
  EXPECT_EQ(models_url("http://h/v1/chat/completions"), "http://h/v1/models");
  EXPECT_EQ(url_for_display("https://user:pw@h:1/v1"), "https://h:1/v1");
  EXPECT_EQ(url_for_display("http://h/v1?a=b@c"), "http://h/v1?a=b@c");
}

TEST(OpenAIProtocol, RequestBody) {
  ChatSettings settings;
  settings.max_tokens = 64;
  auto b = chat_request_body("m", "What?", "data:image/png;base64,AA==", settings, true);
  EXPECT_EQ(b["model"], "m");
  EXPECT_EQ(b["temperature"], 0);
  EXPECT_EQ(b["max_tokens"], 64);
  EXPECT_EQ(b["stream"], true);
  EXPECT_EQ(b["stream_options"]["include_usage"], true);
  const auto& content = b["messages"][0]["content"];
  EXPECT_EQ(b["messages"][0]["role"], "user");
  EXPECT_EQ(content[0]["image_url"]["url"], "data:image/png;base64,AA==");
  EXPECT_EQ(content[1]["text"], "What?");
  auto plain = chat_request_body("m", "q", "u", ChatSettings{}, false);
  EXPECT_FALSE(plain.contains("max_tokens"));
  EXPECT_FALSE(plain.contains("stream_options"));
  EXPECT_FALSE(plain.contains("top_p"));
  EXPECT_FALSE(plain.contains("seed"));
  EXPECT_EQ(plain["messages"].size(), 1u);
}

TEST(OpenAIProtocol, RequestBodyWithEverySetting) {
  ChatSettings s;
  s.temperature = 0.7;
  s.top_p = 0.9;
  s.seed = 1234;
  s.max_tokens = 300;
  s.system_prompt = "You are a radiologist.";
  s.extra_body = {{"top_k", 1}, {"temperature", 0.2}, {"chat_template_kwargs", {{"enable_thinking", false}}}};
  check_chat_settings(s);
  auto b = chat_request_body("m", "q", "u", s, true);
  EXPECT_EQ(b["temperature"], 0.2);  // --extra-body is set last and wins
  EXPECT_EQ(b["top_p"], 0.9);
  EXPECT_EQ(b["seed"], 1234);
  EXPECT_EQ(b["max_tokens"], 300);
  EXPECT_EQ(b["top_k"], 1);
  EXPECT_EQ(b["chat_template_kwargs"]["enable_thinking"], false);
  ASSERT_EQ(b["messages"].size(), 2u);
  EXPECT_EQ(b["messages"][0]["role"], "system");
  EXPECT_EQ(b["messages"][0]["content"], "You are a radiologist.");
  EXPECT_EQ(b["messages"][1]["role"], "user");
  s.extra_body = nlohmann::json::object();
  s.temperature = 1;
  EXPECT_EQ(chat_request_body("m", "q", "u", s, false)["temperature"].dump(), "1");  // an integer, as 0 always was
}

TEST(OpenAIProtocol, SettingsNoServerCanTakeAreRefused) {
  auto refused = [](auto edit) {
    ChatSettings s;
    edit(s);
    EXPECT_THROW(check_chat_settings(s), UsageError);
  };
  refused([](ChatSettings& s) { s.temperature = -0.1; });
  refused([](ChatSettings& s) { s.top_p = 0; });
  refused([](ChatSettings& s) { s.top_p = 1.5; });
  refused([](ChatSettings& s) { s.max_tokens = -1; });
  refused([](ChatSettings& s) { s.extra_body = nlohmann::json::array(); });
  for (const char* owned : {"model", "messages", "stream", "stream_options"})
    refused([&](ChatSettings& s) { s.extra_body = {{owned, 1}}; });
}

TEST(OpenAIProtocol, ExtraHeaders) {
  ExtraHeader h = parse_extra_header("X-Tenant:  radiology ");
  EXPECT_EQ(h.name, "X-Tenant");
  EXPECT_EQ(h.value, "radiology");
  EXPECT_EQ(header_for_manifest(h), "radiology");
  ExtraHeader e = parse_extra_header("api-key: ${AZURE_KEY}");
  EXPECT_EQ(e.from_env, "AZURE_KEY");
  EXPECT_EQ(e.value, "");
  EXPECT_EQ(header_for_manifest(e), "${AZURE_KEY}");
  EXPECT_EQ(header_for_manifest(parse_extra_header("Authorization: Bearer abc")), "[REDACTED]");
  EXPECT_EQ(header_for_manifest(parse_extra_header("X-Access-Token: abc")), "[REDACTED]");
  for (const char* bad : {"NoColon", ":v", "Bad Name: v", "X-A: a\r\nX-Injected: 1", "Content-Type: text/plain",
                          "host: h", "X-A: ${NOT-A-NAME}"})
    EXPECT_THROW(parse_extra_header(bad), UsageError) << bad;
}

TEST(OpenAIProtocol, StreamChunks) {
  ChatResult r;
  EXPECT_FALSE(apply_stream_chunk(R"({"choices":[{"index":0,"delta":{"role":"assistant","content":""}}],"usage":null})", r));
  EXPECT_TRUE(apply_stream_chunk(R"({"choices":[{"delta":{"content":"Hel"}}]})", r));
  EXPECT_FALSE(apply_stream_chunk(R"({"choices":[{"delta":{"content":"lo"},"finish_reason":null}]})", r));
  EXPECT_FALSE(apply_stream_chunk(R"({"choices":[{"delta":{},"finish_reason":"length"}]})", r));
  EXPECT_FALSE(apply_stream_chunk(R"({"choices":[],"usage":{"prompt_tokens":120,"completion_tokens":3}})", r));
  EXPECT_FALSE(apply_stream_chunk("[DONE]", r));
  EXPECT_EQ(r.text, "Hello");
  EXPECT_EQ(r.content_deltas, 2);
  EXPECT_EQ(r.prompt_tokens, 120);
  EXPECT_EQ(r.completion_tokens, 3);
  EXPECT_EQ(r.finish_reason, "length");
  EXPECT_TRUE(r.done);
  EXPECT_TRUE(r.error.empty());
}

TEST(OpenAIProtocol, StreamErrors) {
  ChatResult a;
  apply_stream_chunk(R"({"error":{"message":"engine dead","code":500}})", a);
  EXPECT_EQ(a.error, "engine dead");
  ChatResult b;
  apply_stream_chunk(R"({"object":"error","message":"too long","code":400})", b);
  EXPECT_EQ(b.error, "too long");
  ChatResult c;
  apply_stream_chunk("not json", c);
  EXPECT_NE(c.error.find("not a JSON object"), std::string::npos);
}

TEST(OpenAIProtocol, Response) {
  auto r = parse_chat_response(
      R"({"choices":[{"message":{"role":"assistant","content":"yes"},"finish_reason":"stop"}],)"
      R"("usage":{"prompt_tokens":9,"completion_tokens":1,"total_tokens":10}})");
  EXPECT_EQ(r.text, "yes");
  EXPECT_EQ(r.prompt_tokens, 9);
  EXPECT_EQ(r.completion_tokens, 1);
  EXPECT_TRUE(r.error.empty());
  auto no_usage = parse_chat_response(R"({"choices":[{"message":{"content":null}}]})");
  EXPECT_EQ(no_usage.text, "");
  EXPECT_EQ(no_usage.completion_tokens, -1);
  EXPECT_TRUE(no_usage.error.empty());
  EXPECT_FALSE(parse_chat_response(R"({"choices":[]})").error.empty());
  EXPECT_FALSE(parse_chat_response("<html>").error.empty());
}

// Issue 12: what finish_stream and parse_chat_response take for an answer, and what not.
TEST(OpenAIProtocol, FinishedStreams) {
  ChatResult empty_answer;  // an honest empty answer: a choice and a finish_reason, no content
  apply_stream_chunk(R"({"choices":[{"delta":{"role":"assistant","content":""}}]})", empty_answer);
  apply_stream_chunk(R"({"choices":[{"delta":{},"finish_reason":"stop"}]})", empty_answer);
  finish_stream(empty_answer, "data: ...");  // no [DONE], but a finish_reason: complete
  EXPECT_EQ(empty_answer.error, "");
  EXPECT_EQ(empty_answer.text, "");
  ChatResult done_only;  // [DONE] without a finish_reason (older TGI): complete
  apply_stream_chunk(R"({"choices":[{"delta":{"content":"yes"}}]})", done_only);
  apply_stream_chunk("[DONE]", done_only);
  finish_stream(done_only, "");
  EXPECT_EQ(done_only.error, "");
  EXPECT_EQ(done_only.text, "yes");

  ChatResult nothing;
  finish_stream(nothing, "");
  EXPECT_EQ(nothing.error, "no server-sent event in the body: (empty body)");
  EXPECT_TRUE(nothing.malformed);
  ChatResult html;
  finish_stream(html, "<html>\n<body>Bad gateway</body></html>");
  EXPECT_EQ(html.error, "no server-sent event in the body: <html> <body>Bad gateway</body></html>");
  ChatResult no_choices;
  apply_stream_chunk(R"({"id":"x","object":"chat.completion.chunk"})", no_choices);
  apply_stream_chunk("[DONE]", no_choices);
  finish_stream(no_choices, "");
  EXPECT_EQ(no_choices.error, "the stream carried no choices");
  ChatResult cut;
  apply_stream_chunk(R"({"choices":[{"delta":{"content":"Hel"}}]})", cut);
  finish_stream(cut, "");
  EXPECT_NE(cut.error.find("cut short"), std::string::npos);
  EXPECT_TRUE(cut.malformed);

  ChatResult reported;  // an error the server sent is not "malformed": it is not retried
  apply_stream_chunk(R"({"error":{"message":"engine dead","code":500}})", reported);
  finish_stream(reported, "");
  EXPECT_EQ(reported.error, "engine dead");
  EXPECT_FALSE(reported.malformed);
}

TEST(OpenAIProtocol, ResponsesThatAreNotCompletionsAreMalformed) {
  for (const char* body : {"", "<!DOCTYPE html><html></html>", "\x01garbage", R"({"id":"x"})", R"({"choices":[]})",
                           R"({"choices":[{"index":0}]})", R"({"choices":[{"message":{"content":"Hel)"}) {
    auto r = parse_chat_response(body);
    EXPECT_NE(r.error, "") << body;
    EXPECT_TRUE(r.malformed) << body;
  }
  EXPECT_EQ(parse_chat_response("").error, "the body is not a JSON object: (empty body)");
  auto reported = parse_chat_response(R"({"error":{"message":"bad image"}})");
  EXPECT_EQ(reported.error, "bad image");
  EXPECT_FALSE(reported.malformed);
  auto empty = parse_chat_response(R"({"choices":[{"message":{"content":""},"finish_reason":"stop"}]})");
  EXPECT_EQ(empty.error, "");
}

TEST(OpenAIProtocol, ServerErrorMessages) {
  EXPECT_EQ(server_error_message(R"({"error":{"message":"bad image","type":"x"}})"), "bad image");
  EXPECT_EQ(server_error_message(R"({"object":"error","message":"The model `x` does not exist."})"),
            "The model `x` does not exist.");
  EXPECT_EQ(server_error_message(R"({"error":"Input validation error","error_type":"validation"})"),
            "Input validation error");
  EXPECT_EQ(server_error_message(R"({"detail":"Not Found"})"), "Not Found");
  EXPECT_EQ(server_error_message("Bad Gateway\r\n"), "Bad Gateway  ");
  EXPECT_EQ(server_error_message(""), "(empty body)");
  EXPECT_EQ(server_error_message(std::string(2000, 'x')).size(), 503u);
}

TEST(OpenAIProtocol, Redact) {
  EXPECT_EQ(redact("key sk-1 and sk-1 again", "sk-1"), "key [REDACTED] and [REDACTED] again");
  EXPECT_EQ(redact("nothing", ""), "nothing");
  EXPECT_EQ(redact("RRR", "R"), "[REDACTED][REDACTED][REDACTED]");
}

TEST(OpenAIProtocol, RetryDelays) {
  const std::uint64_t seed = stable_hash("calc-0001-1");
  for (int n = 0; n < 8; ++n) {
    const double d = retry_delay_s(n, 0.5, 30, -1, seed);
    const double cap = std::min(30.0, 0.5 * std::pow(2.0, n));
    EXPECT_GE(d, 0.5 * cap) << n;
    EXPECT_LT(d, cap) << n;
    EXPECT_EQ(d, retry_delay_s(n, 0.5, 30, -1, seed)) << "not reproducible";
  }
  EXPECT_NE(retry_delay_s(0, 0.5, 30, -1, seed), retry_delay_s(0, 0.5, 30, -1, stable_hash("other")));
  EXPECT_EQ(retry_delay_s(3, 0.5, 30, 2.0, seed), 2.0);  // Retry-After wins
  EXPECT_EQ(retry_delay_s(0, 0.5, 30, 1e6, seed), kMaxRetryAfterS);
  EXPECT_EQ(stable_hash(""), 1469598103934665603ull);  // FNV-1a offset basis
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::span<const unsigned char> bytes_of(const std::string& s) {
  return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

TEST(PngEncode, RoundTripsThroughLibpng) {
  const int w = 37, h = 5;  // odd width: no row alignment assumed
  std::vector<std::uint8_t> px(w * h);
  for (std::size_t i = 0; i < px.size(); ++i) px[i] = static_cast<std::uint8_t>(i * 7 % 256);
  const std::string png = encode_png_gray8(w, h, px);
  GrayImage g = decode_png(bytes_of(png), "mem.png", {});
  EXPECT_EQ(g.width, w);
  EXPECT_EQ(g.height, h);
  EXPECT_EQ(g.max_value, 255);
  ASSERT_EQ(g.pixels.size(), px.size());
  for (std::size_t i = 0; i < px.size(); ++i) ASSERT_EQ(g.pixels[i], px[i]) << i;
  EXPECT_THROW(encode_png_gray8(2, 2, px), Error);
}

TEST(PngEncode, ScalesTo8Bits) {
  GrayImage img;
  img.width = 4;
  img.height = 1;
  img.max_value = 65535;
  img.pixels = {0, 257, 32896, 65535};
  GrayImage back = decode_png(bytes_of(encode_png_gray8(img)), "mem.png", {});
  EXPECT_EQ(back.pixels, (std::vector<std::uint16_t>{0, 1, 128, 255}));
}

TEST(ImageDataUrl, EightBitFilesGoAsTheyAre) {
  for (const char* name : {"cxr_000.png", "cxr_003.jpg"}) {
    const std::string path = kImages + name;
    DataUrl u = make_image_data_url(path);
    EXPECT_FALSE(u.converted);
    const std::string mime = std::string(name).ends_with(".png") ? "image/png" : "image/jpeg";
    EXPECT_EQ(u.mime, mime);
    EXPECT_EQ(u.url, "data:" + mime + ";base64," + base64_encode(read_file(path)));
  }
}

TEST(ImageDataUrl, DicomBecomesAn8BitPngOfTheDecodedImage) {
  const std::string path = kImages + "cxr_005.dcm";
  DataUrl u = make_image_data_url(path);
  EXPECT_TRUE(u.converted);
  EXPECT_EQ(u.mime, "image/png");
  GrayImage src = decode_image(path);
  EXPECT_EQ(u.url, "data:image/png;base64," + base64_encode(encode_png_gray8(src)));
}

// Found by fuzzing (tests/fuzz/corpus/openai_protocol/crash-openai-object-null.bin): a server's
// "object" that is not a string threw out of the parser (inside libcurl's write callback when
// streaming) instead of being read as a body that is not the protocol.
TEST(OpenAIProtocol, ObjectFieldOfAnyTypeIsNotAnException) {
  for (const char* body : {R"({"object": null})", R"({"object": [1, 2]})", R"({"object": 7})"}) {
    ChatResult r;
    EXPECT_NO_THROW(r = parse_chat_response(body)) << body;
    EXPECT_FALSE(r.error.empty()) << body;
    ChatResult streamed;
    EXPECT_NO_THROW(apply_stream_chunk(body, streamed)) << body;
  }
  EXPECT_EQ(parse_chat_response(R"({"object": "error", "message": "model overloaded"})").error,
            "model overloaded");
}

TEST(ImageDataUrl, MissingFileNamesIt) {
  try {
    make_image_data_url(kImages + "nope.png");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("nope.png"), std::string::npos);
  }
  DataUrlCache cache({}, 1);  // too small to keep anything: still answers
  EXPECT_EQ(cache.get(kImages + "cxr_000.png")->url, make_image_data_url(kImages + "cxr_000.png").url);
}

}  // namespace
}  // namespace imaxbench
