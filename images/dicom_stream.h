// An ImageSource (a file read on demand, or bytes in memory) as a DCMTK input stream. Unlike
// DcmInputBufferStream it can hand out a factory (a way to reopen it at an offset). With one,
// DcmElement::read skips a value longer than its read limit instead of loading it, loads it when
// it is used, and fails the parse when fewer bytes remain than its length field claims. So a
// header check reads no pixel data, and a damaged length field never makes DCMTK allocate what it
// claims (4 GiB for a 600-byte file, found by tests/fuzz).
//
// A deflated dataset (transfer syntax 1.2.840.10008.1.2.1.99) would sit behind DCMTK's streaming
// inflate filter, which can say neither how many bytes remain nor where to reopen, so DCMTK would
// again allocate whatever a length field claims (tests/fuzz found that too). Instead the stream
// inflates the rest of the file itself, into memory and at most kMaxInflatedDataset bytes, and
// reads on from there with a factory as for any other file. Only built with DCMTK.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcistrma.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "images/image_source.h"

namespace imaxbench {

// Larger than any image DecodeLimits lets through (100 M pixels x 3 samples x 2 bytes) plus its
// header, so only a damaged or hostile file reaches it.
inline constexpr std::uint64_t kMaxInflatedDataset = std::uint64_t{1} << 30;

// The inflated bytes of a deflated dataset, shared by the stream and by every factory DCMTK keeps
// for values it loads later (after the stream itself is gone).
class InflatedSource : public ImageSource {
 public:
  explicit InflatedSource(std::vector<unsigned char> bytes) : bytes_(std::move(bytes)) {}
  std::uint64_t size() const override { return bytes_.size(); }
  std::size_t read_at(std::uint64_t offset, void* out, std::size_t n) noexcept override {
    return MemorySource(bytes_).read_at(offset, out, n);
  }
  const unsigned char* data() const override { return bytes_.data(); }

 private:
  std::vector<unsigned char> bytes_;
};

class SourceProducer : public DcmProducer {
 public:
  SourceProducer(ImageSource& source, offile_off_t at);
  OFBool good() const override { return status_.good(); }
  OFCondition status() const override { return status_; }
  OFBool eos() override { return avail() == 0; }
  offile_off_t avail() override;
  offile_off_t read(void* buf, offile_off_t n) override;
  offile_off_t skip(offile_off_t n) override;
  void putback(offile_off_t n) override;
  offile_off_t position() const { return pos_; }
  // Reads on from the start of `source` (the inflated dataset) instead.
  void switch_to(ImageSource& source);

 private:
  ImageSource* source_;
  offile_off_t size_;
  offile_off_t pos_;
  OFCondition status_ = EC_Normal;
};

class SourceInputStream : public DcmInputStream {
 public:
  SourceInputStream(ImageSource& source, offile_off_t at,
                    std::shared_ptr<InflatedSource> keep_alive = nullptr)
      : DcmInputStream(&producer_), producer_(source, at), source_(&source), at_(at),
        keep_alive_(std::move(keep_alive)) {}
  DcmInputStreamFactory* newFactory() const override;
  OFCondition installCompressionFilter(E_StreamCompression filter) override;

 private:
  SourceProducer producer_;  // DcmInputStream only stores the pointer until then
  ImageSource* source_;      // what producer_ reads: the file, or the inflated dataset
  offile_off_t at_;          // source_'s offset at tell() == 0 (negative once inflated)
  std::shared_ptr<InflatedSource> keep_alive_;
};

}  // namespace imaxbench
