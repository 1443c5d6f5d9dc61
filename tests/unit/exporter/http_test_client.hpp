// A small blocking HTTP client for the exporter tests (libcurl easy), plus
// gunzip, so tests read what a scraper would read.
#pragma once

#include <curl/curl.h>
#include <zlib.h>

#include <cctype>
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace mc::test {

struct HttpReply {
  long status = 0;
  std::string body;                            // as received (still gzipped if it was)
  std::map<std::string, std::string> headers;  // names lowercased
  std::string error;                           // set when the request failed
};

inline size_t collect_body(char* data, size_t size, size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

inline size_t collect_header(char* data, size_t size, size_t count, void* target) {
  std::string line(data, size * count);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    (*static_cast<std::map<std::string, std::string>*>(target))[name] = value;
  }
  return size * count;
}

// `method` "GET", "HEAD", "POST", ...; `headers` as "Name: value"; a POST
// sends `body` (curl's default Content-Type for it is a form's).
inline HttpReply http_request(const std::string& url, const std::string& method = "GET",
                              const std::vector<std::string>& headers = {},
                              const std::string& body = "",
                              std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  HttpReply reply;
  CURL* curl = curl_easy_init();
  curl_slist* header_list = nullptr;
  for (const auto& header : headers) header_list = curl_slist_append(header_list, header.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
  if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  } else if (method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) {
    reply.error = curl_easy_strerror(code);
  } else {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  }
  curl_slist_free_all(header_list);
  curl_easy_cleanup(curl);
  return reply;
}

// Decompresses a gzip stream; returns "" and sets `ok` false on a broken one.
inline std::string gunzip(const std::string& compressed, bool& ok) {
  z_stream stream{};
  ok = false;
  if (inflateInit2(&stream, 15 + 16) != Z_OK) return {};
  std::string out;
  char buffer[16384];
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  int result = Z_OK;
  while (result == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof(buffer);
    result = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof(buffer) - stream.avail_out);
  }
  inflateEnd(&stream);
  ok = result == Z_STREAM_END;
  return out;
}

}  // namespace mc::test
