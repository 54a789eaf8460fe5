// An ImageSource (a file read on demand, or bytes in memory) as a DCMTK input stream. Unlike
// DcmInputBufferStream it can hand out a factory (a way to reopen it at an offset). With one,
// DcmElement::read skips a value longer than its read limit instead of loading it, loads it when
// it is used, and fails the parse when fewer bytes remain than its length field claims. So a
// header check reads no pixel data, and a damaged length field never makes DCMTK allocate what it
// claims (4 GiB for a 600-byte file, found by tests/fuzz). Only built with DCMTK.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcistrma.h>

#include "harness/image_source.h"

namespace imaxbench {

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

 private:
  ImageSource& source_;
  offile_off_t size_;
  offile_off_t pos_;
  OFCondition status_ = EC_Normal;
};

class SourceInputStream : public DcmInputStream {
 public:
  SourceInputStream(ImageSource& source, offile_off_t at)
      : DcmInputStream(&producer_), producer_(source, at), source_(source), at_(at) {}
  DcmInputStreamFactory* newFactory() const override;

 private:
  SourceProducer producer_;  // DcmInputStream only stores the pointer until then
  ImageSource& source_;
  offile_off_t at_;
};

}  // namespace imaxbench
