// The landing page at "/": what a person who opens :9993 in a browser can
// follow from there.
#pragma once

#include "exporter/route_table.hpp"

namespace mc {

Route landing_page_route();

}  // namespace mc
