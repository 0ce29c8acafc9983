// ucalls' instance names, built from the class and method names a traced
// runtime hands over, cleaned as the Python BCC agent cleaned them, so that
// the names in archives and dashboards stay the same.
#pragma once

#include <string>

namespace bcc {

// Skips leading characters that are not letters or digits, keeps letters,
// digits and . / < > [ ] _, stops at the first other character; then '/'
// becomes '.', '[' '{' and ']' '}': "java/lang/String.<init>" ->
// "java.lang.String.<init>".
std::string clean_instance_name(const std::string& raw);

}  // namespace bcc
