// HTTP GET with libcurl, as a browser or Grafana's backend would send it.
#pragma once

#include <string>

namespace bcc::test {

struct HttpResponse {
  long status = 0;      // 0: no answer (see error)
  std::string body;
  std::string error;    // libcurl's message when the request failed
};

HttpResponse http_get(const std::string& url);

// Percent-encodes a query parameter value.
std::string url_encode(const std::string& value);

}  // namespace bcc::test
