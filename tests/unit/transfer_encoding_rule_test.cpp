#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "http/transfer_encoding.h"

namespace apiota::http {
namespace {

namespace bhttp = boost::beast::http;

bhttp::request_header<> head_with(std::initializer_list<const char*> codings, unsigned version = 11) {
  bhttp::request_header<> head;
  head.version(version);
  for (const char* coding : codings) head.insert(bhttp::field::transfer_encoding, coding);
  return head;
}

TEST(TransferEncodingRule, AcceptsNoneOrOneChunked) {
  EXPECT_TRUE(transfer_encoding_acceptable(head_with({})));
  EXPECT_TRUE(transfer_encoding_acceptable(head_with({}, 10)));
  for (const char* value : {"chunked", "CHUNKED", "Chunked", " chunked ", "\tchunked"}) {
    EXPECT_TRUE(transfer_encoding_acceptable(head_with({value}))) << value;
  }
}

TEST(TransferEncodingRule, RefusesEverythingElse) {
  for (const char* value : {"xchunked", "identity", "gzip", "chunked, identity", "gzip, chunked", "chunked, chunked",
                            "chunked,", "", "chunked;q=1"}) {
    EXPECT_FALSE(transfer_encoding_acceptable(head_with({value}))) << "'" << value << "'";
  }
  EXPECT_FALSE(transfer_encoding_acceptable(head_with({"gzip", "chunked"})));
  EXPECT_FALSE(transfer_encoding_acceptable(head_with({"chunked"}, 10)));
}

TEST(TransferEncodingRule, NamesBeastsFramingErrors) {
  EXPECT_TRUE(is_transfer_encoding_error(bhttp::error::bad_transfer_encoding, head_with({})));
  EXPECT_TRUE(is_transfer_encoding_error(bhttp::error::bad_content_length, head_with({"chunked"})));
  EXPECT_FALSE(is_transfer_encoding_error(bhttp::error::bad_content_length, head_with({})));
  EXPECT_FALSE(is_transfer_encoding_error(bhttp::error::bad_method, head_with({"chunked"})));
}

}  // namespace
}  // namespace apiota::http
