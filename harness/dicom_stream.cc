#ifdef IMAXBENCH_HAVE_DICOM

#include "harness/dicom_stream.h"

#include <dcmtk/dcmdata/dcerror.h>

#include <algorithm>

namespace imaxbench {

namespace {

class SourceStreamFactory : public DcmInputStreamFactory {
 public:
  SourceStreamFactory(ImageSource& source, offile_off_t at) : source_(source), at_(at) {}
  DcmInputStream* create() const override { return new SourceInputStream(source_, at_); }
  DcmInputStreamFactory* clone() const override { return new SourceStreamFactory(*this); }
  DcmInputStreamFactoryType ident() const override { return DFT_DcmInputFileStreamFactory; }

 private:
  ImageSource& source_;
  offile_off_t at_;
};

}  // namespace

SourceProducer::SourceProducer(ImageSource& source, offile_off_t at)
    : source_(source), size_(static_cast<offile_off_t>(source.size())), pos_(std::min(at, size_)) {}

offile_off_t SourceProducer::avail() { return size_ - pos_; }

offile_off_t SourceProducer::read(void* buf, offile_off_t n) {
  if (!status_.good() || !buf || n <= 0) return 0;
  n = std::min(n, avail());
  const auto got = static_cast<offile_off_t>(
      source_.read_at(static_cast<std::uint64_t>(pos_), buf, static_cast<std::size_t>(n)));
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
  // As DcmInputFileStream does: no factory once a (deflate) filter sits in front of the bytes.
  if (currentProducer() != &producer_) return nullptr;
  return new SourceStreamFactory(source_, at_ + tell());
}

}  // namespace imaxbench

#endif  // IMAXBENCH_HAVE_DICOM
