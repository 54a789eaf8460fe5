#ifdef IMAXBENCH_HAVE_DICOM

#include "images/dicom_stream.h"

#include <dcmtk/dcmdata/dcerror.h>
#include <zlib.h>

#include <algorithm>

namespace imaxbench {

namespace {

class SourceStreamFactory : public DcmInputStreamFactory {
 public:
  SourceStreamFactory(ImageSource& source, offile_off_t at, std::shared_ptr<InflatedSource> keep_alive)
      : source_(source), at_(at), keep_alive_(std::move(keep_alive)) {}
  DcmInputStream* create() const override { return new SourceInputStream(source_, at_, keep_alive_); }
  DcmInputStreamFactory* clone() const override { return new SourceStreamFactory(*this); }
  DcmInputStreamFactoryType ident() const override { return DFT_DcmInputFileStreamFactory; }

 private:
  ImageSource& source_;
  offile_off_t at_;
  std::shared_ptr<InflatedSource> keep_alive_;
};

// The raw deflate stream (no zlib header, as DICOM PS3.5 A.5 has it) from `at` to the end of
// `source`, inflated; nullptr when it is damaged or would exceed kMaxInflatedDataset.
std::shared_ptr<InflatedSource> inflate_rest(ImageSource& source, std::uint64_t at) {
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return nullptr;
  std::vector<unsigned char> out, in(64 * 1024);
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (z.avail_in == 0) {
      const std::size_t got = source.read_at(at, in.data(), in.size());
      at += got;
      z.next_in = in.data();
      z.avail_in = static_cast<uInt>(got);
      if (got == 0) break;  // truncated: what inflated so far is parsed, and fails where it ends
    }
    if (out.size() >= kMaxInflatedDataset) {
      rc = Z_MEM_ERROR;
      break;
    }
    // Grow as the data actually inflates, never by what the file claims.
    const std::size_t used = out.size();
    out.resize(std::min<std::uint64_t>(std::max<std::size_t>(used * 2, 256 * 1024), kMaxInflatedDataset));
    z.next_out = out.data() + used;
    z.avail_out = static_cast<uInt>(out.size() - used);
    rc = inflate(&z, Z_NO_FLUSH);
    out.resize(out.size() - z.avail_out);
  }
  inflateEnd(&z);
  if (rc != Z_OK && rc != Z_STREAM_END) return nullptr;
  return std::make_shared<InflatedSource>(std::move(out));
}

}  // namespace

SourceProducer::SourceProducer(ImageSource& source, offile_off_t at)
    : source_(&source), size_(static_cast<offile_off_t>(source.size())), pos_(std::min(at, size_)) {}

void SourceProducer::switch_to(ImageSource& source) {
  source_ = &source;
  size_ = static_cast<offile_off_t>(source.size());
  pos_ = 0;
}

offile_off_t SourceProducer::avail() { return size_ - pos_; }

offile_off_t SourceProducer::read(void* buf, offile_off_t n) {
  if (!status_.good() || !buf || n <= 0) return 0;
  n = std::min(n, avail());
  const auto got = static_cast<offile_off_t>(
      source_->read_at(static_cast<std::uint64_t>(pos_), buf, static_cast<std::size_t>(n)));
  if (got < n) status_ = EC_InvalidStream;  // an I/O error: stop rather than read zeros
  pos_ += got;
  return got;
}

offile_off_t SourceProducer::skip(offile_off_t n) {
  if (!status_.good() || n <= 0) return 0;
  n = std::min(n, avail());
  pos_ += n;
  return n;
}

void SourceProducer::putback(offile_off_t n) {
  if (!status_.good() || n <= 0) return;
  if (n <= pos_) pos_ -= n;
  else status_ = EC_PutbackFailed;
}

DcmInputStreamFactory* SourceInputStream::newFactory() const {
  if (currentProducer() != &producer_) return nullptr;  // behind a DCMTK filter, as DcmInputFileStream
  return new SourceStreamFactory(*source_, at_ + tell(), keep_alive_);
}

OFCondition SourceInputStream::installCompressionFilter(E_StreamCompression filter) {
  if (filter != ESC_zlib) return DcmInputStream::installCompressionFilter(filter);
  keep_alive_ = inflate_rest(*source_, static_cast<std::uint64_t>(producer_.position()));
  if (!keep_alive_) return EC_CorruptedData;  // damaged, or a bomb: DicomFile reports an unreadable file
  source_ = keep_alive_.get();
  at_ = -tell();
  producer_.switch_to(*source_);
  return EC_Normal;
}

}  // namespace imaxbench

#endif  // IMAXBENCH_HAVE_DICOM
