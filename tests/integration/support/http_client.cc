#include "support/http_client.h"

#include <curl/curl.h>

#include <memory>

namespace bcc::test {

namespace {

size_t append(char* data, size_t size, size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

}  // namespace

HttpResponse http_get(const std::string& url) {
  HttpResponse response;
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    response.error = "curl_easy_init failed";
    return response;
  }
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl.get(), CURLOPT_NOPROXY, "*");  // loopback only, never a proxy
  CURLcode rc = curl_easy_perform(curl.get());
  if (rc != CURLE_OK) {
    response.error = error[0] ? error : curl_easy_strerror(rc);
    return response;
  }
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

std::string url_encode(const std::string& value) {
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  char* encoded = curl_easy_escape(curl.get(), value.c_str(), static_cast<int>(value.size()));
  std::string out = encoded ? encoded : "";
  curl_free(encoded);
  return out;
}

}  // namespace bcc::test
